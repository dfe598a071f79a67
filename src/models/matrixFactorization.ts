// Matrix factorisation: a rating is the dot product of a user and a movie embedding,
// optionally plus a per-user and per-movie bias and squashed into the rating range.
import * as tf from "@tensorflow/tfjs";
import { add, dot, embed, indexInput, scoreToRating } from "./layers";
import { DEFAULT_FACTORS, ModelOptions } from "./options";
import { Encoders, Recommender, singleOutputSpec } from "./recommender";

/** The shared graph pieces, reused by the hybrid and mixed models. */
export function factorGraph(encoders: Encoders, options: ModelOptions) {
  const factors = options.factors ?? DEFAULT_FACTORS;
  const user = indexInput("user");
  const movie = indexInput("movie");
  const embedding = { l2: options.l2, seed: options.seed };
  const userFactors = embed(user, encoders.users.size, factors, "user_embedding", embedding);
  const movieFactors = embed(movie, encoders.movies.size, factors, "movie_embedding", embedding);
  const userBias = () => embed(user, encoders.users.size, 1, "user_bias", { seed: options.seed });
  const movieBias = () => embed(movie, encoders.movies.size, 1, "movie_bias", { seed: options.seed });
  return { inputs: [user, movie], userFactors, movieFactors, userBias, movieBias };
}

function build(kind: string, encoders: Encoders, options: ModelOptions, withBias: boolean): Recommender {
  const g = factorGraph(encoders, options);
  let score = dot(g.userFactors, g.movieFactors);
  if (withBias) score = add([score, g.userBias(), g.movieBias()], "add_biases");
  const model = tf.model({ inputs: g.inputs, outputs: scoreToRating(score, options.ratingRange), name: kind });
  return new Recommender(model, singleOutputSpec(kind, options.target), encoders);
}

/** rating = user . movie */
export function dotProductModel(encoders: Encoders, options: ModelOptions = {}): Recommender {
  return build("dotProduct", encoders, options, false);
}

/** rating = user . movie + userBias + movieBias (with ratingRange: squashed into the range). */
export function dotBiasModel(encoders: Encoders, options: ModelOptions = {}): Recommender {
  return build("dotBias", encoders, options, true);
}
