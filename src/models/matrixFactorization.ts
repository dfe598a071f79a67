// Matrix factorisation: a rating is the dot product of a user and a movie embedding,
// optionally plus a per-user and per-movie bias and squashed into the rating range.
import { add, dot } from "./layers";
import { factorGraph, finishModel } from "./graph";
import { ModelData, ModelOptions } from "./options";
import { Recommender } from "./recommender";

/** rating = mean + user . movie */
export function dotProductModel(data: ModelData, options: ModelOptions = {}): Recommender {
  const g = factorGraph(data, options);
  return finishModel("dotProduct", data, options, g.inputs, dot(g.userFactors, g.movieFactors));
}

/** rating = mean + user . movie + userBias + movieBias (with ratingRange: squashed into the range). */
export function dotBiasModel(data: ModelData, options: ModelOptions = {}): Recommender {
  const g = factorGraph(data, options);
  const score = add([dot(g.userFactors, g.movieFactors), g.userBias(), g.movieBias()], "add_biases");
  return finishModel("dotBias", data, options, g.inputs, score);
}
