import { test } from "node:test";
import * as assert from "node:assert/strict";
import { createRatings, Movie, moviesById, Ratings } from "../src/data";
import { moviesWithoutYears, ratingSubset, ratingsOfSingleGenre, sampleRatings, titleWithoutYear, unseenInTraining } from "../src/prep/subset";

function ratingsOf(rows: [user: number, movie: number, rating: number][]): Ratings {
  return createRatings({
    userIds: Int32Array.from(rows, (r) => r[0]),
    movieIds: Int32Array.from(rows, (r) => r[1]),
    ratings: Float32Array.from(rows, (r) => r[2]),
    timestamps: Uint32Array.from(rows, (_, i) => 1000 + i),
  });
}

const movies: Movie[] = [
  { movieId: 1, title: "Toy Story (1995)", year: 1995, genres: ["Adventure", "Animation", "Comedy"] },
  { movieId: 2, title: "Clerks (1994)", year: 1994, genres: ["Comedy"] },
  { movieId: 3, title: "Casablanca (1942)", year: 1942, genres: ["Drama", "Romance"] },
  { movieId: 4, title: "Babel (2006)", year: 2006, genres: ["Drama"] },
  { movieId: 5, title: "Alien (1979)", year: 1979, genres: ["Horror", "Sci-Fi"] },
];
const byId = moviesById(movies);

test("sampleRatings draws n distinct rows, reproducibly by seed, in their original order", () => {
  const all = ratingsOf(Array.from({ length: 500 }, (_, i) => [i, i % 5 + 1, 1 + (i % 5)] as [number, number, number]));
  const a = sampleRatings(all, 120, 7);
  assert.equal(a.length, 120);
  const users = [...a.userIds];
  assert.equal(new Set(users).size, 120, "no row drawn twice");
  assert.deepEqual(users, [...users].sort((x, y) => x - y));
  for (let i = 0; i < a.length; i++) assert.equal(a.movieIds[i], (a.userIds[i] % 5) + 1, "columns stay aligned");
  assert.deepEqual([...sampleRatings(all, 120, 7).userIds], users);
  assert.notDeepEqual([...sampleRatings(all, 120, 8).userIds], users);
  assert.throws(() => sampleRatings(all, 501), /cannot draw 501 ratings from 500/);
  assert.throws(() => sampleRatings(all, 2.5), /positive integer/);
});

test("ratingsOfSingleGenre keeps only movies whose whole genre list is one wanted genre", () => {
  const r = ratingsOf([[1, 1, 4], [1, 2, 3], [2, 3, 5], [2, 4, 2], [3, 5, 1], [3, 99, 4], [4, 2, 5]]);
  const kept = ratingsOfSingleGenre(r, byId, ["Comedy", "Drama"]);
  assert.deepEqual([...kept.movieIds], [2, 4, 2]);
  assert.deepEqual([...kept.ratings], [3, 2, 5]);
  assert.throws(() => ratingsOfSingleGenre(r, byId, []), /at least one genre/);
});

test("titleWithoutYear strips only a trailing year", () => {
  assert.equal(titleWithoutYear("Toy Story (1995)"), "Toy Story");
  assert.equal(titleWithoutYear("2001: A Space Odyssey (1968)"), "2001: A Space Odyssey");
  assert.equal(titleWithoutYear("Ocean's 11 (2001) "), "Ocean's 11");
  assert.equal(titleWithoutYear("Fawlty Towers (1975-1979)"), "Fawlty Towers");
  assert.equal(titleWithoutYear("Babylon 5"), "Babylon 5");
  const stripped = moviesWithoutYears(byId);
  assert.equal(stripped.get(3)!.title, "Casablanca");
  assert.equal(stripped.get(3)!.year, 1942);
  assert.equal(byId.get(3)!.title, "Casablanca (1942)", "the source table is not changed");
});

test("ratingSubset samples first, then filters genres, and names what it kept", () => {
  const rows = Array.from({ length: 300 }, (_, i) => [i % 30, (i % 5) + 1, 1 + (i % 5)] as [number, number, number]);
  const source = { name: "tiny", ratings: ratingsOf(rows), movieById: byId, ratingScale: { min: 1, max: 5, step: 1 } };
  const sub = ratingSubset(source, { sample: 100, singleGenre: ["Comedy", "Drama"], seed: 3, name: "comedy-drama" });
  const sampled = sampleRatings(source.ratings, 100, 3);
  const expected = [...sampled.movieIds].filter((m) => m === 2 || m === 4);
  assert.deepEqual([...sub.ratings.movieIds], expected);
  assert.equal(sub.name, "comedy-drama");
  assert.equal(sub.movieById.get(2)!.title, "Clerks");
  assert.deepEqual(sub.ratingScale, source.ratingScale);
  assert.equal(ratingSubset(source, { stripYears: false }).movieById.get(2)!.title, "Clerks (1994)");
  assert.throws(() => ratingSubset(source, { singleGenre: ["Western"] }), /no ratings left in tiny/);
});

test("unseenInTraining counts validation ratings whose movie or user training never saw", () => {
  const enc = (rows: [number, number][]) => ({ users: Int32Array.from(rows, (r) => r[0]), movies: Int32Array.from(rows, (r) => r[1]), ratings: new Float32Array(rows.length), length: rows.length });
  const train = enc([[0, 0], [1, 1], [2, 0]]);
  const valid = enc([[0, 1], [3, 1], [1, 2], [3, 2], [4, 2]]);
  assert.deepEqual(unseenInTraining({ train, valid }), { ratings: 4, movies: 1, users: 2 });
  assert.throws(() => unseenInTraining({ train, valid: undefined }), /no validation part/);
});
