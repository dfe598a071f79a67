// PCA of the movie embeddings of the most-rated movies, as the lessons do (rarely rated movies
// have barely trained, noisy vectors).
import { CollabData } from "../prep/collabData";
import { mostFrequent } from "../prep/crosstab";
import { Recommender } from "../models/recommender";
import { modelIndexMaps } from "../models/fingerprint";
import { checkCount } from "./checks";
import { componentExtremes, ComponentEnds, pca, PcaResult } from "./pca";

export interface MoviePca extends PcaResult {
  movieIds: number[];
  titles: string[];
  /** The movies at each end of each component. */
  extremes: ComponentEnds<string>[];
}

export function moviePca(recommender: Recommender, data: CollabData, options: { mostRated?: number; components?: number; n?: number } = {}): MoviePca {
  const { mostRated = 2000, components = 3, n = 10 } = options;
  checkCount(mostRated, "moviePca: mostRated");
  modelIndexMaps(recommender, data, "moviePca"); // refuses data from another data set
  const movies = recommender.encoders.movies;
  const movieIds = mostFrequent(data.ratings.movieIds, mostRated).filter((id) => movies.has(id));
  const table = recommender.embeddings("movie");
  const result = pca(movieIds.map((id) => table[movies.index(id)]), components);
  const titles = movieIds.map((id) => data.title(id));
  return { ...result, movieIds, titles, extremes: componentExtremes(result, titles, n) };
}
