// Lesson 2, models 4 and 5: train one model first, then start a dot+bias model from its user
// and movie embeddings (and its biases, when it has them) instead of random ones.
import { biasLayer, embeddingLayer } from "./layerNames";
import { dotBiasModel } from "./matrixFactorization";
import { ModelOptions } from "./options";
import { Recommender } from "./recommender";
import { Side } from "./side";
import { findSideLayer } from "./structure";

const SIDES: Side[] = ["user", "movie"];

export function dotBiasFromPretrained(pretrained: Recommender, options: Omit<ModelOptions, "factors"> = {}): Recommender {
  if (pretrained.spec.input !== "indices") throw new Error(`dotBiasFromPretrained: '${pretrained.kind}' has no embedding tables to start from`);
  const layer = (side: Side, what: "embedding" | "bias") => findSideLayer(pretrained.model, side, what, pretrained.spec.layers);
  const userLayer = layer("user", "embedding");
  if (!userLayer) throw new Error(`dotBiasFromPretrained: '${pretrained.kind}' has no user embedding table to start from`);
  const factors = userLayer.getWeights()[0].shape[1] as number;
  const next = dotBiasModel({ encoders: pretrained.encoders, dataset: pretrained.dataset }, { target: pretrained.spec.target, ...options, factors });
  for (const side of SIDES) {
    next.model.getLayer(embeddingLayer(side)).setWeights(layer(side, "embedding")!.getWeights());
    // A hybrid's dot+bias head already learned the biases (lesson 2's model 5 keeps them); other models start them afresh.
    if (pretrained.hasBiases) next.model.getLayer(biasLayer(side)).setWeights(layer(side, "bias")!.getWeights());
  }
  return next;
}
