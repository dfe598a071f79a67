// Reading learned tables out of a model by their layer names (see models/matrixFactorization).
import { Recommender } from "../models/recommender";

export type Side = "user" | "movie";

function table(recommender: Recommender, layer: string): number[][] {
  let weights;
  try {
    weights = recommender.model.getLayer(layer).getWeights();
  } catch {
    throw new Error(`model '${recommender.spec.kind}' has no layer '${layer}'`);
  }
  return weights[0].arraySync() as number[][];
}

/** Row i is the embedding of encoded index i (encoders.users/movies.id(i) gives the MovieLens id). */
export function embeddingTable(recommender: Recommender, side: Side): number[][] {
  return table(recommender, `${side}_embedding`);
}

/** Learned per-user or per-movie bias, indexed like the encoder. */
export function biasVector(recommender: Recommender, side: Side): number[] {
  return table(recommender, `${side}_bias`).map((row) => row[0]);
}
