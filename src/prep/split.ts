// Train/validation splits of a ratings table.
import { Ratings, selectRatings } from "../data/ratings";
import { seededRandom, shuffledIndices } from "./random";

export interface Split {
  train: Ratings;
  test: Ratings;
}

function checkFraction(testFraction: number): void {
  if (!(testFraction > 0 && testFraction < 1)) throw new Error(`testFraction must be between 0 and 1, got ${testFraction}`);
}

/** Shuffles the ratings with `seed` and holds out `testFraction` of them (the lessons use 0.2). */
export function randomSplit(ratings: Ratings, options: { testFraction?: number; seed?: number } = {}): Split {
  const { testFraction = 0.2, seed = 42 } = options;
  checkFraction(testFraction);
  const order = shuffledIndices(ratings.length, seededRandom(seed));
  const testSize = Math.round(ratings.length * testFraction);
  return { test: selectRatings(ratings, order.subarray(0, testSize)), train: selectRatings(ratings, order.subarray(testSize)) };
}

/**
 * Holds out each user's latest `testFraction` of ratings (at least one when the user has two or
 * more), so the model is judged on predicting the future from the past, as a recommender must.
 */
export function temporalSplitPerUser(ratings: Ratings, options: { testFraction?: number } = {}): Split {
  const { testFraction = 0.2 } = options;
  checkFraction(testFraction);
  const byUser = new Map<number, number[]>();
  for (let i = 0; i < ratings.length; i++) {
    const rows = byUser.get(ratings.userIds[i]);
    if (rows) rows.push(i);
    else byUser.set(ratings.userIds[i], [i]);
  }
  const train: number[] = [];
  const test: number[] = [];
  for (const rows of byUser.values()) {
    rows.sort((a, b) => ratings.timestamps[a] - ratings.timestamps[b] || a - b);
    const held = rows.length < 2 ? 0 : Math.max(1, Math.round(rows.length * testFraction));
    train.push(...rows.slice(0, rows.length - held));
    test.push(...rows.slice(rows.length - held));
  }
  train.sort((a, b) => a - b);
  test.sort((a, b) => a - b);
  return { train: selectRatings(ratings, train), test: selectRatings(ratings, test) };
}
