// Which movies (or users) the model rates up or down regardless of who is watching.
import { CollabData } from "../prep/collabData";
import { rankedCounts } from "../prep/crosstab";
import { Recommender } from "../models/recommender";
import { modelIndexMaps } from "../models/fingerprint";
import { Side } from "../models/side";
import { checkCount } from "./checks";

export interface BiasEntry {
  id: number;
  /** The movie title, or "user <id>". */
  label: string;
  bias: number;
  /** How many ratings it has in the data set. */
  count: number;
}

export interface BiasRanking {
  top: BiasEntry[];
  bottom: BiasEntry[];
  /** "stars" (an offset from the model's centre) or "pre-sigmoid score". */
  unit: string;
}

export interface BiasRankingOptions {
  side?: Side;
  /** How many at each end (default 15). */
  n?: number;
  /** Rank only the most-rated ids (the lessons use the 2000 most-rated movies): rare ones have noisy biases. */
  mostRated?: number;
}

/** The n highest and lowest biases of a model, with titles and rating counts from the data. */
export function rankBiases(recommender: Recommender, data: CollabData, options: BiasRankingOptions = {}): BiasRanking {
  const { side = "movie", n = 15, mostRated } = options;
  checkCount(n, "rankBiases: n");
  if (mostRated !== undefined) checkCount(mostRated, "rankBiases: mostRated");
  modelIndexMaps(recommender, data, "rankBiases"); // refuses data from another data set
  const bias = recommender.biases(side);
  const encoder = side === "user" ? recommender.encoders.users : recommender.encoders.movies;
  const column = side === "user" ? data.ratings.userIds : data.ratings.movieIds;
  const ranked = rankedCounts(column);
  const counts = new Map(ranked);
  const ids = ranked.slice(0, mostRated ?? ranked.length).map(([id]) => id).filter((id) => encoder.has(id));
  const label = (id: number) => (side === "movie" ? data.title(id) : `user ${id}`);
  const entries = ids.map((id) => ({ id, label: label(id), bias: bias[encoder.index(id)], count: counts.get(id) ?? 0 }));
  entries.sort((a, b) => b.bias - a.bias || a.id - b.id);
  return { top: entries.slice(0, n), bottom: entries.slice(-n).reverse(), unit: recommender.biasUnit };
}
