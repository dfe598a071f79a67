// Row-wise optimizer updates for embedding tables: only the rows a batch touched are read and
// written, so a step costs O(batch x width) however large the table is.
//
// Lazy Adam follows TF's LazyAdam and PyTorch's SparseAdam: the gradient rows of repeated indices
// are summed first (the caller hands one row per distinct index), only those rows' moments
// decay and update, and the bias correction uses the global step count t. The arithmetic is
// tfjs's own Adam (epsilon added to the bias-corrected sqrt(v), tfjs's default epsilon), so a
// batch that touches every row gives exactly the update tf.train.adam would. Rows a batch
// doesn't touch keep their moments: that is the difference from dense Adam, whose moments of
// every row decay each step and keep moving rows whose gradient is zero.
// SGD and Adagrad are the same algorithm sparse or dense (a zero gradient changes nothing);
// RMSProp is lazy in the same way as Adam.
import * as tf from "@tensorflow/tfjs";

export type OptimizerName = "adam" | "sgd" | "rmsprop" | "adagrad";

export const OPTIMIZER_NAMES: readonly OptimizerName[] = ["adam", "sgd", "rmsprop", "adagrad"];

/** tfjs's defaults, so dense and sparse steps run the same optimizer. */
export const ADAM = { beta1: 0.9, beta2: 0.999 };
export const RMSPROP = { decay: 0.9 };
export const ADAGRAD = { initialAccumulator: 0.1 };

/** One table's optimizer state: as many slots as the algorithm needs, each the table's size. */
export interface RowState {
  readonly slots: Float32Array[];
}

export function createRowState(optimizer: OptimizerName, size: number): RowState {
  switch (optimizer) {
    case "sgd":
      return { slots: [] };
    case "adagrad":
      return { slots: [new Float32Array(size).fill(ADAGRAD.initialAccumulator)] };
    case "rmsprop":
      return { slots: [new Float32Array(size)] };
    case "adam":
      return { slots: [new Float32Array(size), new Float32Array(size)] };
  }
}

export interface RowUpdate {
  optimizer: OptimizerName;
  learningRate: number;
  /** The global step, counted from 1 (Adam's bias correction). */
  step: number;
  epsilon: number;
}

/**
 * Applies `grads` (row j holds the gradient of table row rows[j]) to `table`, in place, for the
 * first `count` entries of `rows`. Rows must be distinct.
 */
export function updateRows(table: Float32Array, width: number, rows: Int32Array, count: number, grads: Float32Array, state: RowState, update: RowUpdate): void {
  const { learningRate: lr, epsilon } = update;
  switch (update.optimizer) {
    case "sgd":
      for (let j = 0; j < count; j++) {
        const base = rows[j] * width;
        const g = j * width;
        for (let c = 0; c < width; c++) table[base + c] -= lr * grads[g + c];
      }
      return;
    case "adagrad": {
      const [acc] = state.slots;
      for (let j = 0; j < count; j++) {
        const base = rows[j] * width;
        const g = j * width;
        for (let c = 0; c < width; c++) {
          const gradient = grads[g + c];
          const a = (acc[base + c] += gradient * gradient);
          table[base + c] -= (lr * gradient) / Math.sqrt(a + epsilon);
        }
      }
      return;
    }
    case "rmsprop": {
      const [meanSquare] = state.slots;
      const { decay } = RMSPROP;
      for (let j = 0; j < count; j++) {
        const base = rows[j] * width;
        const g = j * width;
        for (let c = 0; c < width; c++) {
          const gradient = grads[g + c];
          const ms = (meanSquare[base + c] = decay * meanSquare[base + c] + (1 - decay) * gradient * gradient);
          table[base + c] -= (lr * gradient) / Math.sqrt(ms + epsilon);
        }
      }
      return;
    }
    case "adam": {
      const [m, v] = state.slots;
      const { beta1, beta2 } = ADAM;
      const correction1 = 1 - Math.pow(beta1, update.step);
      const correction2 = 1 - Math.pow(beta2, update.step);
      for (let j = 0; j < count; j++) {
        const base = rows[j] * width;
        const g = j * width;
        for (let c = 0; c < width; c++) {
          const gradient = grads[g + c];
          const i = base + c;
          const first = (m[i] = beta1 * m[i] + (1 - beta1) * gradient);
          const second = (v[i] = beta2 * v[i] + (1 - beta2) * gradient * gradient);
          table[i] -= (lr * (first / correction1)) / (Math.sqrt(second / correction2) + epsilon);
        }
      }
      return;
    }
  }
}

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
