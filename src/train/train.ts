// The training loop: mini-batches of shuffled ratings, staged learning rates, validation each
// epoch and early stopping. A hand-written loop rather than model.fit: it builds each batch's
// inputs on the fly (one-hot models would not fit in memory otherwise) and weights the hybrid's losses.
// Each batch is one step: by default the sparse step (./sparse), whose cost follows the batch,
// or Keras's dense step, run by the same machinery with every row updated in one pass (or, for
// the one-hot net and as the reference, by tfjs's optimizers).
import * as tf from "@tensorflow/tfjs";
import { ensureBackend } from "../backend/selectBackend";
import { evaluate, Evaluation, isCollabData } from "../analysis/evaluate";
import { CollabData } from "../prep/collabData";
import { EncodedRatings } from "../prep/encodedRatings";
import { Recommender } from "../models/recommender";
import { checkIndices, modelIndexMaps, remapRatings } from "../models/fingerprint";
import { DropoutSeeds } from "./dropoutSeeds";
import { seededRandom, shuffledIndices } from "../prep/random";
import { createProgress, progressDefault } from "../ui/progress";
import { History, formatEpoch } from "./history";
import { lessonEpochs } from "./lessonEpochs";
import { OptimizerName, OPTIMIZER_NAMES, setLearningRate, tfjsOptimizer } from "./sparse/rowOptimizers";
import { SparseStep, sparseStepFor } from "./sparse/sparseStep";
import { HogwildPool } from "./sparse/hogwild";
import type { L2Mode } from "./sparse/fusedStep";
import { chooseL2Mode, chooseThreads, Threads } from "./scaleDefaults";

export type { OptimizerName, L2Mode, Threads };

export interface Stage {
  epochs: number;
  learningRate: number;
}

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  /** A training sequence, e.g. [{epochs: 1, learningRate: 1e-3}, {epochs: 3, learningRate: 1e-2}]; replaces epochs/learningRate. */
  stages?: Stage[];
  batchSize?: number;
  optimizer?: OptimizerName;
  /** Ratings to validate on each epoch; defaults to the data object's validation set; false for none. */
  validation?: EncodedRatings | false;
  /** Stop when validation loss hasn't improved for `patience` epochs, optionally going back to the best weights. */
  earlyStopping?: { patience: number; restoreBest?: boolean };
  /** RMSE/MAE on the training set after each epoch (one extra forward pass); default on up to 1M ratings. */
  trainMetrics?: boolean;
  seed?: number;
  /** Progress bar per epoch; default on in a terminal, off in a notebook (where each epoch logs one line). */
  progress?: boolean;
  /** One summary line per epoch. */
  log?: boolean;
  /**
   * "sparse" (the default for models with Embedding layers): each step computes gradients for the
   * users and movies in the batch only and updates just those rows (lazy Adam, as TF's LazyAdam
   * and PyTorch's SparseAdam; SGD, Adagrad, RMSProp row-wise), so its cost follows the batch, not
   * the tables; L2 applies to the batch's rows, with the pulls a row missed while no batch held it.
   * "dense": Keras's maths: every row of every table moves on every step (Adam's moments of all
   * rows decay, L2 pulls every row); the sparse step's gradients of the batch's rows, then one pass
   * over each table. The one-hot net, which has no Embedding layers, runs it through tfjs.
   * "tfjs": the same dense maths through tfjs's optimizers over every weight (full-table gradient
   * tensors; several times slower): the reference the tests and the bench check "dense" against.
   */
  step?: "sparse" | "dense" | "tfjs";
  /**
   * Threads for the sparse step of dot product and dot+bias models: 1 runs today's exact, seeded,
   * reproducible training on the main thread; N > 1 runs each epoch on N worker threads that
   * take every N-th batch and update shared tables without locks (Hogwild!), which gives up
   * bitwise reproducibility but not accuracy; "auto" uses every core from 1M training ratings
   * on, else 1. Default: 1 when a seed is given, else "auto" (1 at the lessons' sizes).
   */
  threads?: Threads;
  /**
   * Where the sparse step applies the tables' L2: "dense" (Keras's maths: a row in the batch also
   * gets the pulls it missed while no batch held it) or "batch" (only the batch's rows, once a
   * step, so the penalty per rating stays the same at any scale). Default: "dense" below 1M
   * training ratings (the lessons), "batch" from 1M on, where "dense" shrinks rare users and
   * movies (one epoch at ml-25m's shape: see the README). The dense steps take "dense" only.
   */
  l2Mode?: L2Mode;
}

