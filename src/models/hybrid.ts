// Seed 000, model 3: one set of embeddings trained by two heads at once, a linear head over
// concat(user, movie) and a dot+bias head, with weighted losses.
import * as tf from "@tensorflow/tfjs";
import { add, concat, denseOut, dot } from "./layers";
import { factorGraph } from "./matrixFactorization";
import { ModelOptions } from "./options";
import { DEFAULT_TARGET, Encoders, Recommender } from "./recommender";

export interface HybridOptions extends Omit<ModelOptions, "ratingRange"> {
  /** Loss weights of [linear head, dot+bias head]. */
  lossWeights?: [number, number];
}

export function hybridModel(encoders: Encoders, options: HybridOptions = {}): Recommender {
  const g = factorGraph(encoders, options);
  const linear = denseOut(concat([g.userFactors, g.movieFactors]), "linear_rating", options.seed);
  const dotBias = add([dot(g.userFactors, g.movieFactors), g.userBias(), g.movieBias()], "dot_bias_rating");
  const model = tf.model({ inputs: g.inputs, outputs: [linear, dotBias], name: "hybrid" });
  return new Recommender(model, { kind: "hybrid", input: "indices", ratingOutput: 1, lossWeights: options.lossWeights ?? [0.5, 0.5], target: options.target ?? DEFAULT_TARGET }, encoders);
}
