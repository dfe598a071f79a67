import { test } from "node:test";
import * as assert from "node:assert/strict";
import { createRatings, Movie, moviesById } from "../src/data";
import { componentCorrelations, movieRatingStats, pearson } from "../src/analysis/componentMeaning";

const ratings = createRatings({
  userIds: Int32Array.of(1, 2, 3, 1, 2, 1, 2, 3, 4, 1),
  movieIds: Int32Array.of(10, 10, 10, 20, 20, 30, 30, 30, 30, 40),
  ratings: Float32Array.of(5, 4, 4.5, 2, 3, 3, 3.5, 4, 3.5, 1),
  timestamps: new Uint32Array(10),
});
const movies: Movie[] = [
  { movieId: 10, title: "A", year: null, genres: ["Drama"] },
  { movieId: 20, title: "B", year: null, genres: ["Comedy"] },
  { movieId: 30, title: "C", year: null, genres: ["Drama"] },
  { movieId: 40, title: "D", year: null, genres: ["Comedy"] },
  { movieId: 50, title: "E", year: null, genres: ["Comedy"] },
];

test("movieRatingStats counts and averages each movie's ratings", () => {
  const stats = movieRatingStats(ratings);
  assert.deepEqual(stats.get(10), { count: 3, mean: 4.5 });
  assert.deepEqual(stats.get(30), { count: 4, mean: 3.5 });
  assert.equal(stats.get(50), undefined);
});

test("pearson is 1 for a line, -1 for a falling line, NaN without spread", () => {
  assert.ok(Math.abs(pearson([1, 2, 3], [2, 4, 6]) - 1) < 1e-12);
  assert.ok(Math.abs(pearson([1, 2, 3], [3, 2, 1]) + 1) < 1e-12);
  assert.ok(Math.abs(pearson([1, 2, 3, 4], [1, 3, 2, 4]) - 0.8) < 1e-12);
  assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
  assert.throws(() => pearson([1, 2], [1]), /2 values against 1/);
});

test("componentCorrelations says which component follows the mean rating and which the genre", () => {
  // Component 1 is the mean rating itself; component 2 is 1 for dramas and 0 for comedies; movie 50 has no rating.
  const result = { movieIds: [10, 20, 30, 40, 50], projections: [[4.5, 1], [2.5, 0], [3.5, 1], [1, 0], [9, 9]] };
  const [first, second] = componentCorrelations(result, { ratings, movieById: moviesById(movies) }, { genres: ["Drama", "Comedy"] });
  assert.ok(Math.abs(first.meanRating - 1) < 1e-9);
  assert.ok(Math.abs(second.genres.Drama - 1) < 1e-9);
  assert.ok(Math.abs(second.genres.Comedy + 1) < 1e-9);
  assert.ok(Math.abs(first.ratingCount - pearson([4.5, 2.5, 3.5, 1], [3, 2, 4, 1])) < 1e-12);
  assert.throws(() => componentCorrelations({ movieIds: [50], projections: [[1]] }, { ratings, movieById: moviesById(movies) }), /only 0 of the 1 movies/);
});
