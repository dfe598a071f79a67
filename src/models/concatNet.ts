// Models that read the concatenated user and movie embeddings.
import { concat, denseOut, denseStack } from "./layers";
import { factorGraph, finishModel } from "./graph";
import { ModelData, ModelOptions } from "./options";
import { Recommender } from "./recommender";

export interface NeuralNetOptions extends ModelOptions {
  /** Hidden layer sizes, e.g. [70] (lesson 1) or [100, 100, 50] (lesson 2). */
  hidden?: number[];
  /** Dropout after each hidden layer: one rate, or one per layer. */
  dropout?: number | number[];
  /** Dropout on the concatenated embeddings before the first hidden layer. */
  inputDropout?: number;
  batchNorm?: boolean;
  activation?: "relu" | "tanh" | "sigmoid" | "linear";
}

/** concat(user, movie) -> [dropout] -> dense layers (each with dropout) -> rating. */
export function neuralNetModel(data: ModelData, options: NeuralNetOptions = {}): Recommender {
  const g = factorGraph(data, options);
  const hidden = denseStack(concat([g.userFactors, g.movieFactors]), {
    hidden: options.hidden ?? [70],
    dropout: options.dropout ?? 0.5,
    inputDropout: options.inputDropout,
    batchNorm: options.batchNorm,
    activation: options.activation,
    seed: options.seed,
  });
  return finishModel(options.batchNorm ? "neuralNetBatchNorm" : "neuralNet", data, options, g.inputs, denseOut(hidden, "rating", options.seed));
}

/** A single linear layer over concat(user, movie): the baseline the NN has to beat. */
export function linearModel(data: ModelData, options: ModelOptions = {}): Recommender {
  const g = factorGraph(data, options);
  return finishModel("linear", data, options, g.inputs, denseOut(concat([g.userFactors, g.movieFactors]), "rating", options.seed));
}
