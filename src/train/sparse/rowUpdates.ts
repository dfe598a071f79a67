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
// Plain typed-array code with no tfjs import, so the training worker threads load it too.

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
 * Adam's bias corrections 1 - beta^t as tfjs's Adam computes them: beta^t kept as a float32
 * product, multiplied by beta once a step. The dense step uses these so it matches tfjs's dense
 * step; the sparse step keeps 1 - Math.pow(beta, t).
 */
export class AdamCorrections {
  private power1 = Math.fround(ADAM.beta1);
  private power2 = Math.fround(ADAM.beta2);
  correction1 = NaN;
  correction2 = NaN;

  /** The corrections for the next step. */
  next(): void {
    this.correction1 = Math.fround(1 - this.power1);
    this.correction2 = Math.fround(1 - this.power2);
    this.power1 = Math.fround(this.power1 * Math.fround(ADAM.beta1));
    this.power2 = Math.fround(this.power2 * Math.fround(ADAM.beta2));
  }
}

/** What one row update reads besides the row: the step's constants. */
interface RowConstants {
  lr: number;
  epsilon: number;
  correction1: number;
  correction2: number;
}

/**
 * One row's update per optimizer: w[base + c] moves by the gradient grads[g + c] + pull * w[base + c]
 * (pull = 2 * l2 for the dense step's L2 on every row, 0 where the caller added L2 itself).
 */
type RowKernel = (w: Float32Array, slots: Float32Array[], base: number, grads: Float32Array, g: number, width: number, pull: number, k: RowConstants) => void;

const ROW_KERNELS: Record<OptimizerName, RowKernel> = {
  sgd(w, _slots, base, grads, g, width, pull, k) {
    for (let i = base; i < base + width; i++) w[i] -= k.lr * (grads[g + i - base] + pull * w[i]);
  },
  adagrad(w, [acc], base, grads, g, width, pull, k) {
    for (let i = base; i < base + width; i++) {
      const gradient = grads[g + i - base] + pull * w[i];
      w[i] -= (k.lr * gradient) / Math.sqrt((acc[i] += gradient * gradient) + k.epsilon);
    }
  },
  rmsprop(w, [meanSquare], base, grads, g, width, pull, k) {
    const { decay } = RMSPROP;
    for (let i = base; i < base + width; i++) {
      const gradient = grads[g + i - base] + pull * w[i];
      const ms = (meanSquare[i] = decay * meanSquare[i] + (1 - decay) * gradient * gradient);
      w[i] -= (k.lr * gradient) / Math.sqrt(ms + k.epsilon);
    }
  },
  adam(w, [m, v], base, grads, g, width, pull, k) {
    const { beta1, beta2 } = ADAM;
    for (let i = base; i < base + width; i++) {
      const gradient = grads[g + i - base] + pull * w[i];
      const first = (m[i] = beta1 * m[i] + (1 - beta1) * gradient);
      const second = (v[i] = beta2 * v[i] + (1 - beta2) * gradient * gradient);
      w[i] -= (k.lr * (first / k.correction1)) / (Math.sqrt(second / k.correction2) + k.epsilon);
    }
  },
};

/**
 * Applies `grads` (row j holds the gradient of table row rows[j]) to `table`, in place, for the
 * first `count` entries of `rows`. Rows must be distinct.
 */
export function updateRows(table: Float32Array, width: number, rows: Int32Array, count: number, grads: Float32Array, state: RowState, update: RowUpdate): void {
  const { beta1, beta2 } = ADAM;
  const constants: RowConstants = { lr: update.learningRate, epsilon: update.epsilon, correction1: 1 - Math.pow(beta1, update.step), correction2: 1 - Math.pow(beta2, update.step) };
  const kernel = ROW_KERNELS[update.optimizer];
  for (let j = 0; j < count; j++) kernel(table, state.slots, rows[j] * width, grads, j * width, width, 0, constants);
}

/**
 * The dense step's update: every row of `table` in one pass, with the batch's gradient where
 * slot[row] >= 0 (grads row slot[row]) and zero elsewhere, plus Keras's L2 gradient 2 * l2 * w on
 * every row. Returns the table's L2 penalty l2 * sum(w^2) before the update.
 */
export function updateEveryRow(
  table: Float32Array,
  width: number,
  slot: Int32Array,
  grads: Float32Array,
  zeros: Float32Array,
  l2: number,
  state: RowState,
  update: RowUpdate & { correction1: number; correction2: number },
): number {
  const constants: RowConstants = { lr: update.learningRate, epsilon: update.epsilon, correction1: update.correction1, correction2: update.correction2 };
  const kernel = ROW_KERNELS[update.optimizer];
  const pull = 2 * l2;
  const rows = table.length / width;
  let squares = 0;
  for (let row = 0; row < rows; row++) {
    const base = row * width;
    if (l2 > 0) for (let i = base; i < base + width; i++) squares += table[i] * table[i];
    const s = slot[row];
    if (s < 0) kernel(table, state.slots, base, zeros, 0, width, pull, constants);
    else kernel(table, state.slots, base, grads, s * width, width, pull, constants);
  }
  return l2 * squares;
}
