// A danfojs DataFrame view of ratings, for printing and exploring in a notebook. danfojs is
// loaded on first use: it takes over a second to import and the library doesn't need it otherwise.
import type { DataFrame } from "danfojs-node";
import { Movie } from "./movies";
import { Ratings } from "./ratings";

export function ratingsDataFrame(ratings: Ratings, movieById?: Map<number, Movie>, limit = ratings.length): DataFrame {
  const dfd = require("danfojs-node") as typeof import("danfojs-node");
  const n = Math.min(limit, ratings.length);
  const columns: Record<string, (number | string)[]> = {
    userId: Array.from(ratings.userIds.subarray(0, n)),
    movieId: Array.from(ratings.movieIds.subarray(0, n)),
    rating: Array.from(ratings.ratings.subarray(0, n)),
    timestamp: Array.from(ratings.timestamps.subarray(0, n)),
  };
  if (movieById) columns.title = columns.movieId.map((id) => movieById.get(id as number)?.title ?? "");
  return new dfd.DataFrame(columns);
}
