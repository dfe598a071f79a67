// A training step whose cost follows the batch, not the tables. tfjs differentiates an
// Embedding into a dense table-sized gradient, and its optimizers and the L2 penalty then touch
// every row, so a step on ml-25m's tables moves 11M parameters to learn from 1024 ratings.
// Here each step:
//   1. finds the distinct users and movies of the batch and numbers them 0..count-1;
//   2. computes the loss gradient with respect to those rows only: for dot / dot+bias / sigmoid
//      range graphs with one fused loop (dotKernel.ts), for every other graph by letting tfjs
//      differentiate the model run on small tables that hold just those rows, swapped into the
//      Embedding layers for the step (dense layers get their gradients in the same pass);
//   3. adds the L2 gradient of the rows in the batch (Keras's l2 on the table) for every step since
//      each row was last updated: a dense step pulls every row toward zero on every step, and a
//      row a batch skips still owes those pulls. Without this catch-up, lazy updates under-
//      regularise rare users and movies (ml-latest-small: 0.854 against dense's 0.833 RMSE);
//      with it they land within 0.005 of dense;
//   4. updates those rows in place with a row-wise optimizer (rowOptimizers.ts), and the other
//      weights with the tfjs optimizer of the same name.
// In dense mode (train's step "dense", Keras's maths) steps 1 and 2 are the same, and then every
// row of every table takes the optimizer update in one pass: the batch's gradient on its rows,
// zero on the rest, and L2's 2 * l2 * w on all, as tfjs's optimizer over the full-table gradient
// would do, without the dozen tensor passes over each table that tfjs's Adam makes.
// The tables live in typed memory during training; finish() writes them back into the model.
import * as tf from "@tensorflow/tfjs";
import { DotGradients, DotGraph, dotGradients, dotPredict, matchDotGraph } from "./dotKernel";
import { EmbeddingTable, findEmbeddingTables, loadTables, otherTrainableVariables, storeTables } from "./embeddingTables";
import { AdamCorrections, createRowState, OptimizerName, RowState, setLearningRate, tfjsOptimizer, updateEveryRow, updateRows } from "./rowOptimizers";

export interface SparseStepOptions {
  optimizer: OptimizerName;
  /** Ratings in stars are trained as (rating - shift) / scale, as the model's spec says. */
  target: { shift: number; scale: number };
  /** The batch loss in model units from the model's outputs (the hybrid weights its two heads). */
  loss: (outputs: tf.Tensor | tf.Tensor[], target: tf.Tensor) => tf.Scalar;
  /** Loss weight of the single output, for the fused kernel. */
  outputWeight?: number;
  /** Use the fused dot/dot+bias kernel where it applies (default true). */
  fused?: boolean;
  /** "sparse" (default): lazy updates of the batch's rows. "dense": every row every step, as Keras. */
  mode?: "sparse" | "dense";
}

/** The distinct rows one index input looks up in a batch, and each rating's position among them. */
class BatchRows {
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

export class SparseStep {
  readonly tables: EmbeddingTable[];
  /** Set when the fused kernel runs this model's steps. */
  dotGraph: DotGraph | undefined;
  /** Steps taken so far (Adam's bias correction counts them across train() calls). */
  steps = 0;
  private readonly states: RowState[];
  /** Per table with L2: the step at which each row last got its L2 gradient. */
  private readonly penalisedAt: Int32Array[];
  /** Dense mode: a zero gradient row per table, for the rows the batch doesn't touch. */
  private readonly zeros: Float32Array[];
  private readonly corrections = new AdamCorrections();
  private readonly batchRows: BatchRows[];
  private readonly denseVariables: tf.Variable[];
  private readonly denseOptimizer: tf.Optimizer | undefined;
  private readonly epsilon = tf.backend().epsilon();
  private grads: Float32Array[] = [];
  private gathered: Float32Array[] = [];
  private targets = new Float32Array(0);
  private verified = false;

