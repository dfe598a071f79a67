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

/**
 * Holds out a random `testFraction` of each user's ratings (`by: "user"`) or of each movie's
 * (`by: "movie"`), seeded, as Microsoft Recommenders' python_stratified_split does with
 * filter_by="user" or "item". Per user, every user is in both parts, so each can be given a top-N
 * list and judged on it; per movie (the split behind Recommenders' published ml-100k table), every
 * movie keeps training ratings. A group keeps round((1 - testFraction) * n) of its n ratings for
 * training (so a group with one rating keeps it). Both parts keep the ratings' original order.
 */
export function stratifiedSplit(ratings: Ratings, options: { testFraction?: number; seed?: number; by?: "user" | "movie" } = {}): Split {
  const { testFraction = 0.25, seed = 42, by = "user" } = options;
  const groups = by === "movie" ? ratings.movieIds : ratings.userIds;
  checkFraction(testFraction);
  // Group the rows by user (or movie) with a counting sort: dense user slots in order of first appearance.
  const slotOf = new Map<number, number>();
  const slots = new Int32Array(ratings.length);
  for (let i = 0; i < ratings.length; i++) {
    let s = slotOf.get(groups[i]);
    if (s === undefined) slotOf.set(groups[i], (s = slotOf.size));
    slots[i] = s;
  }
  const starts = new Int32Array(slotOf.size + 1);
  for (let i = 0; i < ratings.length; i++) starts[slots[i] + 1]++;
  for (let s = 0; s < slotOf.size; s++) starts[s + 1] += starts[s];
  const grouped = new Int32Array(ratings.length);
  const fill = starts.slice(0, slotOf.size);
  for (let i = 0; i < ratings.length; i++) grouped[fill[slots[i]]++] = i;
  const random = seededRandom(seed);
  const held = new Uint8Array(ratings.length);
  for (let s = 0; s < slotOf.size; s++) {
    const start = starts[s];
    const n = starts[s + 1] - start;
    const rows = grouped.subarray(start, start + n);
    const order = shuffledIndices(n, random);
    const testCount = n - Math.round((1 - testFraction) * n);
    for (let j = 0; j < testCount; j++) held[rows[order[j]]] = 1;
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < ratings.length; i++) (held[i] ? test : train).push(i);
  return { train: selectRatings(ratings, train), test: selectRatings(ratings, test) };
}

/** stratifiedSplit by user: a random `testFraction` of each user's ratings held out. */
export function perUserSplit(ratings: Ratings, options: { testFraction?: number; seed?: number } = {}): Split {
  return stratifiedSplit(ratings, { ...options, by: "user" });
}
