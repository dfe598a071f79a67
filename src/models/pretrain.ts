// Seed 000, model 4: train a model first (the NN), then start a dot+bias model from its
// user and movie embeddings instead of random ones.
import { dotBiasModel } from "./matrixFactorization";
import { ModelOptions } from "./options";
import { Recommender } from "./recommender";

export const EMBEDDING_LAYERS = ["user_embedding", "movie_embedding"] as const;

export function dotBiasFromPretrained(pretrained: Recommender, options: Omit<ModelOptions, "factors"> = {}): Recommender {
  const [userTable] = pretrained.model.getLayer(EMBEDDING_LAYERS[0]).getWeights();
  const factors = userTable.shape[1] as number;
  const next = dotBiasModel(pretrained.encoders, { target: pretrained.spec.target, ...options, factors });
  for (const name of EMBEDDING_LAYERS) {
    next.model.getLayer(name).setWeights(pretrained.model.getLayer(name).getWeights());
  }
  return next;
}