const isPositiveInteger = (x: unknown) => typeof x === "number" && Number.isInteger(x) && x > 0;

/** The stages to run, checked, with CF_LESSON_EPOCHS applied to each. */
function checkedStages(options: TrainOptions): Stage[] {
  if (options.stages && (options.epochs !== undefined || options.learningRate !== undefined)) {
    throw new Error("train: give either stages or epochs/learningRate, not both");
  }
  const stages = options.stages ?? [{ epochs: options.epochs ?? 5, learningRate: options.learningRate ?? 1e-3 }];
  if (stages.length === 0) throw new Error("train: stages is empty; give at least one { epochs, learningRate }");
  stages.forEach((stage, i) => {
    const where = options.stages ? `stages[${i}].` : "";
    if (!isPositiveInteger(stage.epochs)) throw new Error(`train: ${where}epochs must be a positive integer, got ${stage.epochs}`);
    if (!(Number.isFinite(stage.learningRate) && stage.learningRate > 0)) throw new Error(`train: ${where}learningRate must be a positive number, got ${stage.learningRate}`);
  });
  return stages.map((stage) => ({ ...stage, epochs: lessonEpochs(stage.epochs) }));
}

function checkFinite(data: EncodedRatings, what: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data.ratings[i])) throw new Error(`train: the ${what} ratings hold ${data.ratings[i]} at row ${i}; remove or fix it before training`);
  }
}

/** Copies the rows of one batch, in shuffled order, into reused typed arrays. */
function fillBatch(data: EncodedRatings, order: Int32Array, start: number, end: number, into: EncodedRatings): EncodedRatings {
  const n = end - start;
  for (let i = 0; i < n; i++) {
    const j = order[start + i];
    into.users[i] = data.users[j];
    into.movies[i] = data.movies[j];
    into.ratings[i] = data.ratings[j];
  }
  return { users: into.users.subarray(0, n), movies: into.movies.subarray(0, n), ratings: into.ratings.subarray(0, n), length: n };
}

/** One optimizer step on one batch (tfjs's optimizers over every trainable weight); returns the loss. */
async function tfjsStep(recommender: Recommender, optimizer: tf.Optimizer, batch: EncodedRatings): Promise<number> {
  const model = recommender.model;
  const loss = tf.tidy(() => {
    const x = recommender.inputs(batch.users, batch.movies);
    const y = recommender.targets(batch.ratings);
    return optimizer.minimize(() => {
      const out = model.apply(x, { training: true }) as tf.Tensor | tf.Tensor[];
      const penalties = model.calculateLosses();
      const base = recommender.losses(out, y).total;
      return penalties.length ? (tf.addN([base, ...penalties]) as tf.Scalar) : base;
    }, true)!;
  });
  const value = (await loss.data())[0];
  loss.dispose();
  return value;
}

/** A batch loss this many times the first one (or than 1) is divergence, not noise. */
const DIVERGENCE_FACTOR = 1000;

function divergenceMessage(value: number, firstLoss: number, epoch: number, batch: number, stage: Stage, option: string): string {
  const what = Number.isFinite(value) ? `exploded to ${value.toPrecision(3)} (the first batch's was ${firstLoss.toPrecision(3)})` : `became ${value}`;
  return `train: the loss ${what} at epoch ${epoch}, batch ${batch}: training diverged with ${option} ${stage.learningRate}; lower ${option}`;
}

const NO_EVALUATION: Evaluation = { loss: NaN, rmse: NaN, mae: NaN, heads: {} };

/**
 * Trains in place and returns the history: `await train(model, data, { epochs: 5 })`. Calling it
 * again continues with the same optimizer (Adam's moments intact), as a training sequence does.
 */
