// Top-N recommendations: the user's highest predicted ratings among movies they haven't rated.
import { Ratings } from "../data/ratings";
import { Recommender } from "../models/recommender";

export interface Recommendation {
  movieId: number;
  predicted: number;
}

export function recommendForUser(recommender: Recommender, userId: number, rated: Ratings, n = 10, options: { candidates?: Iterable<number> } = {}): Recommendation[] {
  const seen = new Set<number>();
  for (let i = 0; i < rated.length; i++) if (rated.userIds[i] === userId) seen.add(rated.movieIds[i]);
  const movies = recommender.encoders.movies;
  const candidates = Array.from(options.candidates ?? movies.ids).filter((id) => !seen.has(id) && movies.has(id));
  const user = recommender.encoders.users.index(userId);
  const predicted = recommender.predictIndices(new Int32Array(candidates.length).fill(user), movies.encode(candidates));
  return candidates
    .map((movieId, i) => ({ movieId, predicted: predicted[i] }))
    .sort((a, b) => b.predicted - a.predicted || a.movieId - b.movieId)
    .slice(0, n);
}
