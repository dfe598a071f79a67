// The sparse step's typed-array parts that need no tfjs: the batch's distinct rows, the L2
// gradient of those rows, and the whole fused step of the matrix-factorisation models on plain
// tables. The main thread's SparseStep and the training worker threads (hogwildWorker.ts) both
// run them, so one thread or many do the same arithmetic.
import { DotGradients, DotTables, dotGradients } from "./dotGradients";
import { OptimizerName, RowState, updateRows } from "./rowUpdates";

/**
 * Where the sparse step applies a table's L2 penalty:
 * "dense": Keras's maths as the dense step does it. A row in the batch also gets the pulls it
 *   missed while batches skipped it (steps since it was last penalised), so over an epoch every
 *   row is pulled once per step, in or out of the batch. Right at the lessons' scale; at ml-25m's
 *   the penalty grows with the steps per epoch and shrinks rare users and movies towards zero.
 * "batch": the pull only on the rows in the batch, once per step (TF's LazyAdam with an L2 loss
 *   on the looked-up rows, PyTorch's SparseAdam with the penalty on the batch's embeddings): the
 *   penalty per rating stays the same at every scale.
 */
export type L2Mode = "dense" | "batch";

export const L2_MODES: readonly L2Mode[] = ["dense", "batch"];

/** A table as the fused step trains it: row-major weights, their width and L2 strength. */
export interface PlainTable {
  values: Float32Array;
  width: number;
  rows: number;
  l2: number;
  /** Which index input (0 users, 1 movies) looks rows up in it. */
  input: number;
}

/** The distinct rows one index input looks up in a batch, and each rating's position among them. */
export class BatchRows {
  /** Each table row's position among this batch's distinct rows, -1 for rows not in the batch. */
  readonly slot: Int32Array;
  unique = new Int32Array(0);
  local = new Int32Array(0);
  count = 0;

  constructor(rows: number) {
    this.slot = new Int32Array(rows).fill(-1);
  }

  reserve(capacity: number): void {
    if (this.local.length < capacity) {
      this.unique = new Int32Array(capacity);
      this.local = new Int32Array(capacity);
    }
  }

  collect(indices: Int32Array): void {
    const slot = this.slot;
    let count = 0;
    for (let i = 0; i < indices.length; i++) {
      const row = indices[i];
      if (!(row >= 0 && row < slot.length)) throw new Error(`sparse step: index ${row} is not in [0, ${slot.length - 1}]`);
      let s = slot[row];
      if (s < 0) {
        s = slot[row] = count++;
        this.unique[s] = row;
      }
      this.local[i] = s;
    }
    this.count = count;
  }

  /** Leaves the slot table all -1 again, touching only this batch's rows. */
  release(): void {
    for (let j = 0; j < this.count; j++) this.slot[this.unique[j]] = -1;
    this.count = 0;
  }
}

/**
 * Adds Keras's L2 gradient 2 * l2 * w to the rows in the batch: in "dense" mode times the steps
 * since each row last got it, in "batch" mode once. `penalisedAt` (updated here) records the
 * step; returns the batch rows' penalty l2 * sum(w^2).
 */
export function addL2(t: PlainTable, rows: Int32Array, count: number, grads: Float32Array, penalisedAt: Int32Array, step: number, mode: L2Mode = "dense"): number {
  let penalty = 0;
  const w = t.width;
  const batchOnly = mode === "batch";
  for (let j = 0; j < count; j++) {
    const row = rows[j];
    const pull = 2 * t.l2 * (batchOnly ? 1 : step - penalisedAt[row]);
    penalisedAt[row] = step;
    const base = row * w;
    for (let c = 0; c < w; c++) {
      const value = t.values[base + c];
      penalty += value * value;
      grads[j * w + c] += pull * value;
    }
  }
  return t.l2 * penalty;
}

/** Which tables of a fused model play which part (indices into the table list). */
export interface DotRoles {
  user: number;
  movie: number;
  userBias?: number;
  movieBias?: number;
  range?: { min: number; max: number };
}

/** Everything a fused step needs besides the tables and their state. */
export interface FusedStepConfig {
  roles: DotRoles;
  optimizer: OptimizerName;
  epsilon: number;
  target: { shift: number; scale: number };
  outputWeight: number;
}

/**
 * The sparse step of a dot / dot+bias / sigmoid-range model on plain tables, as SparseStep runs
 * it with its fused kernel: the same operations in the same order, so the same numbers.
 */
export class FusedRowStep {
  private readonly batchRows: BatchRows[];
  private readonly graph: DotTables;
  private grads: Float32Array[] = [];
  private targets = new Float32Array(0);

  constructor(
    readonly tables: PlainTable[],
    readonly states: RowState[],
    readonly penalisedAt: Int32Array[],
    readonly config: FusedStepConfig,
  ) {
    this.batchRows = [0, 1].map((input) => new BatchRows(Math.max(0, ...tables.filter((t) => t.input === input).map((t) => t.rows))));
    const { roles } = config;
    const at = (i: number | undefined) => (i === undefined ? undefined : tables[i]);
    this.graph = { user: tables[roles.user], movie: tables[roles.movie], userBias: at(roles.userBias), movieBias: at(roles.movieBias), range: roles.range };
  }

  private reserve(n: number): void {
    if (this.targets.length >= n) return;
    this.targets = new Float32Array(n);
    this.grads = this.tables.map((t) => new Float32Array(n * t.width));
    for (const rows of this.batchRows) rows.reserve(n);
  }

  /** One step as global step number `step`; returns the batch loss (MSE plus the batch rows' L2). */
  step(users: Int32Array, movies: Int32Array, ratings: Float32Array, learningRate: number, step: number, l2Mode: L2Mode): number {
    const n = users.length;
    if (n === 0) return 0;
    this.reserve(n);
    this.batchRows[0].collect(users);
    this.batchRows[1].collect(movies);
    const { shift, scale } = this.config.target;
    for (let i = 0; i < n; i++) this.targets[i] = (ratings[i] - shift) / scale;
    this.tables.forEach((t, j) => this.grads[j].fill(0, 0, this.batchRows[t.input].count * t.width));
    const { roles } = this.config;
    const gradOf = (i: number | undefined) => (i === undefined ? undefined : this.grads[i]);
    const grads: DotGradients = { user: this.grads[roles.user], movie: this.grads[roles.movie], userBias: gradOf(roles.userBias), movieBias: gradOf(roles.movieBias) };
    const batch = { users, movies, localUsers: this.batchRows[0].local, localMovies: this.batchRows[1].local, targets: this.targets, length: n };
    let loss = dotGradients(this.graph, batch, this.config.outputWeight, grads);
    const update = { optimizer: this.config.optimizer, learningRate, step, epsilon: this.config.epsilon };
    this.tables.forEach((t, j) => {
      const rows = this.batchRows[t.input];
      if (t.l2 > 0) loss += addL2(t, rows.unique, rows.count, this.grads[j], this.penalisedAt[j], step, l2Mode);
      updateRows(t.values, t.width, rows.unique, rows.count, this.grads[j], this.states[j], update);
    });
    for (const rows of this.batchRows) rows.release();
    return loss;
  }
}
