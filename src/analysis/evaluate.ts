// Judging a model on held-out ratings: its loss and errors in stars (evaluate), or the
// predictions themselves, one per rating (test, as Surprise's algo.test returns them).
import * as tf from "@tensorflow/tfjs";
import { Ratings } from "../data/ratings";
import { CollabData } from "../prep/collabData";
import { EncodedRatings } from "../prep/encodedRatings";
import { dotGraphOf } from "../models/dotGraph";
import { Recommender } from "../models/recommender";
import { checkIndices, modelIndexMaps, remapRatings } from "../models/fingerprint";
import { batchRanges } from "../util/batches";
import { mae, Prediction, rmse } from "./metrics";

export type { Prediction };

export interface Evaluation {
  /** Weighted MSE in the model's target units (what training minimises, without regularisation). */
  loss: number;
  /** Errors of the rating output in stars. */
  rmse: number;
  mae: number;
  /** Each output's own MSE, named by the model's outputs (the hybrid's heads); empty for one output. */
  heads: Record<string, number>;
}

export function isCollabData(data: unknown): data is CollabData {
  return typeof data === "object" && data !== null && "encoders" in data && "train" in data && "trainRatings" in data;
}

function validationOf(data: CollabData): EncodedRatings {
  if (!data.valid) throw new Error(`'${data.name}' has no validation set: build it with collabData(..., { validFraction }) or a fixed split`);
  return data.valid;
}

/** Loss, RMSE and MAE on the data object's validation set, or on the encoded ratings given. */
export function evaluate(recommender: Recommender, data: CollabData | EncodedRatings, batchSize = 4096): Evaluation {
  const set = isCollabData(data) ? remapRatings(validationOf(data), modelIndexMaps(recommender, data, "evaluate")) : data;
  if (set.length === 0) throw new Error("evaluate: no ratings to evaluate on");
  if (!isCollabData(data)) checkIndices(recommender, set, "evaluate");
  const names = recommender.spec.outputNames ?? [];
  if (recommender.spec.input === "indices" && dotGraphOf(recommender.model)) return evaluateDotGraph(recommender, set);
  let lossSum = 0;
  const headSums = names.map(() => 0);
  const predicted = new Float32Array(set.length);
  for (const [start, end] of batchRanges(set.length, batchSize)) {
    const [loss, rating, ...heads] = tf.tidy(() => {
      const x = recommender.inputs(set.users.subarray(start, end), set.movies.subarray(start, end));
      const out = recommender.model.predict(x) as tf.Tensor | tf.Tensor[];
      const losses = recommender.losses(out, recommender.targets(set.ratings.subarray(start, end)));
      return [losses.total, recommender.ratingFrom(out), ...(names.length ? losses.heads : [])];
    });
    lossSum += loss.dataSync()[0] * (end - start);
    heads.forEach((head, i) => (headSums[i] += head.dataSync()[0] * (end - start)));
    predicted.set(rating.dataSync(), start);
    tf.dispose([loss, rating, ...heads]);
  }
  return {
    loss: lossSum / set.length,
    rmse: rmse(predicted, set.ratings),
    mae: mae(predicted, set.ratings),
    heads: Object.fromEntries(names.map((name, i) => [name, headSums[i] / set.length])),
  };
}

/**
 * evaluate for dot / dot+bias / sigmoid-range models: predictIndices's typed-array path, and the
 * single output's loss weight * mean(((predicted - rating) / scale)^2) in target units.
 */
function evaluateDotGraph(recommender: Recommender, set: EncodedRatings): Evaluation {
  const predicted = recommender.predictIndices(set.users, set.movies);
  const { scale } = recommender.spec.target;
  let squares = 0;
  for (let i = 0; i < set.length; i++) squares += ((predicted[i] - set.ratings[i]) / scale) ** 2;
  return { loss: ((recommender.spec.lossWeights[0] ?? 1) * squares) / set.length, rmse: rmse(predicted, set.ratings), mae: mae(predicted, set.ratings), heads: {} };
}

/** Predictions for every validation rating of the data object (or for the ratings given). */
export function test(recommender: Recommender, data: CollabData | Ratings): Prediction[] {
  if (isCollabData(data)) modelIndexMaps(recommender, data, "test"); // refuses another data set's ratings
  const ratings = isCollabData(data) ? data.validRatings : data;
  if (!ratings) throw new Error(`test: '${(data as CollabData).name}' has no validation set`);
  const estimates = recommender.predict(ratings.userIds, ratings.movieIds);
  return Array.from(estimates, (estimate, i) => ({ userId: ratings.userIds[i], movieId: ratings.movieIds[i], actual: ratings.ratings[i], estimate }));
}
