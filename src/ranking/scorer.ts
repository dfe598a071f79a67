// One interface for everything that can rank films for a user: the rating models (any
// Recommender, including models a notebook builds), EASE and the baselines. Top-N lists and
// their metrics are computed from it alone.
import { DotGraph, dotGraphOf } from "../models/dotGraph";
import { Recommender } from "../models/recommender";

export interface Scorer {
  /** Shown in tables and charts, e.g. "EASE (lambda 300)". */
  readonly name: string;
  /** Films (encoded movie indices 0..nMovies-1) it scores for each user. */
  readonly nMovies: number;
  /**
   * Writes each user's score for every film into `out`: row i (out[i * nMovies ..]) for
   * encoded user users[i]. Higher ranks first; only the order within a row matters.
   */
  scoreUsers(users: Int32Array, out: Float32Array): void;
  /**
   * Maps a score of scoreUsers to the one a list shows (e.g. a dot model's raw score to stars);
   * increasing, so it leaves the order alone and is applied to the listed films only.
   */
  shown?(score: number): number;
  /** Called by topN before a run of scoreUsers calls: e.g. to take the model's current weights once. */
  prepare?(): void;
}

export function isScorer(x: unknown): x is Scorer {
  return typeof x === "object" && x !== null && typeof (x as Scorer).scoreUsers === "function" && typeof (x as Scorer).nMovies === "number";
}

/**
 * A rating model as a scorer, whose lists show its predicted stars. Dot / dot+bias / sigmoid-range
 * graphs take a batched product of the user rows with the movie table in typed memory (raw
 * scores: the range and the target scale, both increasing, are applied to the listed films only);
 * every other model predicts (user, film) pairs through tfjs in large batches.
 */
export function modelScorer(recommender: Recommender, name = recommender.kind): Scorer {
  const nMovies = recommender.encoders.movies.size;
  const { shift, scale } = recommender.spec.target;
  const graph = recommender.spec.input === "indices" ? dotGraphOf(recommender.model) : undefined;
  const range = graph?.range;
  let current = graph;
  return {
    name,
    nMovies,
    // The model may have been trained since: dotGraphOf copies its current weights (one pass over the tables).
    prepare: () => void (current = graph ? dotGraphOf(recommender.model) : undefined),
    scoreUsers(users, out) {
      if (current) dotScores(current, users, out);
      else pairScores(recommender, users, out, nMovies);
    },
    shown: graph ? (score) => (range ? range.min + (range.max - range.min) / (1 + Math.exp(-score)) : score) * scale + shift : undefined,
  };
}

/** Every film's raw score for each user: user row . movie table^T (+ biases), before range and scale. */
function dotScores(g: DotGraph, users: Int32Array, out: Float32Array): void {
  const k = g.user.width;
  const U = g.user.values;
  const M = g.movie.values;
  const nMovies = g.movie.rows;
  const ub = g.userBias?.values;
  const mb = g.movieBias?.values;
  for (let i = 0; i < users.length; i++) {
    const u = users[i];
    if (!(u >= 0 && u < g.user.rows)) throw new Error(`scoreUsers: user index ${u} is not in [0, ${g.user.rows - 1}]`);
    const row = i * nMovies;
    const base = u * k;
    const userBias = ub && mb ? ub[u] : 0;
    for (let m = 0; m < nMovies; m++) {
      const mBase = m * k;
      let score = userBias;
      for (let c = 0; c < k; c++) score += U[base + c] * M[mBase + c];
      if (mb && ub) score += mb[m];
      out[row + m] = score;
    }
  }
}

/** Any model: predictIndices on every (user, film) pair, about 64k pairs per tfjs call. */
function pairScores(recommender: Recommender, users: Int32Array, out: Float32Array, nMovies: number): void {
  const perCall = Math.max(1, Math.floor(65536 / nMovies));
  for (let start = 0; start < users.length; start += perCall) {
    const block = users.subarray(start, Math.min(users.length, start + perCall));
    const pairUsers = new Int32Array(block.length * nMovies);
    const pairMovies = new Int32Array(block.length * nMovies);
    for (let i = 0; i < block.length; i++) {
      pairUsers.fill(block[i], i * nMovies, (i + 1) * nMovies);
      for (let m = 0; m < nMovies; m++) pairMovies[i * nMovies + m] = m;
    }
    out.set(recommender.predictIndices(pairUsers, pairMovies, 65536), start * nMovies);
  }
}
