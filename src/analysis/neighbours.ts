// Movies close to a movie in embedding space: the model's idea of "similar".
import { Recommender } from "../models/recommender";
import { checkCount } from "./checks";

export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** The n rows most cosine-similar to row `index`, itself excluded. */
export function nearestRows(table: number[][], index: number, n: number, allowed?: (index: number) => boolean): { index: number; similarity: number }[] {
  const target = table[index];
  return table
    .map((row, i) => ({ index: i, similarity: i === index || (allowed && !allowed(i)) ? -Infinity : cosineSimilarity(target, row) }))
    .filter((r) => r.similarity > -Infinity)
    .sort((a, b) => b.similarity - a.similarity || a.index - b.index)
    .slice(0, n);
}

export interface Neighbour {
  movieId: number;
  similarity: number;
}

/** The n movies whose embeddings point most nearly the same way as `movieId`'s. */
export function nearestMovies(recommender: Recommender, movieId: number, n = 10, options: { among?: Iterable<number> } = {}): Neighbour[] {
  checkCount(n, "nearestMovies: n");
  const movies = recommender.encoders.movies;
  const among = options.among ? new Set(Array.from(options.among, (id) => movies.index(id))) : undefined;
  return nearestRows(recommender.embeddings("movie"), movies.index(movieId), n, among && ((i) => among.has(i))).map((r) => ({
    movieId: movies.id(r.index),
    similarity: r.similarity,
  }));
}
