// Ratings turned into the contiguous indices the embedding tables are addressed by.
import { Ratings } from "../data/ratings";
import { IdEncoder } from "./idEncoder";

/** The id vocabularies of a data set: MovieLens ids <-> rows of the embedding tables. */
export interface Encoders {
  users: IdEncoder;
  movies: IdEncoder;
}

export interface EncodedRatings {
  users: Int32Array;
  movies: Int32Array;
  ratings: Float32Array;
  length: number;
}

/**
 * Encoders over every user and movie in `ratings`. Fit them on the whole data set, before any
 * split, so validation users and movies have (untrained) rows too, as the lessons do.
 */
export function fitEncoders(ratings: Ratings, source?: string): Encoders {
  return { users: IdEncoder.fit(ratings.userIds, "user", source), movies: IdEncoder.fit(ratings.movieIds, "movie", source) };
}

export function encodeRatings(ratings: Ratings, encoders: Encoders): EncodedRatings {
  return {
    users: encoders.users.encode(ratings.userIds),
    movies: encoders.movies.encode(ratings.movieIds),
    ratings: ratings.ratings,
    length: ratings.length,
  };
}
