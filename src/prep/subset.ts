// Small subsets of a release, as session 003 made them: a random sample of ratings, movies of
// exactly one genre, titles without their year. The result goes straight into collabData.
import { Movie } from "../data/movies";
import { Ratings, filterRatings, selectRatings } from "../data/ratings";
import { EncodedRatings } from "./encodedRatings";
import { seededRandom, shuffledIndices } from "./random";

/** What a subset keeps of its source: the fields collabData reads. */
export interface RatingSubset {
  name: string;
  /** The release it was taken from: a model built on the subset belongs to that data set. */
  dataset?: string;
  ratings: Ratings;
  movieById: Map<number, Movie>;
  ratingScale?: { min: number; max: number; step: number };
}

/** `n` ratings drawn without replacement (pandas' `sample(n)`), kept in their original order. */
export function sampleRatings(ratings: Ratings, n: number, seed: number | string = 42): Ratings {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`sampleRatings: n must be a positive integer, got ${n}`);
  if (n > ratings.length) throw new Error(`sampleRatings: cannot draw ${n} ratings from ${ratings.length}; ask for at most ${ratings.length}`);
  const picked = shuffledIndices(ratings.length, seededRandom(seed)).subarray(0, n).sort();
  return selectRatings(ratings, picked);
}

/**
 * Ratings of movies whose genre list is exactly one of `genres` ("Comedy" alone, not
 * "Comedy|Romance"), like session 003's `df.genres == "Comedy"`. Movies without metadata are dropped.
 */
export function ratingsOfSingleGenre(ratings: Ratings, movieById: Map<number, Movie>, genres: readonly string[]): Ratings {
  if (genres.length === 0) throw new Error("ratingsOfSingleGenre: name at least one genre");
  const wanted = new Set(genres);
  const keep = (movieId: number) => {
    const g = movieById.get(movieId)?.genres;
    return g !== undefined && g.length === 1 && wanted.has(g[0]);
  };
  return filterRatings(ratings, (i) => keep(ratings.movieIds[i]));
}

/** "Toy Story (1995)" -> "Toy Story"; titles without a trailing year stay as they are. */
export function titleWithoutYear(title: string): string {
  return title.replace(/\s*\(\d{4}(?:[-–]\d{0,4})?\)\s*$/, "");
}

/** A copy of the movie table whose titles have no year (the year stays in `year`). */
export function moviesWithoutYears(movieById: Map<number, Movie>): Map<number, Movie> {
  return new Map([...movieById].map(([id, movie]) => [id, { ...movie, title: titleWithoutYear(movie.title) }]));
}

export interface SubsetOptions {
  /** Draw this many ratings first (before the genre filter, as the session did). */
  sample?: number;
  /** Keep only movies whose single genre is one of these. */
  singleGenre?: readonly string[];
  /** Strip "(1999)" from titles; default true. */
  stripYears?: boolean;
  seed?: number | string;
  name?: string;
}

/** Sample, then filter by genre, then strip years: the subset as a source for collabData. */
export function ratingSubset(source: { name?: string; dataset?: string; ratings: Ratings; movieById: Map<number, Movie>; ratingScale?: RatingSubset["ratingScale"] }, options: SubsetOptions = {}): RatingSubset {
  let ratings = options.sample === undefined ? source.ratings : sampleRatings(source.ratings, options.sample, options.seed);
  if (options.singleGenre) ratings = ratingsOfSingleGenre(ratings, source.movieById, options.singleGenre);
  if (ratings.length === 0) throw new Error(`ratingSubset: no ratings left in ${source.name ?? "the source"} after sampling and the genre filter`);
  const movieById = options.stripYears === false ? source.movieById : moviesWithoutYears(source.movieById);
  return { name: options.name ?? `${source.name ?? "ratings"} subset`, dataset: source.dataset ?? source.name, ratings, movieById, ratingScale: source.ratingScale };
}

/**
 * How many validation ratings have a movie (or user) with no training rating: their one-hot
 * row never gets a gradient, so the model can only guess from the rest. Small subsets have many.
 */
export function unseenInTraining(split: { train: EncodedRatings; valid: EncodedRatings | undefined }): { ratings: number; movies: number; users: number } {
  const valid = split.valid;
  if (!valid) throw new Error("unseenInTraining: the data has no validation part (collabData with split \"none\")");
  const trainMovies = new Set(split.train.movies);
  const trainUsers = new Set(split.train.users);
  const movies = new Set<number>(), users = new Set<number>();
  let ratings = 0;
  for (let i = 0; i < valid.length; i++) {
    const newMovie = !trainMovies.has(valid.movies[i]), newUser = !trainUsers.has(valid.users[i]);
    if (newMovie) movies.add(valid.movies[i]);
    if (newUser) users.add(valid.users[i]);
    if (newMovie || newUser) ratings++;
  }
  return { ratings, movies: movies.size, users: users.size };
}
