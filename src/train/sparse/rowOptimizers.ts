// The tfjs side of the optimizers: the same algorithms over tfjs variables, for the dense layers
// and the reference dense step. The row-wise updates live in rowUpdates.ts (no tfjs, so worker
// threads can load them) and are re-exported here.
import * as tf from "@tensorflow/tfjs";
import { ADAGRAD, ADAM, OptimizerName, RMSPROP } from "./rowUpdates";

export * from "./rowUpdates";

/** The tfjs optimizer of that name: the dense step's, and the sparse step's for non-embedding weights. */
export function tfjsOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case "sgd":
      return tf.train.sgd(learningRate);
    case "rmsprop":
      return tf.train.rmsprop(learningRate, RMSPROP.decay);
    case "adagrad":
      return tf.train.adagrad(learningRate, ADAGRAD.initialAccumulator);
    case "adam":
      return tf.train.adam(learningRate, ADAM.beta1, ADAM.beta2);
  }
}

/**
 * Changes a tfjs optimizer's learning rate between steps. Adam, RMSProp and Adagrad read the
 * field on each step; SGD keeps a scalar made from it, which only its setLearningRate renews.
 */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const o = optimizer as unknown as { learningRate: number; setLearningRate?(lr: number): void };
  if (o.learningRate === learningRate) return;
  if (o.setLearningRate) o.setLearningRate(learningRate);
  else o.learningRate = learningRate;
}
