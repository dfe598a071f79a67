// Models that read the concatenated user and movie embeddings.
import * as tf from "@tensorflow/tfjs";
import { concat, denseOut, denseStack, scoreToRating } from "./layers";
import { factorGraph } from "./matrixFactorization";
import { ModelOptions } from "./options";
import { Encoders, Recommender, singleOutputSpec } from "./recommender";

export interface NeuralNetOptions extends ModelOptions {
  /** Hidden layer sizes; the lessons use one layer of 70 (seed 000) or 10 (seed 001). */
  hidden?: number[];
  /** Dropout before and after each hidden layer. */
  dropout?: number;
  batchNorm?: boolean;
}

/** concat(user, movie) -> dropout -> dense layers -> rating. */
export function neuralNetModel(encoders: Encoders, options: NeuralNetOptions = {}): Recommender {
  const g = factorGraph(encoders, options);
  const hidden = denseStack(concat([g.userFactors, g.movieFactors]), {
    hidden: options.hidden ?? [70],
    dropout: options.dropout ?? 0.5,
    batchNorm: options.batchNorm,
    seed: options.seed,
  });
  const out = scoreToRating(denseOut(hidden, "rating", options.seed), options.ratingRange);
  const kind = options.batchNorm ? "neuralNetBatchNorm" : "neuralNet";
  return new Recommender(tf.model({ inputs: g.inputs, outputs: out, name: kind }), singleOutputSpec(kind, options.target), encoders);
}

/** A single linear layer over concat(user, movie): the baseline the NN has to beat. */
export function linearModel(encoders: Encoders, options: ModelOptions = {}): Recommender {
  const g = factorGraph(encoders, options);
  const out = scoreToRating(denseOut(concat([g.userFactors, g.movieFactors]), "rating", options.seed), options.ratingRange);
  return new Recommender(tf.model({ inputs: g.inputs, outputs: out, name: "linear" }), singleOutputSpec("linear", options.target), encoders);
}
