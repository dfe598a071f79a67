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
}

export function isScorer(x: unknown): x is Scorer {
  return typeof x === "object" && x !== null && typeof (x as Scorer).scoreUsers === "function" && typeof (x as Scorer).nMovies === "number";
}

/**
 * A rating model as a scorer: its predicted stars for every film. Dot / dot+bias / sigmoid-range
 * graphs take a batched product of the user rows with the movie table in typed memory; every
 * other model predicts (user, film) pairs through tfjs in large batches.
 */
export function modelScorer(recommender: Recommender, name = recommender.kind): Scorer {
  const nMovies = recommender.encoders.movies.size;
  return {
    name,
    nMovies,
    scoreUsers(users, out) {
      const graph = recommender.spec.input === "indices" ? dotGraphOf(recommender.model) : undefined;
      if (graph) dotScores(graph, users, out, recommender.spec.target);
      else pairScores(recommender, users, out, nMovies);
    },
  };
}

/** Every film's output for each user: user row . movie table^T (+ biases, range), in stars. */
function dotScores(g: DotGraph, users: Int32Array, out: Float32Array, target: { shift: number; scale: number }): void {
  const k = g.user.width;
  const U = g.user.values;
  const M = g.movie.values;
  const nMovies = g.movie.rows;
  const ub = g.userBias?.values;
  const mb = g.movieBias?.values;
  const range = g.range;
  const { shift, scale } = target;
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
      if (range) score = range.min + (range.max - range.min) / (1 + Math.exp(-score));
      out[row + m] = score * scale + shift;
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