export async function train(recommender: Recommender, data: CollabData | EncodedRatings, options: TrainOptions = {}): Promise<History> {
  await ensureBackend();
  // The data's rows renumbered into the model's tables (or refused when it is another data set's).
  const maps = isCollabData(data) ? modelIndexMaps(recommender, data, "train") : undefined;
  const trainSet = isCollabData(data) ? remapRatings(data.train, maps) : data;
  if (!isCollabData(data)) checkIndices(recommender, trainSet, "train");
  const givenValidation = options.validation === false ? undefined : options.validation;
  if (givenValidation) checkIndices(recommender, givenValidation, "train: options.validation");
  const defaultValidation = isCollabData(data) && data.valid ? remapRatings(data.valid, maps) : undefined;
  const validation = options.validation === false ? undefined : givenValidation ?? defaultValidation;
  const { batchSize: askedBatch = 1024, earlyStopping, log = true } = options;
  if (!isPositiveInteger(askedBatch)) throw new Error(`train: batchSize must be a positive integer, got ${askedBatch}`);
  // A batch larger than the data is the whole data in one step, as in Keras (and 1e12 allocates nothing).
  const batchSize = Math.min(askedBatch, Math.max(1, trainSet.length));
  const progress = options.progress ?? progressDefault();
  const stages = checkedStages(options);
  if (trainSet.length === 0) throw new Error("train: no ratings to train on");
  if (earlyStopping) {
    if (!validation) throw new Error("train: earlyStopping needs validation ratings (a data object with a validation set, or options.validation)");
    if (!isPositiveInteger(earlyStopping.patience)) throw new Error(`train: earlyStopping.patience must be a positive integer, got ${earlyStopping.patience}`);
  }
  const optimizerName: OptimizerName = options.optimizer ?? (recommender.optimizerName as OptimizerName | undefined) ?? "adam";
  if (recommender.optimizerName && recommender.optimizerName !== optimizerName) {
    throw new Error(`train: this model was trained with ${recommender.optimizerName}; continuing with ${optimizerName} would drop its state. Build a new model to change optimizer.`);
  }
  if (!OPTIMIZER_NAMES.includes(optimizerName)) throw new Error(`train: optimizer must be one of ${OPTIMIZER_NAMES.join(", ")}, got ${JSON.stringify(optimizerName)}`);
  const supported = SparseStep.supports(recommender.model);
  const step = options.step ?? (supported ? "sparse" : "dense");
  if (step !== "sparse" && step !== "dense" && step !== "tfjs") throw new Error(`train: step must be "sparse", "dense" or "tfjs", got ${JSON.stringify(step)}`);
  if (step === "sparse" && !supported) {
    throw new Error(`train: step "sparse" needs Embedding layers reading the model's index inputs; '${recommender.kind}' trains with step "dense"`);
  }
  checkFinite(trainSet, "training");
  if (validation) checkFinite(validation, "validation");
  const trainMetrics = options.trainMetrics ?? trainSet.length <= 1_000_000;

  recommender.optimizerName = optimizerName;
  const rowStep =
    supported && step !== "tfjs"
      ? sparseStepFor(recommender.model, { optimizer: optimizerName, target: recommender.spec.target, loss: (out, y) => recommender.losses(out, y).total, outputWeight: recommender.spec.lossWeights[0], mode: step })
      : undefined;
  const optimizer = rowStep ? undefined : (recommender.optimizer ??= tfjsOptimizer(optimizerName, stages[0].learningRate));
  rowStep?.begin(); // the model's weights may have changed since the last call
  const l2Mode = chooseL2Mode(options.l2Mode, step, trainSet.length);
  if (rowStep && step === "sparse") rowStep.l2Mode = l2Mode;
  const threads = chooseThreads(options.threads, options.seed !== undefined, trainSet.length, step === "sparse" ? rowStep : undefined, recommender.kind);
  const pool = threads > 1 ? HogwildPool.start(rowStep!, trainSet, threads) : undefined;
  const random = seededRandom(options.seed ?? 0);
  const dropout = new DropoutSeeds(recommender.model, options.seed ?? 0);
  const model = recommender.model;
  const history = new History();
  const totalEpochs = stages.reduce((a, s) => a + s.epochs, 0);
  const buffer: EncodedRatings = { users: new Int32Array(batchSize), movies: new Int32Array(batchSize), ratings: new Float32Array(batchSize), length: batchSize };
  let best = { loss: Infinity, epoch: 0, weights: undefined as tf.Tensor[] | undefined };

  let epoch = 0;
  let yielded = performance.now();
  let firstLoss: number | undefined; // the first batch's loss: a loss 1000 times larger means training diverged
  try {
    outer: for (const stage of stages) {
      if (optimizer) setLearningRate(optimizer, stage.learningRate);
      for (let e = 0; e < stage.epochs; e++) {
        epoch++;
        const started = Date.now();
        const order = shuffledIndices(trainSet.length, random);
        const batches = Math.ceil(trainSet.length / batchSize);
        const bar = createProgress({ label: `epoch ${epoch}/${totalEpochs}`, total: batches, enabled: progress });
        let lossSum = 0;
        if (pool) {
          const run = await pool.epoch(order, { batchSize, learningRate: stage.learningRate, l2Mode, divergenceFactor: DIVERGENCE_FACTOR, firstLoss }, (done) => bar.update(done));
          recommender.trainingSteps += batches;
          firstLoss ??= run.firstLoss;
          if (run.failure) throw new Error(divergenceMessage(run.failure.value, firstLoss, epoch, run.failure.batch, stage, options.stages ? `stages[${stages.indexOf(stage)}].learningRate` : "learningRate"));
          lossSum = run.lossSum;
        }
        for (let b = 0; b < (pool ? 0 : batches); b++) {
          const start = b * batchSize;
          const end = Math.min(trainSet.length, start + batchSize);
          const batch = fillBatch(trainSet, order, start, end, buffer);
          if (dropout.count > 0) dropout.set(recommender.trainingSteps);
          recommender.trainingSteps++;
          const value = rowStep ? rowStep.step(batch.users, batch.movies, batch.ratings, stage.learningRate) : await tfjsStep(recommender, optimizer!, batch);
          if (rowStep && performance.now() - yielded > 200) {
            await new Promise(setImmediate); // our step never waits: let timers and notebook output run
            yielded = performance.now();
          }
          firstLoss ??= value;
          if (!Number.isFinite(value) || value > DIVERGENCE_FACTOR * Math.max(firstLoss, 1)) {
            throw new Error(divergenceMessage(value, firstLoss, epoch, b + 1, stage, options.stages ? `stages[${stages.indexOf(stage)}].learningRate` : "learningRate"));
          }
          lossSum += value * (end - start);
          bar.update(b + 1, `loss ${(lossSum / end).toFixed(4)}`);
        }
        rowStep?.finish(); // the model's variables take the trained tables before anyone reads them
        const onTrain = trainMetrics ? evaluate(recommender, trainSet) : NO_EVALUATION;
        const val = validation ? evaluate(recommender, validation) : NO_EVALUATION;
        if (validation && !Number.isFinite(val.loss)) throw new Error(`train: validation loss became ${val.loss} at epoch ${epoch}; the model diverged (lower the learning rate)`);
        history.push(
          { epoch, learningRate: stage.learningRate, loss: lossSum / trainSet.length, valLoss: val.loss, trainRmse: onTrain.rmse, trainMae: onTrain.mae, valRmse: val.rmse, valMae: val.mae, seconds: (Date.now() - started) / 1000 },
          { train: onTrain.heads, valid: val.heads },
        );
        bar.stop(`loss ${(lossSum / trainSet.length).toFixed(4)}`);
        if (log) console.log(formatEpoch(history, history.length - 1, totalEpochs));

        if (earlyStopping && validation) {
          if (val.loss < best.loss) {
            tf.dispose(best.weights ?? []);
            best = { loss: val.loss, epoch, weights: earlyStopping.restoreBest ? model.getWeights().map((w) => w.clone()) : undefined };
          } else if (epoch - best.epoch >= earlyStopping.patience) {
            if (log) console.log(`early stopping: no improvement since epoch ${best.epoch}${earlyStopping.restoreBest ? ", going back to its weights" : ""}`);
            break outer;
          }
        }
      }
    }
  } catch (error) {
    rowStep?.finish(); // keep the model's variables in step with what training did so far
    throw error;
  } finally {
    dropout.restore();
    await pool?.close();
  }
  if (best.weights) {
    model.setWeights(best.weights);
    tf.dispose(best.weights);
    history.restoredEpoch = best.epoch;
  }
  return history;
}
