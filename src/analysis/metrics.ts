// Error metrics in rating units (stars), on plain arrays or on test() predictions (as LensKit's
// metrics take plain records).
import type { CollabData } from "../prep/collabData";

/** One prediction for one known rating, in stars (what test() returns). */
export interface Prediction {
  userId: number;
  movieId: number;
  actual: number;
  estimate: number;
}

function checkLengths(predicted: ArrayLike<number>, actual: ArrayLike<number>): void {
  if (predicted.length !== actual.length) throw new Error(`metrics: ${predicted.length} predictions for ${actual.length} ratings`);
  if (actual.length === 0) throw new Error("metrics: no ratings to compare");
}

function columns(predictions: readonly Prediction[]): [number[], number[]] {
  return [predictions.map((p) => p.estimate), predictions.map((p) => p.actual)];
}

/** Root mean squared error: `rmse(predictions)` or `rmse(predicted, actual)`. */
export function rmse(predicted: ArrayLike<number> | readonly Prediction[], actual?: ArrayLike<number>): number {
  const [p, a] = actual === undefined ? columns(predicted as readonly Prediction[]) : [predicted as ArrayLike<number>, actual];
  checkLengths(p, a);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (p[i] - a[i]) ** 2;
  return Math.sqrt(sum / a.length);
}

/** Mean absolute error: `mae(predictions)` or `mae(predicted, actual)`. */
export function mae(predicted: ArrayLike<number> | readonly Prediction[], actual?: ArrayLike<number>): number {
  const [p, a] = actual === undefined ? columns(predicted as readonly Prediction[]) : [predicted as ArrayLike<number>, actual];
  checkLengths(p, a);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(p[i] - a[i]);
  return sum / a.length;
}

/** RMSE of each user's ratings: who the model serves well and who it doesn't. */
export function perUserRmse(predictions: readonly Prediction[]): Map<number, { rmse: number; count: number }>;
export function perUserRmse(userIds: ArrayLike<number>, predicted: ArrayLike<number>, actual: ArrayLike<number>): Map<number, { rmse: number; count: number }>;
export function perUserRmse(
  first: ArrayLike<number> | readonly Prediction[],
  predicted?: ArrayLike<number>,
  actual?: ArrayLike<number>,
): Map<number, { rmse: number; count: number }> {
  const predictions = predicted === undefined ? (first as readonly Prediction[]) : undefined;
  const userIds = predictions ? predictions.map((p) => p.userId) : (first as ArrayLike<number>);
  const [p, a] = predictions ? columns(predictions) : [predicted!, actual!];
  checkLengths(p, a);
  const sums = new Map<number, { squared: number; count: number }>();
  for (let i = 0; i < a.length; i++) {
    const entry = sums.get(userIds[i]) ?? { squared: 0, count: 0 };
    entry.squared += (p[i] - a[i]) ** 2;
    entry.count++;
    sums.set(userIds[i], entry);
  }
  return new Map([...sums].map(([user, { squared, count }]) => [user, { rmse: Math.sqrt(squared / count), count }]));
}

/**
 * RMSE of always predicting the training mean on the validation ratings: the floor every model
 * must beat. `globalMeanRmse(data)` or `globalMeanRmse(trainRatings, validRatings)`.
 */
export function globalMeanRmse(train: CollabData | ArrayLike<number>, valid?: ArrayLike<number>): number {
  if (valid === undefined) {
    const data = train as CollabData;
    if (!data.validRatings) throw new Error(`globalMeanRmse: '${data.name}' has no validation set`);
    return rmse(new Float32Array(data.validRatings.length).fill(data.globalMean), data.validRatings.ratings);
  }
  const trainRatings = train as ArrayLike<number>;
  let mean = 0;
  for (let i = 0; i < trainRatings.length; i++) mean += trainRatings[i];
  mean /= trainRatings.length;
  return rmse(Array.from(valid, () => mean), valid);
}