  constructor(
    readonly model: tf.LayersModel,
    readonly options: SparseStepOptions,
  ) {
    const tables = SparseStep.supports(model) ? findEmbeddingTables(model) : undefined;
    if (!tables) throw new Error(`sparse step: model '${model.name}' has no Embedding layers reading its [user, movie] index inputs; use step "dense"`);
    this.tables = tables;
    loadTables(tables);
    this.states = tables.map((t) => createRowState(options.optimizer, t.values.length));
    this.penalisedAt = tables.map((t) => new Int32Array(t.l2 > 0 && !this.everyRow ? t.rows : 0));
    this.zeros = tables.map((t) => new Float32Array(this.everyRow ? t.width : 0));
    this.batchRows = model.inputs.map((_, input) => new BatchRows(Math.max(0, ...tables.filter((t) => t.input === input).map((t) => t.rows))));
    this.denseVariables = otherTrainableVariables(model, tables);
    this.denseOptimizer = this.denseVariables.length > 0 ? tfjsOptimizer(options.optimizer, 1e-3) : undefined;
    this.dotGraph = options.fused === false ? undefined : matchDotGraph(model, tables);
  }

  /** Dense mode: every row of every table moves on every step. */
  get everyRow(): boolean {
    return this.options.mode === "dense";
  }

  /** Whether a model can be trained by this step: [user, movie] index inputs read by Embedding layers. */
  static supports(model: tf.LayersModel): boolean {
    return model.inputs.length === 2 && model.inputs.every((x) => x.dtype === "int32") && findEmbeddingTables(model) !== undefined;
  }

  /** Starts a training run: takes the model's current tables (they may have been set or restored). */
  begin(): void {
    loadTables(this.tables);
    if (this.dotGraph && !this.verified) {
      this.verified = true;
      if (!this.kernelMatchesModel(this.dotGraph)) this.dotGraph = undefined;
    }
  }

  /** Writes the trained tables into the model's variables (before validation, predict, save). */
  finish(): void {
    storeTables(this.tables);
  }

  /** The fused kernel must predict what the model predicts, or the graph isn't what it looks like. */
  private kernelMatchesModel(g: DotGraph): boolean {
    const n = Math.min(64, g.user.rows * g.movie.rows);
    const users = Int32Array.from({ length: n }, (_, i) => i % g.user.rows);
    const movies = Int32Array.from({ length: n }, (_, i) => (i * 7 + 3) % g.movie.rows);
    const ours = new Float32Array(n);
    dotPredict(g, users, movies, ours);
    const theirs = tf.tidy(() => (this.model.predict([tf.tensor2d(users, [n, 1], "int32"), tf.tensor2d(movies, [n, 1], "int32")]) as tf.Tensor).dataSync());
    return ours.every((x, i) => Math.abs(x - theirs[i]) <= 1e-4 * (1 + Math.abs(x)));
  }

  private reserve(n: number): void {
    if (this.targets.length >= n) return;
    this.targets = new Float32Array(n);
    this.grads = this.tables.map((t) => new Float32Array(n * t.width));
    this.gathered = this.tables.map((t) => new Float32Array(n * t.width));
    for (const rows of this.batchRows) rows.reserve(n);
  }

  /**
   * One step on a batch of encoded users and movies and their ratings in stars; returns the
   * batch loss: the weighted MSE in model units plus the L2 penalty of the rows in the batch
   * (dense mode: of every row, as Keras's loss).
   */
  step(users: Int32Array, movies: Int32Array, ratings: Float32Array, learningRate: number): number {
    const n = users.length;
    if (movies.length !== n || ratings.length !== n) throw new Error("sparse step: users, movies and ratings differ in length");
    if (n === 0) return 0;
    this.reserve(n);
    const indexInputs = [users, movies];
    this.batchRows.forEach((rows, input) => rows.collect(indexInputs[input]));
    const { shift, scale } = this.options.target;
    for (let i = 0; i < n; i++) this.targets[i] = (ratings[i] - shift) / scale;
    this.tables.forEach((t, j) => this.grads[j].fill(0, 0, this.batchRows[t.input].count * t.width));

    let loss = this.dotGraph ? this.fusedGradients(this.dotGraph, users, movies, n) : this.tfjsGradients(n, learningRate);
    this.steps++;
    const update = { optimizer: this.options.optimizer, learningRate, step: this.steps, epsilon: this.epsilon };
    if (this.everyRow) {
      this.corrections.next();
      const { correction1, correction2 } = this.corrections;
      this.tables.forEach((t, j) => {
        const rows = this.batchRows[t.input];
        loss += updateEveryRow(t.values, t.width, rows.slot, this.grads[j], this.zeros[j], t.l2, this.states[j], { ...update, correction1, correction2 });
      });
    } else {
      this.tables.forEach((t, j) => {
        const rows = this.batchRows[t.input];
        if (t.l2 > 0) loss += addL2(t, rows.unique, rows.count, this.grads[j], this.penalisedAt[j], this.steps);
        updateRows(t.values, t.width, rows.unique, rows.count, this.grads[j], this.states[j], update);
      });
    }
    for (const rows of this.batchRows) rows.release();
    return loss;
  }

