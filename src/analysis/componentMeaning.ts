// What a principal component of the movie embeddings tracks, in numbers: its correlation with
// each movie's mean rating, its number of ratings and its genres. Naming the movies at the two
// ends (componentExtremes) is the reading by eye; this checks it, and holds up when a small
// data set makes the names at the ends change from run to run.
import { Ratings } from "../data/ratings";
import { Movie } from "../data/movies";
import { MoviePca } from "./moviePca";

export interface MovieRatingStats {
  count: number;
  /** Mean rating in stars. */
  mean: number;
}

/** Each movie's number of ratings and mean rating in `ratings`. */
export function movieRatingStats(ratings: Ratings): Map<number, MovieRatingStats> {
  const sums = new Map<number, { count: number; sum: number }>();
  for (let i = 0; i < ratings.length; i++) {
    const entry = sums.get(ratings.movieIds[i]) ?? { count: 0, sum: 0 };
    entry.count++;
    entry.sum += ratings.ratings[i];
    sums.set(ratings.movieIds[i], entry);
  }
  return new Map([...sums].map(([id, { count, sum }]) => [id, { count, mean: sum / count }]));
}

/** Pearson's correlation; NaN when either side does not vary. */
export function pearson(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`pearson: ${a.length} values against ${b.length}`);
  if (a.length < 2) throw new Error(`pearson: need at least two pairs, got ${a.length}`);
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const ma = mean(a), mb = mean(b);
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return aa === 0 || bb === 0 ? NaN : ab / Math.sqrt(aa * bb);
}

export interface ComponentCorrelation {
  component: number;
  /** Correlation with the movie's mean rating in `ratings`. */
  meanRating: number;
  /** Correlation with how many ratings the movie has in `ratings`. */
  ratingCount: number;
  /** Correlation with "the movie has this genre" (1 or 0), per genre asked for. */
  genres: Record<string, number>;
}

/**
 * For each component of a movie PCA, its correlation with the movies' mean rating, rating count
 * and genres. Pass the training ratings, so the figures describe what the model saw. Movies of
 * the PCA without a rating there are left out.
 */
export function componentCorrelations(
  result: Pick<MoviePca, "movieIds" | "projections">,
  source: { ratings: Ratings; movieById: Map<number, Movie> },
  options: { genres?: readonly string[] } = {},
): ComponentCorrelation[] {
  const stats = movieRatingStats(source.ratings);
  const rows = result.movieIds.map((id, i) => ({ id, projection: result.projections[i], stats: stats.get(id) })).filter((r) => r.stats !== undefined);
  if (rows.length < 2) throw new Error(`componentCorrelations: only ${rows.length} of the ${result.movieIds.length} movies have ratings in the ratings given`);
  const width = rows[0].projection.length;
  return Array.from({ length: width }, (_, c) => {
    const scores = rows.map((r) => r.projection[c]);
    const genres = Object.fromEntries(
      (options.genres ?? []).map((genre) => [genre, pearson(scores, rows.map((r) => (source.movieById.get(r.id)?.genres.includes(genre) ? 1 : 0)))]),
    );
    return { component: c + 1, meanRating: pearson(scores, rows.map((r) => r.stats!.mean)), ratingCount: pearson(scores, rows.map((r) => r.stats!.count)), genres };
  });
}
