// The names of the layers that hold a model's facts, in one place: builders create them and
// Recommender reads them (analysis never looks a layer up by name).
import type { Side } from "./side";

export const embeddingLayer = (side: Side) => `${side}_embedding`;
export const biasLayer = (side: Side) => `${side}_bias`;
/** The one-hot net's first dense layer: row i of its kernel is input i's embedding. */
export const ONE_HOT_EMBEDDING_LAYER = "one_hot_embedding";
