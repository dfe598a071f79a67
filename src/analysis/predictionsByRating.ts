// How a model's predictions spread for each true star value. A model that has learnt something
// predicts more for the ratings that are higher; one that hedges toward the global mean shows a
// flat line, however good its RMSE looks.
import type { Prediction } from "./metrics";

export interface RatingGroup {
  /** The true rating (stars). */
  actual: number;
  /** How many predictions have this true rating. */
  count: number;
  /** Mean and standard deviation of the predicted stars. */
  mean: number;
  std: number;
}

/** One group per distinct true rating, lowest first. */
export function predictionsByRating(predictions: readonly Pick<Prediction, "actual" | "estimate">[]): RatingGroup[] {
  if (predictions.length === 0) throw new Error("predictionsByRating: no predictions");
  const groups = new Map<number, number[]>();
  for (const { actual, estimate } of predictions) {
    if (!Number.isFinite(estimate)) throw new Error(`predictionsByRating: estimate ${estimate} for a rating of ${actual} is not a number`);
    const list = groups.get(actual) ?? [];
    list.push(estimate);
    groups.set(actual, list);
  }
  return [...groups]
    .sort((a, b) => a[0] - b[0])
    .map(([actual, estimates]) => {
      const mean = estimates.reduce((sum, e) => sum + e, 0) / estimates.length;
      const std = Math.sqrt(estimates.reduce((sum, e) => sum + (e - mean) ** 2, 0) / estimates.length);
      return { actual, count: estimates.length, mean, std };
    });
}
