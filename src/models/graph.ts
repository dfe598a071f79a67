// What every builder shares: the user and movie inputs with their embedding tables, and the
// finishing step that turns a score into a Recommender with the data's rating range and target.
import * as tf from "@tensorflow/tfjs";
import { ensureBackendSync } from "../backend/selectBackend";
import { embed, indexInput, scoreToRating } from "./layers";
import { biasLayer, embeddingLayer } from "./layerNames";
import { checkModelData, DEFAULT_FACTORS, ModelData, ModelOptions, outputScale } from "./options";
import { datasetField } from "./fingerprint";
import { ModelSpec, Recommender, singleOutputSpec } from "./recommender";

/** The user/movie index inputs, their embeddings, and (on demand) their biases. */
export function factorGraph(data: ModelData, options: ModelOptions) {
  checkModelData(data, "model builder");
  ensureBackendSync();
  const factors = options.factors ?? DEFAULT_FACTORS;
  if (!(Number.isInteger(factors) && factors > 0)) throw new Error(`factors must be a positive integer, got ${factors}`);
  const user = indexInput("user");
  const movie = indexInput("movie");
  const { users, movies } = data.encoders;
  const embedding = { l2: options.l2, seed: options.seed };
  const userFactors = embed(user, users.size, factors, embeddingLayer("user"), embedding);
  const movieFactors = embed(movie, movies.size, factors, embeddingLayer("movie"), embedding);
  const userBias = () => embed(user, users.size, 1, biasLayer("user"), { seed: options.seed });
  const movieBias = () => embed(movie, movies.size, 1, biasLayer("movie"), { seed: options.seed });
  return { inputs: [user, movie], userFactors, movieFactors, userBias, movieBias };
}

/** A one-output model: the score, squashed into the rating range when there is one. */
export function finishModel(
  kind: string,
  data: ModelData,
  options: ModelOptions,
  inputs: tf.SymbolicTensor[],
  score: tf.SymbolicTensor,
  input: ModelSpec["input"] = "indices",
): Recommender {
  const { ratingRange, target } = outputScale(data, options);
  const model = tf.model({ inputs, outputs: scoreToRating(score, ratingRange), name: kind });
  return new Recommender(model, { ...singleOutputSpec(kind, target, input), ...datasetField(data) }, data.encoders);
}
