// Which movies (or users) the model rates up or down regardless of who is watching.
import { Movie } from "../data/movies";
import { Ratings } from "../data/ratings";
import { countValues, mostFrequent } from "../prep/crosstab";
import { Recommender } from "../models/recommender";
import { biasVector, Side } from "./embeddings";

export interface BiasEntry {
  id: number;
  /** The movie title, or "user <id>". */
  label: string;
  bias: number;
  count: number;
}

export interface BiasRanking {
  top: BiasEntry[];
  bottom: BiasEntry[];
}

export interface BiasRankingOptions {
  /** How many at each end (default 15). */
  n?: number;
  /** Rank only the most-rated ids (the lessons use the 2000 most-rated movies): rare ones have noisy biases. */
  mostRated?: number;
  movieById?: Map<number, Movie>;
}

export function rankBiases(recommender: Recommender, side: Side, ratings: Ratings, options: BiasRankingOptions = {}): BiasRanking {
  const { n = 15, mostRated, movieById } = options;
  const encoder = side === "user" ? recommender.encoders.users : recommender.encoders.movies;
  const column = side === "user" ? ratings.userIds : ratings.movieIds;
  const counts = countValues(column);
  const bias = biasVector(recommender, side);
  const ids = (mostRated ? mostFrequent(column, mostRated) : [...counts.keys()]).filter((id) => encoder.has(id));
  const label = (id: number) => (side === "movie" ? movieById?.get(id)?.title ?? `movie ${id}` : `user ${id}`);
  const entries = ids.map((id) => ({ id, label: label(id), bias: bias[encoder.index(id)], count: counts.get(id) ?? 0 }));
  entries.sort((a, b) => b.bias - a.bias || a.id - b.id);
  return { top: entries.slice(0, n), bottom: entries.slice(-n).reverse() };
}
