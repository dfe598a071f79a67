// Lesson 2, models 4 and 5: train one model first, then start a dot+bias model from its user
// and movie embeddings (and its biases, when it has them) instead of random ones.
import { biasLayer, embeddingLayer } from "./layerNames";
import { dotBiasModel } from "./matrixFactorization";
import { ModelOptions } from "./options";
import { Recommender } from "./recommender";
import { Side } from "./side";

const SIDES: Side[] = ["user", "movie"];

export function dotBiasFromPretrained(pretrained: Recommender, options: Omit<ModelOptions, "factors"> = {}): Recommender {
  if (pretrained.spec.input !== "indices") throw new Error(`dotBiasFromPretrained: '${pretrained.kind}' has no embedding tables to start from`);
  const [userTable] = pretrained.model.getLayer(embeddingLayer("user")).getWeights();
  const factors = userTable.shape[1] as number;
  const next = dotBiasModel({ encoders: pretrained.encoders }, { target: pretrained.spec.target, ...options, factors });
  for (const side of SIDES) {
    next.model.getLayer(embeddingLayer(side)).setWeights(pretrained.model.getLayer(embeddingLayer(side)).getWeights());
    // A hybrid's dot+bias head already learned the biases (lesson 2's model 5 keeps them); other models start them afresh.
    if (pretrained.hasBiases) next.model.getLayer(biasLayer(side)).setWeights(pretrained.model.getLayer(biasLayer(side)).getWeights());
  }
  return next;
}
