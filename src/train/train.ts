// The training loop: mini-batches of shuffled ratings, staged learning rates, validation each
// epoch and early stopping. A hand-written loop rather than model.fit: it builds each batch's
// inputs on the fly (one-hot models would not fit in memory otherwise) and weights the hybrid's losses.
import * as tf from "@tensorflow/tfjs";
import { mae, rmse } from "../analysis/metrics";
import { Recommender } from "../models/recommender";
import { seededRandom, shuffledIndices } from "../prep/random";
import { createProgress } from "../ui/progress";
import { EncodedRatings } from "../prep/encodedRatings";
import { emptyHistory, formatEpoch, History } from "./history";

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
  optimizer?: "adam" | "sgd" | "rmsprop";
  validation?: EncodedRatings;
  /** Stop when validation loss hasn't improved for `patience` epochs, optionally going back to the best weights. */
  earlyStopping?: { patience: number; restoreBest?: boolean };
  seed?: number;
  /** Progress bar per epoch (terminal or notebook). */
  progress?: boolean;
  /** One summary line per epoch. */
  log?: boolean;
}

function makeOptimizer(kind: TrainOptions["optimizer"], learningRate: number): tf.Optimizer {
  switch (kind ?? "adam") {
    case "sgd":
      return tf.train.sgd(learningRate);
    case "rmsprop":
      return tf.train.rmsprop(learningRate);
    default:
      return tf.train.adam(learningRate);
  }
}

function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  // Adam, SGD and RMSProp read this field on every step.
  (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
}

function weightedLoss(recommender: Recommender, outputs: tf.Tensor | tf.Tensor[], target: tf.Tensor): tf.Scalar {
  const list = Array.isArray(outputs) ? outputs : [outputs];
  const weights = recommender.spec.lossWeights;
  return list.map((out, i) => tf.mul(tf.losses.meanSquaredError(target, out), weights[i] ?? 1) as tf.Scalar).reduce((a, b) => tf.add(a, b));
}

function batchSlice(data: EncodedRatings, order: Int32Array, start: number, end: number) {
  const n = end - start;
  const users = new Int32Array(n);
  const movies = new Int32Array(n);
  const ratings = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const j = order[start + i];
    users[i] = data.users[j];
    movies[i] = data.movies[j];
    ratings[i] = data.ratings[j];
  }
  return { users, movies, ratings };
}

/** Validation loss in model units, and RMSE/MAE of the rating output in stars. */
export function evaluate(recommender: Recommender, data: EncodedRatings, batchSize = 4096): { loss: number; rmse: number; mae: number } {
  let lossSum = 0;
  const predicted = new Float32Array(data.length);
  for (let start = 0; start < data.length; start += batchSize) {
    const end = Math.min(data.length, start + batchSize);
    const [loss, rating] = tf.tidy(() => {
      const x = recommender.inputs(data.users.subarray(start, end), data.movies.subarray(start, end));
      const out = recommender.model.predict(x) as tf.Tensor | tf.Tensor[];
      return [weightedLoss(recommender, out, recommender.targets(data.ratings.subarray(start, end))), recommender.ratingFrom(out)];
    });
    lossSum += loss.dataSync()[0] * (end - start);
    predicted.set(rating.dataSync(), start);
    tf.dispose([loss, rating]);
  }
  return { loss: lossSum / data.length, rmse: rmse(predicted, data.ratings), mae: mae(predicted, data.ratings) };
}

/** Trains in place and returns the history; calling it again continues with the same optimizer. */
export async function train(recommender: Recommender, data: EncodedRatings, options: TrainOptions = {}): Promise<History> {
  const { batchSize = 1024, validation, earlyStopping, progress = true, log = true } = options;
  const stages = options.stages ?? [{ epochs: options.epochs ?? 5, learningRate: options.learningRate ?? 1e-3 }];
  const totalEpochs = stages.reduce((a, s) => a + s.epochs, 0);
  if (data.length === 0) throw new Error("train: no ratings to train on");
  recommender.optimizer ??= makeOptimizer(options.optimizer, stages[0].learningRate);
  const optimizer = recommender.optimizer;
  const random = seededRandom(options.seed ?? 0);
  const model = recommender.model;
  const history = emptyHistory();
  let best = { loss: Infinity, epoch: 0, weights: undefined as tf.Tensor[] | undefined };

  let epoch = 0;
  outer: for (const stage of stages) {
    setLearningRate(optimizer, stage.learningRate);
    for (let e = 0; e < stage.epochs; e++) {
      epoch++;
      const started = Date.now();
      const order = shuffledIndices(data.length, random);
      const batches = Math.ceil(data.length / batchSize);
      const bar = createProgress({ label: `epoch ${epoch}/${totalEpochs}`, total: batches, enabled: progress });
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        const start = b * batchSize;
        const end = Math.min(data.length, start + batchSize);
        const batch = batchSlice(data, order, start, end);
        const loss = tf.tidy(() => {
          const x = recommender.inputs(batch.users, batch.movies);
          const y = recommender.targets(batch.ratings);
          return optimizer.minimize(() => {
            const out = model.apply(x, { training: true }) as tf.Tensor | tf.Tensor[];
            const penalties = model.calculateLosses();
            const base = weightedLoss(recommender, out, y);
            return penalties.length ? (tf.addN([base, ...penalties]) as tf.Scalar) : base;
          }, true)!;
        });
        const value = (await loss.data())[0];
        loss.dispose();
        if (!Number.isFinite(value)) throw new Error(`train: loss became ${value} at epoch ${epoch}, batch ${b + 1}; lower the learning rate`);
        lossSum += value * (end - start);
        bar.update(b + 1, `loss ${(lossSum / end).toFixed(4)}`);
      }
      const val = validation ? evaluate(recommender, validation) : { loss: NaN, rmse: NaN, mae: NaN };
      history.epoch.push(epoch);
      history.learningRate.push(stage.learningRate);
      history.loss.push(lossSum / data.length);
      history.valLoss.push(val.loss);
      history.valRmse.push(val.rmse);
      history.valMae.push(val.mae);
      history.seconds.push((Date.now() - started) / 1000);
      bar.stop(`loss ${(lossSum / data.length).toFixed(4)}`);
      if (log) console.log(formatEpoch(history, history.epoch.length - 1, totalEpochs));

      if (earlyStopping && validation) {
        if (val.loss < best.loss) {
          tf.dispose(best.weights ?? []);
          best = { loss: val.loss, epoch, weights: earlyStopping.restoreBest ? model.getWeights().map((w) => w.clone()) : undefined };
        } else if (epoch - best.epoch >= earlyStopping.patience) {
          if (log) console.log(`early stopping: no improvement since epoch ${best.epoch}`);
          break outer;
        }
      }
    }
  }
  if (best.weights) {
    model.setWeights(best.weights);
    tf.dispose(best.weights);
  }
  return history;
}
