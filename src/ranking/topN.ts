// Top-N lists for many users at once: score every film for a batch of users, skip the films
// each user rated in training, and keep the best k of the rest.
import { CollabData } from "../prep/collabData";
import { Recommender } from "../models/recommender";
import { checkSameRows } from "./fingerprint";
import { isScorer, modelScorer, Scorer } from "./scorer";
import { UserItems, userItems } from "./userItems";

export interface TopNOptions {
  /** List length (default 10). */
  k?: number;
  /**
   * MovieLens ids of the users to list. Default: every user with held-out ratings (the users the
   * metrics judge), or every user when the data has no validation set.
   */
  userIds?: ArrayLike<number>;
  /** Skip each user's training films (default true): a list recommends films not yet seen. */
  excludeTrain?: boolean;
  /** Users scored per batch (default 256): the score buffer holds batch x films floats. */
  batchSize?: number;
}

/** One list of k films per user, best first, as encoded indices. */
export interface TopN {
  name: string;
  k: number;
  nMovies: number;
  /** Encoded user index of each list. */
  users: Int32Array;
  /** List i is movies[i * k .. (i + 1) * k); -1 pads a list whose user has fewer than k candidates. */
  movies: Int32Array;
  /** The score each listed film shows (predicted stars for rating models). */
  scores: Float32Array;
}

export interface ListedFilm {
  rank: number;
  movieId: number;
  title: string;
  score: number;
}

function checkPositiveInteger(value: number, what: string): void {
  if (!(Number.isInteger(value) && value > 0)) throw new Error(`topN: ${what} must be a positive integer, got ${value}`);
}

/** The encoded users to list: those given, or those with held-out ratings, or all. */
function listedUsers(data: CollabData, userIds: ArrayLike<number> | undefined): Int32Array {
  if (userIds) return data.encoders.users.encode(userIds);
  if (!data.valid) return Int32Array.from({ length: data.nUsers }, (_, u) => u);
  const seen = new Uint8Array(data.nUsers);
  for (let i = 0; i < data.valid.length; i++) seen[data.valid.users[i]] = 1;
  const users: number[] = [];
  for (let u = 0; u < data.nUsers; u++) if (seen[u]) users.push(u);
  return Int32Array.from(users);
}

/**
 * The best `k` films for each user among those they did not rate in training:
 * `topN(model, data)` for a Recommender, or any Scorer (EASE, the baselines).
 */
export function topN(model: Scorer | Recommender, data: CollabData, options: TopNOptions = {}): TopN {
  const { k = 10, excludeTrain = true, batchSize = 256 } = options;
  checkPositiveInteger(k, "k");
  checkPositiveInteger(batchSize, "batchSize");
  if (!isScorer(model)) checkSameRows(model, data, "topN");
  const scorer = isScorer(model) ? model : modelScorer(model);
  const nMovies = scorer.nMovies;
  if (nMovies !== data.nMovies) throw new Error(`topN: '${scorer.name}' scores ${nMovies} films but '${data.name}' has ${data.nMovies}; build it on this data object`);
  const users = listedUsers(data, options.userIds);
  const seen = excludeTrain ? userItems(data.train, data.nUsers) : undefined;
  const movies = new Int32Array(users.length * k).fill(-1);
  const scores = new Float32Array(users.length * k).fill(NaN);
  scorer.prepare?.();
  const buffer = new Float32Array(Math.min(batchSize, Math.max(1, users.length)) * nMovies);
  for (let start = 0; start < users.length; start += batchSize) {
    const batch = users.subarray(start, Math.min(users.length, start + batchSize));
    scorer.scoreUsers(batch, buffer);
    for (let i = 0; i < batch.length; i++) {
      bestOfRow(buffer.subarray(i * nMovies, (i + 1) * nMovies), seen, batch[i], k, movies.subarray((start + i) * k), scores.subarray((start + i) * k));
    }
  }
  if (scorer.shown) for (let i = 0; i < scores.length; i++) if (movies[i] >= 0) scores[i] = scorer.shown(scores[i]);
  return { name: scorer.name, k, nMovies, users, movies, scores };
}

/**
 * The k highest scores of one row, best first, skipping the user's training films (a sorted run
 * walked alongside) and NaN. Ties go to the lower film index, so lists are reproducible.
 */
function bestOfRow(row: Float32Array, seen: UserItems | undefined, user: number, k: number, outMovies: Int32Array, outScores: Float32Array): void {
  let skip = seen ? seen.starts[user] : 0;
  const skipEnd = seen ? seen.starts[user + 1] : 0;
  let count = 0;
  for (let m = 0; m < row.length; m++) {
    if (skip < skipEnd && seen!.movies[skip] === m) {
      skip++;
      continue;
    }
    const s = row[m];
    if (count === k ? !(s > outScores[k - 1]) : Number.isNaN(s)) continue;
    let j = count < k ? count++ : k - 1;
    while (j > 0 && outScores[j - 1] < s) {
      outScores[j] = outScores[j - 1];
      outMovies[j] = outMovies[j - 1];
      j--;
    }
    outScores[j] = s;
    outMovies[j] = m;
  }
}

/** One user's list with MovieLens ids and titles, for display. */
export function listFor(top: TopN, data: CollabData, userId: number): ListedFilm[] {
  const u = data.encoders.users.index(userId);
  const i = top.users.indexOf(u);
  if (i < 0) throw new Error(`listFor: user ${userId} has no list in '${top.name}'; pass userIds to topN to list them`);
  const films: ListedFilm[] = [];
  for (let r = 0; r < top.k; r++) {
    const m = top.movies[i * top.k + r];
    if (m < 0) break;
    const movieId = data.encoders.movies.id(m);
    films.push({ rank: r + 1, movieId, title: data.title(movieId), score: top.scores[i * top.k + r] });
  }
  return films;
}
