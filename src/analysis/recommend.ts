// Top-N recommendations: the user's highest predicted ratings among movies they haven't rated.
import { CollabData } from "../prep/collabData";
import { Recommender } from "../models/recommender";
import { modelIndexMaps } from "../models/fingerprint";
import { checkCount } from "./checks";

export interface Recommendation {
  movieId: number;
  title: string;
  predicted: number;
}

/** The n movies with the highest predicted rating that the user hasn't rated in the data set. */
export function recommendForUser(recommender: Recommender, data: CollabData, userId: number, n = 10, options: { candidates?: Iterable<number> } = {}): Recommendation[] {
  checkCount(n, "recommendForUser: n");
  modelIndexMaps(recommender, data, "recommendForUser"); // refuses data from another data set
  const user = recommender.encoders.users.index(userId);
  const seen = new Set<number>();
  const rated = data.ratings;
  for (let i = 0; i < rated.length; i++) if (rated.userIds[i] === userId) seen.add(rated.movieIds[i]);
  const movies = recommender.encoders.movies;
  const candidates = Array.from(options.candidates ?? movies.ids).filter((id) => !seen.has(id) && movies.has(id));
  const predicted = recommender.predictIndices(new Int32Array(candidates.length).fill(user), movies.encode(candidates));
  return candidates
    .map((movieId, i) => ({ movieId, title: data.title(movieId), predicted: predicted[i] }))
    .sort((a, b) => b.predicted - a.predicted || a.movieId - b.movieId)
    .slice(0, n);
}