  private fusedGradients(g: DotGraph, users: Int32Array, movies: Int32Array, n: number): number {
    const gradOf = (table: EmbeddingTable | undefined) => (table ? this.grads[this.tables.indexOf(table)] : undefined);
    const grads: DotGradients = { user: gradOf(g.user)!, movie: gradOf(g.movie)!, userBias: gradOf(g.userBias), movieBias: gradOf(g.movieBias) };
    const batch = { users, movies, localUsers: this.batchRows[0].local, localMovies: this.batchRows[1].local, targets: this.targets, length: n };
    return dotGradients(g, batch, this.options.outputWeight ?? 1, grads);
  }

  /** Lets tfjs differentiate the model run on tables holding only this batch's rows. */
  private tfjsGradients(n: number, learningRate: number): number {
    const layers = this.tables.map((t) => t.layer as unknown as { embeddings: { read(): tf.Tensor } });
    const originals = layers.map((l) => l.embeddings);
    try {
      return tf.tidy(() => {
        const small = this.tables.map((t, j) => {
          const rows = this.batchRows[t.input];
          const out = this.gathered[j];
          for (let r = 0; r < rows.count; r++) out.set(t.values.subarray(rows.unique[r] * t.width, (rows.unique[r] + 1) * t.width), r * t.width);
          return tf.tensor2d(out.subarray(0, rows.count * t.width), [rows.count, t.width]);
        });
        small.forEach((table, j) => (layers[j].embeddings = { read: () => table }));
        const x = this.batchRows.map((rows) => tf.tensor2d(rows.local.subarray(0, n), [n, 1], "int32"));
        const y = tf.tensor2d(this.targets.subarray(0, n), [n, 1]);
        const lossOf = () => this.options.loss(this.model.apply(x, { training: true }) as tf.Tensor | tf.Tensor[], y);
        const { value, grads } = tf.valueAndGrads(lossOf)([...small, ...this.denseVariables]);
        this.tables.forEach((_, j) => this.grads[j].set(grads[j].dataSync()));
        if (this.denseOptimizer) {
          setLearningRate(this.denseOptimizer, learningRate);
          this.denseOptimizer.applyGradients(Object.fromEntries(this.denseVariables.map((v, i) => [v.name, grads[this.tables.length + i]])));
        }
        return value.dataSync()[0];
      });
    } finally {
      layers.forEach((l, j) => (l.embeddings = originals[j]));
    }
  }
}

/**
 * Adds Keras's L2 gradient 2 * l2 * w to the rows in the batch, times the steps since each row last
 * got it (`penalisedAt`, updated here); returns the batch rows' penalty l2 * sum(w^2).
 */
function addL2(t: EmbeddingTable, rows: Int32Array, count: number, grads: Float32Array, penalisedAt: Int32Array, step: number): number {
  let penalty = 0;
  const w = t.width;
  for (let j = 0; j < count; j++) {
    const row = rows[j];
    const pull = 2 * t.l2 * (step - penalisedAt[row]);
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

const steps = { sparse: new WeakMap<tf.LayersModel, SparseStep>(), dense: new WeakMap<tf.LayersModel, SparseStep>() };

/**
 * The sparse (or dense-mode) step of a model, kept between train() calls so a training sequence
 * continues with its optimizer state (Adam's moments and step count). Asking for another
 * optimizer is an error. The two modes keep separate state, as two optimizers would.
 */
export function sparseStepFor(model: tf.LayersModel, options: SparseStepOptions): SparseStep {
  const mode = steps[options.mode ?? "sparse"];
  let step = mode.get(model);
  if (step && step.options.optimizer !== options.optimizer) {
    throw new Error(`train: this model was trained with ${step.options.optimizer}; a training sequence keeps its optimizer (got ${options.optimizer})`);
  }
  if (!step) {
    step = new SparseStep(model, options);
    mode.set(model, step);
  }
  return step;
}
