// The data object of the lessons (fastai's DataLoaders, Surprise's Trainset): one call turns a
// loaded data set into everything a model, training and analysis need, so nobody encodes by hand.
import * as path from "node:path";
import { Movie } from "../data/movies";
import { Ratings } from "../data/ratings";
import { read100kSplit, Split100k } from "../data/loadMovieLens";
import { EncodedRatings, Encoders, encodeRatings, fitEncoders } from "./encodedRatings";
import { randomSplit, stratifiedSplit, temporalSplitPerUser } from "./split";
import { checkRatingsTable, checkRatingValues, checkSourceShape, checkSplitCoversSource, checkValidFraction } from "./checkSource";

/** What collabData needs: a loaded MovieLens release, or any ratings with optional titles. */
export interface RatingSource {
  name?: string;
  /** The release the ratings come from, when `name` is a subset's own ("ml-latest-small"). */
  dataset?: string;
  /** The unpacked release's folder: needed for ml-100k's fixed splits. */
  dir?: string;
  ratings: Ratings;
  movieById?: Map<number, Movie>;
  ratingScale?: RatingScale;
}

export interface RatingScale {
  min: number;
  max: number;
  step: number;
}

export interface CollabDataOptions {
  /** Share of ratings held out for validation (random and temporal splits); default 0.2. */
  validFraction?: number;
  seed?: number;
  /**
   * "random" (default), "temporal" (each user's latest ratings held out), "per-user" (a random
   * validFraction of each user's ratings held out, seeded: the top-N protocol), "per-movie" (the
   * same per movie: the split behind Microsoft Recommenders' ml-100k table), one of ml-100k's fixed
   * splits ("u1".."u5", "ua", "ub"), "none" (train on everything), or explicit train/valid ratings.
   */
  split?: "random" | "temporal" | "per-user" | "per-movie" | "none" | Split100k | { train: Ratings; valid: Ratings };
}

export interface CollabData {
  name: string;
  /** The release it comes from ("ml-100k"): models built from it refuse data from another one. */
  dataset: string;
  /** Fit on every rating (train and validation), so validation users and movies have rows too. */
  encoders: Encoders;
  train: EncodedRatings;
  valid: EncodedRatings | undefined;
  /** All ratings, then the two parts, with MovieLens ids. */
  ratings: Ratings;
  trainRatings: Ratings;
  validRatings: Ratings | undefined;
  ratingScale: RatingScale;
  /** Mean and standard deviation of the training ratings (stars). */
  globalMean: number;
  ratingStd: number;
  movieById: Map<number, Movie>;
  nUsers: number;
  nMovies: number;
  /** The movie's title, or "movie <id>" when the data set has none for it. */
  title(movieId: number): string;
}

const FIXED_SPLITS = new Set(["u1", "u2", "u3", "u4", "u5", "ua", "ub"]);

function meanAndStd(values: Float32Array): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(squares / values.length) };
}

/** The scale the ratings show when the source doesn't say: their range, and the finest step seen. */
function observedScale(ratings: Ratings): RatingScale {
  let min = Infinity, max = -Infinity;
  let halves = false;
  for (let i = 0; i < ratings.length; i++) {
    const r = ratings.ratings[i];
    if (r < min) min = r;
    if (r > max) max = r;
    if (r !== Math.round(r)) halves = true;
  }
  return { min, max, step: halves ? 0.5 : 1 };
}

