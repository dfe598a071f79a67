// Reference training loops for the benchmark: dot+bias (optionally with the sigmoid range and L2
// on the factor tables) written as plain TypeScript over typed arrays, in the most direct form,
// one function each. The library's steps are timed against these in the same run, on the same
// batches, so a ratio says how close the library comes to straightforward code on this machine.
//   denseAdam: Keras's maths: a gradient for every row of every table (zero where unused), L2 on
//              every row, Adam on every row, each step.
//   lazyAdam:  the same gradient, but L2 and Adam on the rows the batch touched only.
//   sgd:       one update per rating (Funk's SVD loop), no batches, no optimizer state.
import { EncodedRatings } from "../../src/prep/encodedRatings";
import { seededRandom } from "../../src/prep/random";

export interface ReferenceConfig {
  users: number;
  movies: number;
  factors: number;
  l2: number;
  range?: [number, number];
  learningRate: number;
  batchSize: number;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-7;

class Table {
  readonly w: Float32Array;
  readonly grad: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  readonly touched: Int32Array;
  readonly mark: Uint8Array;
  count = 0;

  constructor(
    readonly rows: number,
    readonly width: number,
    readonly l2: number,
    random: () => number,
  ) {
    this.w = Float32Array.from({ length: rows * width }, () => (random() - 0.5) * 0.1);
    this.grad = new Float32Array(rows * width);
    this.m = new Float32Array(rows * width);
    this.v = new Float32Array(rows * width);
    this.touched = new Int32Array(rows);
    this.mark = new Uint8Array(rows);
  }

  touch(row: number): void {
    if (!this.mark[row]) {
      this.mark[row] = 1;
      this.touched[this.count++] = row;
    }
  }

  adamRow(row: number, lr: number, c1: number, c2: number): void {
    const { w, grad, m, v, width, l2 } = this;
    for (let i = row * width; i < (row + 1) * width; i++) {
      const g = grad[i] + 2 * l2 * w[i];
      m[i] = BETA1 * m[i] + (1 - BETA1) * g;
      v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
      w[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + EPSILON);
      grad[i] = 0;
    }
  }
}

export class Reference {
  private readonly tables: Table[];
  private step = 0;

  constructor(
    readonly config: ReferenceConfig,
    seed = 1,
  ) {
    const random = seededRandom(seed);
    const { users, movies, factors, l2 } = config;
    this.tables = [new Table(users, factors, l2, random), new Table(movies, factors, l2, random), new Table(users, 1, 0, random), new Table(movies, 1, 0, random)];
  }

  /** Gradients of the batch's mean squared error into the full-size gradient tables. */
  private gradients(data: EncodedRatings, order: Int32Array, start: number, end: number): void {
    const [U, M, ub, mb] = this.tables;
    const k = this.config.factors;
    const range = this.config.range;
    const n = end - start;
    for (let b = start; b < end; b++) {
      const j = order[b];
      const u = data.users[j];
      const m = data.movies[j];
      let score = ub.w[u] + mb.w[m];
      for (let c = 0; c < k; c++) score += U.w[u * k + c] * M.w[m * k + c];
      let out = score;
      let slope = 1;
      if (range) {
        const s = 1 / (1 + Math.exp(-score));
        out = range[0] + (range[1] - range[0]) * s;
        slope = (range[1] - range[0]) * s * (1 - s);
      }
      const d = ((2 * (out - data.ratings[j])) / n) * slope;
      for (let c = 0; c < k; c++) {
        U.grad[u * k + c] += d * M.w[m * k + c];
        M.grad[m * k + c] += d * U.w[u * k + c];
      }
      ub.grad[u] += d;
      mb.grad[m] += d;
      U.touch(u);
      ub.touch(u);
      M.touch(m);
      mb.touch(m);
    }
  }

  /** One epoch of Adam over every row (dense) or over the touched rows (lazy). */
  adamEpoch(data: EncodedRatings, order: Int32Array, lazy: boolean): void {
    const { learningRate: lr, batchSize } = this.config;
    for (let start = 0; start < data.length; start += batchSize) {
      this.gradients(data, order, start, Math.min(data.length, start + batchSize));
      this.step++;
      const c1 = 1 - Math.pow(BETA1, this.step);
      const c2 = 1 - Math.pow(BETA2, this.step);
      for (const t of this.tables) {
        if (lazy) for (let i = 0; i < t.count; i++) t.adamRow(t.touched[i], lr, c1, c2);
        else for (let row = 0; row < t.rows; row++) t.adamRow(row, lr, c1, c2);
        for (let i = 0; i < t.count; i++) t.mark[t.touched[i]] = 0;
        t.count = 0;
      }
    }
  }

  /** One epoch of per-rating SGD (no sigmoid: the classic loop). */
  sgdEpoch(data: EncodedRatings, order: Int32Array): void {
    const [U, M, ub, mb] = this.tables;
    const { factors: k, l2, learningRate: lr } = this.config;
    for (let b = 0; b < data.length; b++) {
      const j = order[b];
      const u = data.users[j];
      const m = data.movies[j];
      let score = ub.w[u] + mb.w[m];
      for (let c = 0; c < k; c++) score += U.w[u * k + c] * M.w[m * k + c];
      const e = score - data.ratings[j];
      ub.w[u] -= lr * e;
      mb.w[m] -= lr * e;
      for (let c = 0; c < k; c++) {
        const pu = U.w[u * k + c];
        const qm = M.w[m * k + c];
        U.w[u * k + c] -= lr * (e * qm + l2 * pu);
        M.w[m * k + c] -= lr * (e * pu + l2 * qm);
      }
    }
  }
}
