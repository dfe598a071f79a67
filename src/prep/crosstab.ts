// The lessons' first look at the data: the most active users against the most rated movies.
import { Ratings } from "../data/ratings";

export interface Crosstab {
  userIds: number[];
  movieIds: number[];
  /** cells[u][m]: the rating of userIds[u] for movieIds[m], or null when unrated. */
  cells: (number | null)[][];
}

/** How often each value occurs (ratings per user or movie, ratings per star value). */
export function countValues(values: ArrayLike<number>): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < values.length; i++) counts.set(values[i], (counts.get(values[i]) ?? 0) + 1);
  return counts;
}

/** [id, count] pairs by descending count, ties by ascending id so tables are reproducible. */
export function rankedCounts(ids: ArrayLike<number>): [number, number][] {
  return [...countValues(ids).entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
}

/** The n most frequent ids, in rankedCounts' order. */
export function mostFrequent(ids: ArrayLike<number>, n: number): number[] {
  return rankedCounts(ids)
    .slice(0, n)
    .map(([id]) => id);
}

export function crosstab(ratings: Ratings, options: { users?: number; movies?: number } = {}): Crosstab {
  const { users = 15, movies = 15 } = options;
  const userIds = mostFrequent(ratings.userIds, users);
  const movieIds = mostFrequent(ratings.movieIds, movies);
  const userRow = new Map(userIds.map((id, i) => [id, i]));
  const movieColumn = new Map(movieIds.map((id, i) => [id, i]));
  const cells = userIds.map(() => movieIds.map((): number | null => null));
  for (let i = 0; i < ratings.length; i++) {
    const u = userRow.get(ratings.userIds[i]);
    const m = movieColumn.get(ratings.movieIds[i]);
    if (u !== undefined && m !== undefined) cells[u][m] = ratings.ratings[i];
  }
  return { userIds, movieIds, cells };
}
