// danfojs DataFrame views for looking at the data in a notebook, as the sessions did with pandas
// (head, describe, group-by counts, the crosstab). Training never goes through them: it stays
// on typed arrays. danfojs is loaded on first use: it takes over a second to import.
import type { DataFrame } from "danfojs-node";
import { Movie } from "../data/movies";
import { Ratings } from "../data/ratings";
import { crosstab, rankedCounts } from "./crosstab";

type Danfo = typeof import("danfojs-node");
const danfo = (): Danfo => require("danfojs-node") as Danfo;

/** Anything with ratings and optional titles: a loaded MovieLens release or a data object. */
export interface RatingsWithTitles {
  ratings: Ratings;
  movieById?: Map<number, Movie>;
}

/** The ratings as a DataFrame (userId, movieId, rating, timestamp, title), the first `limit` rows. */
export function ratingsFrame(source: RatingsWithTitles, options: { limit?: number } = {}): DataFrame {
  const { ratings, movieById } = source;
  const n = Math.min(options.limit ?? ratings.length, ratings.length);
  const columns: Record<string, (number | string)[]> = {
    userId: Array.from(ratings.userIds.subarray(0, n)),
    movieId: Array.from(ratings.movieIds.subarray(0, n)),
    rating: Array.from(ratings.ratings.subarray(0, n)),
    timestamp: Array.from(ratings.timestamps.subarray(0, n)),
  };
  if (movieById) columns.title = columns.movieId.map((id) => movieById.get(id as number)?.title ?? "");
  return new (danfo().DataFrame)(columns);
}

/** The movie list as a DataFrame (movieId, title, year, genres joined by '|'). */
export function moviesFrame(source: { movies: readonly Movie[] }, options: { limit?: number } = {}): DataFrame {
  const movies = source.movies.slice(0, options.limit ?? source.movies.length);
  return new (danfo().DataFrame)({
    movieId: movies.map((m) => m.movieId),
    title: movies.map((m) => m.title),
    year: movies.map((m) => m.year ?? NaN),
    genres: movies.map((m) => m.genres.join("|")),
  });
}

/** Ratings per user or per movie, most first: the group-by count of the sessions. */
export function countsFrame(source: RatingsWithTitles, by: "userId" | "movieId", options: { limit?: number } = {}): DataFrame {
  const ranked = rankedCounts(by === "userId" ? source.ratings.userIds : source.ratings.movieIds);
  const rows = ranked.slice(0, options.limit ?? ranked.length);
  const frame: Record<string, (number | string)[]> = { [by]: rows.map((r) => r[0]), ratings: rows.map((r) => r[1]) };
  if (by === "movieId" && source.movieById) frame.title = rows.map((r) => source.movieById!.get(r[0])?.title ?? "");
  return new (danfo().DataFrame)(frame);
}

/** The most active users against the most rated movies, one column per movie title, NaN where unrated. */
export function crosstabFrame(source: RatingsWithTitles, options: { users?: number; movies?: number } = {}): DataFrame {
  const table = crosstab(source.ratings, options);
  const columns: Record<string, number[]> = { userId: table.userIds };
  table.movieIds.forEach((movieId, j) => {
    const title = source.movieById?.get(movieId)?.title ?? `movie ${movieId}`;
    columns[title] = table.cells.map((row) => row[j] ?? NaN);
  });
  return new (danfo().DataFrame)(columns);
}