function splitRatings(source: RatingSource, name: string, options: CollabDataOptions): { train: Ratings; valid: Ratings | undefined } {
  const { split = "random", validFraction = 0.2, seed = 42 } = options;
  if (typeof split === "object") {
    checkRatingsTable(split.train, `collabData: split.train of '${name}'`);
    checkRatingsTable(split.valid, `collabData: split.valid of '${name}'`);
    checkRatingValues(split.train, name, source.ratingScale, "split.train");
    checkRatingValues(split.valid, name, source.ratingScale, "split.valid");
    return { train: split.train, valid: split.valid };
  }
  if (split === "none") return { train: source.ratings, valid: undefined };
  if (split === "random") {
    const parts = randomSplit(source.ratings, { testFraction: validFraction, seed });
    if (parts.test.length === 0) throw new Error(`collabData: validFraction ${validFraction} of the ${source.ratings.length} ratings of '${name}' holds out none; raise validFraction or use split: "none"`);
    return { train: parts.train, valid: parts.test };
  }
  if (split === "temporal") {
    const parts = temporalSplitPerUser(source.ratings, { testFraction: validFraction });
    if (parts.test.length === 0) throw new Error(`collabData: the temporal split of '${name}' holds out nothing: no user has two or more ratings; use split: "random" or "none"`);
    return { train: parts.train, valid: parts.test };
  }
  if (split === "per-user" || split === "per-movie") {
    const by = split === "per-user" ? "user" : "movie";
    const parts = stratifiedSplit(source.ratings, { testFraction: validFraction, seed, by });
    if (parts.test.length === 0) throw new Error(`collabData: the ${split} split of '${name}' holds out nothing: validFraction ${validFraction} of each ${by}'s ratings rounds to none; raise validFraction`);
    return { train: parts.train, valid: parts.test };
  }
  if (FIXED_SPLITS.has(split)) {
    if (!source.dir || !name.startsWith("ml-100k")) throw new Error(`collabData: split '${split}' is one of ml-100k's fixed splits; '${name}' has none`);
    const parts = read100kSplit(source.dir, split);
    checkSplitCoversSource(source.ratings, [parts.train, parts.test], name, split);
    return { train: parts.train, valid: parts.test };
  }
  throw new Error(`collabData: unknown split '${String(split)}'; use "random", "temporal", "per-user", "per-movie", "none", u1..u5, ua, ub or { train, valid }`);
}

/** Concatenates two rating tables (a fixed split's parts make up the whole data set). */
function joinRatings(a: Ratings, b: Ratings): Ratings {
  const join = <T extends Int32Array | Float32Array | Uint32Array>(x: T, y: T, make: (n: number) => T): T => {
    const out = make(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  return {
    userIds: join(a.userIds, b.userIds, (n) => new Int32Array(n)),
    movieIds: join(a.movieIds, b.movieIds, (n) => new Int32Array(n)),
    ratings: join(a.ratings, b.ratings, (n) => new Float32Array(n)),
    timestamps: join(a.timestamps, b.timestamps, (n) => new Uint32Array(n)),
    length: a.length + b.length,
  };
}

/**
 * Splits, encodes and describes a data set in one call:
 * `collabData(await loadMovieLens("ml-100k"), { split: "u1" })`.
 */
export function collabData(source: RatingSource, options: CollabDataOptions = {}): CollabData {
  checkSourceShape(source);
  const name = source.name ?? (source.dir ? path.basename(source.dir) : "ratings");
  checkRatingsTable(source.ratings, `collabData: '${name}'`);
  checkValidFraction(options);
  checkRatingValues(source.ratings, name, source.ratingScale);
  if (source.ratings.length === 0) throw new Error(`collabData: '${name}' has no ratings`);
  const { train, valid } = splitRatings(source, name, options);
  if (train.length === 0) throw new Error(`collabData: the training part of '${name}' is empty`);
  const explicit = typeof options.split === "object" || FIXED_SPLITS.has(options.split as string);
  const ratings = explicit && valid ? joinRatings(train, valid) : source.ratings;
  const encoders = fitEncoders(ratings, name);
  const { mean, std } = meanAndStd(train.ratings);
  const movieById = source.movieById ?? new Map<number, Movie>();
  return {
    name,
    dataset: source.dataset ?? name,
    encoders,
    train: encodeRatings(train, encoders),
    valid: valid && valid.length > 0 ? encodeRatings(valid, encoders) : undefined,
    ratings,
    trainRatings: train,
    validRatings: valid && valid.length > 0 ? valid : undefined,
    ratingScale: source.ratingScale ?? observedScale(ratings),
    globalMean: mean,
    ratingStd: std,
    movieById,
    nUsers: encoders.users.size,
    nMovies: encoders.movies.size,
    title: (movieId) => movieById.get(movieId)?.title ?? `movie ${movieId}`,
  };
}
