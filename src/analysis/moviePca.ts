// PCA of the movie embeddings of the most-rated movies, as the lessons do (rarely rated movies
// have barely trained, noisy vectors).
import { Ratings } from "../data/ratings";
import { Movie } from "../data/movies";
import { mostFrequent } from "../prep/crosstab";
import { Recommender } from "../models/recommender";
import { embeddingTable } from "./embeddings";
import { componentExtremes, ComponentEnds, pca, PcaResult } from "./pca";

export interface MoviePca extends PcaResult {
  movieIds: number[];
  titles: string[];
  /** The movies at each end of each component. */
  extremes: ComponentEnds<string>[];
}

export function moviePca(recommender: Recommender, ratings: Ratings, movieById: Map<number, Movie>, options: { mostRated?: number; components?: number; n?: number } = {}): MoviePca {
  const { mostRated = 2000, components = 3, n = 10 } = options;
  const movies = recommender.encoders.movies;
  const movieIds = mostFrequent(ratings.movieIds, mostRated).filter((id) => movies.has(id));
  const table = embeddingTable(recommender, "movie");
  const result = pca(movieIds.map((id) => table[movies.index(id)]), components);
  const titles = movieIds.map((id) => movieById.get(id)?.title ?? `movie ${id}`);
  return { ...result, movieIds, titles, extremes: componentExtremes(result, titles, n) };
}
