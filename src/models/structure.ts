// Where a model keeps its facts, found from the graph itself, so a model a notebook wires up
// with tf.layers is read the same way as one a builder made: the Embedding layers that look up
// each index input, and which of them are bias columns (width 1) and which factor tables.
import * as tf from "@tensorflow/tfjs";
import { biasLayer, embeddingLayer } from "./layerNames";
import { Side } from "./side";

/** Layer names a caller gives when a model has several candidate tables on one side. */
export interface LayerNames {
  userEmbedding?: string;
  movieEmbedding?: string;
  userBias?: string;
  movieBias?: string;
}

export const SIDE_INPUT: Record<Side, number> = { user: 0, movie: 1 };

/** The Embedding layers that read model input `input` directly (index models: 0 users, 1 movies). */
export function embeddingsReading(model: tf.LayersModel, input: number): tf.layers.Layer[] {
  const source = model.inputLayers[input];
  if (!source) return [];
  return model.layers.filter(
    (layer) => layer.getClassName() === "Embedding" && layer.inboundNodes.some((node) => node.inboundLayers.length === 1 && node.inboundLayers[0] === source),
  );
}

const widthOf = (layer: tf.layers.Layer) => (layer.getConfig() as { outputDim: number }).outputDim;

/**
 * The layer holding one side's factors ("embedding") or biases ("bias"): the layer named so
 * (by the caller, or the builders' names), else the only Embedding on that side's input that
 * fits: width 1 for a bias, the widest wider than 1 for factors. undefined when there is none;
 * an error when several fit and none is named.
 */
export function findSideLayer(model: tf.LayersModel, side: Side, what: "embedding" | "bias", names: LayerNames = {}): tf.layers.Layer | undefined {
  const given = names[`${side}${what === "bias" ? "Bias" : "Embedding"}` as keyof LayerNames];
  if (given) {
    const layer = model.layers.find((l) => l.name === given);
    if (!layer) throw new Error(`model '${model.name}' has no layer named '${given}' (given as its ${side} ${what}); its layers: ${model.layers.map((l) => l.name).join(", ")}`);
    return layer;
  }
  const conventional = model.layers.find((l) => l.name === (what === "bias" ? biasLayer(side) : embeddingLayer(side)));
  if (conventional) return conventional;
  const candidates = embeddingsReading(model, SIDE_INPUT[side]).filter((l) => (what === "bias" ? widthOf(l) === 1 : widthOf(l) > 1));
  if (candidates.length <= 1) return candidates[0];
  if (what === "embedding") {
    const widest = Math.max(...candidates.map(widthOf));
    const wide = candidates.filter((l) => widthOf(l) === widest);
    if (wide.length === 1) return wide[0];
  }
  throw new Error(
    `model '${model.name}' has ${candidates.length} ${side} ${what} candidates (${candidates.map((l) => l.name).join(", ")}); ` +
      `name the one to use: cf.recommender(model, data, { layers: { ${side}${what === "bias" ? "Bias" : "Embedding"}: "..." } })`,
  );
}
