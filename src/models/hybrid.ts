// Lesson 2, model 3: one set of embeddings trained by two heads at once, a linear head over
// concat(user, movie) and a dot+bias head, with weighted losses.
import * as tf from "@tensorflow/tfjs";
import { add, concat, denseOut, dot } from "./layers";
import { factorGraph } from "./graph";
import { ModelData, ModelOptions, outputScale } from "./options";
import { datasetField } from "./fingerprint";
import { Recommender } from "./recommender";

export interface HybridOptions extends Omit<ModelOptions, "ratingRange"> {
  /** Loss weights of [linear head, dot+bias head]; lesson 2 uses [0.2, 1]. */
  lossWeights?: [number, number];
}

export function hybridModel(data: ModelData, options: HybridOptions = {}): Recommender {
  const g = factorGraph(data, options);
  const linear = denseOut(concat([g.userFactors, g.movieFactors]), "linear_rating", options.seed);
  const dotBias = add([dot(g.userFactors, g.movieFactors), g.userBias(), g.movieBias()], "dot_bias_rating");
  const model = tf.model({ inputs: g.inputs, outputs: [linear, dotBias], name: "hybrid" });
  const { target } = outputScale(data, options);
  const lossWeights = options.lossWeights ?? [0.5, 0.5];
  if (!lossWeights.every((w) => Number.isFinite(w) && w >= 0)) throw new Error(`lossWeights must be non-negative numbers, got ${lossWeights}`);
  return new Recommender(model, { kind: "hybrid", input: "indices", ratingOutput: 1, lossWeights, outputNames: ["linear head", "dot+bias head"], target, ...datasetField(data) }, data.encoders);
}
