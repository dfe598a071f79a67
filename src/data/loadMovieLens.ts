// One entry point per release: download (or find in the cache) and parse.
import * as path from "node:path";
import { DatasetName, DATASETS, datasetInfo } from "./datasets";
import { downloadDataset, DownloadOptions } from "./download";
import { loadCsvMovies, loadCsvRatings } from "./loadCsv";
import { loadDelimitedRatings } from "./loadDelimited";
import { load100kMovies, load1mMovies, loadGenreNames } from "./loadMovieFiles";
import { Movie, moviesById } from "./movies";
import { Ratings } from "./ratings";

export interface MovieLens {
  name: DatasetName;
  dir: string;
  ratings: Ratings;
  movies: Movie[];
  movieById: Map<number, Movie>;
  /** The stars a rating can take: min, max and the step between them. */
  ratingScale: { min: number; max: number; step: number };
}

/** Parses an unpacked release already on disk. */
export function readMovieLens(name: DatasetName, dir: string): MovieLens {
  const scale = datasetInfo(name).ratingScale; // an unknown name is an error naming the known ones
  const release = { requireFinalNewline: true }; // every release's files end with a line break: without one, a file was cut
  let ratings: Ratings;
  let movies: Movie[];
  switch (name) {
    case "ml-latest-small":
    case "ml-25m":
    case "ml-32m":
      ratings = loadCsvRatings(path.join(dir, "ratings.csv"), scale, release);
      movies = loadCsvMovies(path.join(dir, "movies.csv"));
      break;
    case "ml-100k":
      ratings = loadDelimitedRatings(path.join(dir, "u.data"), "\t", scale, release);
      movies = load100kMovies(path.join(dir, "u.item"), loadGenreNames(path.join(dir, "u.genre")));
      break;
    case "ml-1m":
      ratings = loadDelimitedRatings(path.join(dir, "ratings.dat"), "::", scale, release);
      movies = load1mMovies(path.join(dir, "movies.dat"));
      break;
  }
  return { name, dir, ratings, movies, movieById: moviesById(movies), ratingScale: { ...scale } };
}

/** Downloads the release if needed (see downloadDataset) and parses it. */
export async function loadMovieLens(name: DatasetName, options: DownloadOptions = {}): Promise<MovieLens> {
  return readMovieLens(name, await downloadDataset(name, options));
}

export type Split100k = "u1" | "u2" | "u3" | "u4" | "u5" | "ua" | "ub";

/** ml-100k's fixed train/test splits (u1.base/u1.test ... ub), for results comparable with papers. */
export function read100kSplit(dir: string, split: Split100k): { train: Ratings; test: Ratings } {
  const scale = DATASETS["ml-100k"].ratingScale;
  return {
    train: loadDelimitedRatings(path.join(dir, `${split}.base`), "\t", scale, { requireFinalNewline: true }),
    test: loadDelimitedRatings(path.join(dir, `${split}.test`), "\t", scale, { requireFinalNewline: true }),
  };
}
