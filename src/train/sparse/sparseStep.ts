// A training step whose cost follows the batch, not the tables. tfjs differentiates an
// Embedding into a dense table-sized gradient, and its optimizers and the L2 penalty then touch
// every row, so a step on ml-25m's tables moves 11M parameters to learn from 1024 ratings.
// Here each step:
//   1. finds the distinct users and movies of the batch and numbers them 0..count-1;
//   2. computes the loss gradient with respect to those rows only: for dot / dot+bias / sigmoid
//      range graphs with one fused loop (dotKernel.ts), for every other graph by letting tfjs
//      differentiate the model run on small tables that hold just those rows, swapped into the
//      Embedding layers for the step (dense layers get their gradients in the same pass);
//   3. adds the L2 gradient of the rows in the batch (Keras's l2 on the table): in L2 mode "dense"
//      for every step since each row was last updated (a dense step pulls every row toward zero
//      on every step, and a row a batch skips still owes those pulls; without this catch-up, lazy
//      updates under-regularise rare users and movies at the lessons' scale, ml-latest-small
//      0.854 against dense's 0.833 RMSE, and with it they land within 0.005 of dense); in L2
//      mode "batch" once (fusedStep.ts says which suits which scale);
//   4. updates those rows in place with a row-wise optimizer (rowOptimizers.ts), and the other
//      weights with the tfjs optimizer of the same name.
// In dense mode (train's step "dense", Keras's maths) steps 1 and 2 are the same, and then every
// row of every table takes the optimizer update in one pass: the batch's gradient on its rows,
// zero on the rest, and L2's 2 * l2 * w on all, as tfjs's optimizer over the full-table gradient
// would do, without the dozen tensor passes over each table that tfjs's Adam makes.
// The tables live in typed memory during training; finish() writes them back into the model.
// With threads (hogwild.ts) the tables and the optimizer state move into shared memory and worker
// threads run the fused step (fusedStep.ts) on their own batches at once.
import * as tf from "@tensorflow/tfjs";
import { DotGradients, DotGraph, dotGradients, dotPredict, matchDotGraph } from "./dotKernel";
import { EmbeddingTable, findEmbeddingTables, loadTables, otherTrainableVariables, storeTables } from "./embeddingTables";
import { AdamCorrections, createRowState, OptimizerName, RowState, setLearningRate, tfjsOptimizer, updateEveryRow, updateRows } from "./rowOptimizers";
import { addL2, BatchRows, DotRoles, FusedStepConfig, L2Mode, PlainTable } from "./fusedStep";

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

export class SparseStep {
  readonly tables: EmbeddingTable[];
  /** Set when the fused kernel runs this model's steps. */
  dotGraph: DotGraph | undefined;
  /** Steps taken so far (Adam's bias correction counts them across train() calls). */
  steps = 0;
  private readonly states: RowState[];
  /** Per table with L2: the step at which each row last got its L2 gradient. */
  private readonly penalisedAt: Int32Array[];
  private l2ModeNow: L2Mode = "dense";
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

  /** Where the (sparse-mode) step applies L2: see L2Mode. The dense mode pulls every row anyway. */
  get l2Mode(): L2Mode {
    return this.l2ModeNow;
  }

  set l2Mode(mode: L2Mode) {
    // Back to catching up: rows owe pulls from now on, not for the steps "batch" mode ran.
    if (mode === "dense" && this.l2ModeNow !== "dense") for (const at of this.penalisedAt) at.fill(this.steps);
    this.l2ModeNow = mode;
  }

  /**
   * What worker threads need to run this step: set when the fused kernel runs it in sparse mode
   * (graphs trained through tfjs, and the dense mode, stay on the main thread).
   */
  get fusedConfig(): FusedStepConfig | undefined {
    const g = this.dotGraph;
    if (!g || this.everyRow || this.denseVariables.length > 0) return undefined;
    const index = (t: EmbeddingTable | undefined) => (t ? this.tables.indexOf(t) : undefined);
    const roles: DotRoles = { user: index(g.user)!, movie: index(g.movie)!, userBias: index(g.userBias), movieBias: index(g.movieBias), range: g.range };
    return { roles, optimizer: this.options.optimizer, epsilon: this.epsilon, target: this.options.target, outputWeight: this.options.outputWeight ?? 1 };
  }

  /**
   * Moves the tables, the optimizer state and the L2 bookkeeping into SharedArrayBuffers (once;
   * they stay there), so worker threads update them in place, and returns them.
   */
  shared(): { tables: PlainTable[]; states: RowState[]; penalisedAt: Int32Array[] } {
    const share = <T extends Float32Array | Int32Array>(a: T, make: (buffer: SharedArrayBuffer) => T): T => {
      if (a.buffer instanceof SharedArrayBuffer) return a;
      const copy = make(new SharedArrayBuffer(a.byteLength));
      copy.set(a);
      return copy;
    };
    const floats = (a: Float32Array) => share(a, (b) => new Float32Array(b));
    for (const t of this.tables) t.values = floats(t.values);
    for (const state of this.states) state.slots.forEach((slot, i) => (state.slots[i] = floats(slot)));
    this.penalisedAt.forEach((at, i) => (this.penalisedAt[i] = share(at, (b) => new Int32Array(b))));
    const tables = this.tables.map(({ values, width, rows, l2, input }) => ({ values, width, rows, l2, input }));
    return { tables, states: this.states, penalisedAt: this.penalisedAt };
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
        if (t.l2 > 0) loss += addL2(t, rows.unique, rows.count, this.grads[j], this.penalisedAt[j], this.steps, this.l2ModeNow);
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
