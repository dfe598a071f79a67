// Seeded MovieLens-shaped ratings for the benchmark: power-law user activity (a few users rate
// thousands of movies, most rate a few dozen), power-law movie popularity, half-star ratings from
// user and movie biases plus a low-rank taste term, each (user, movie) pair at most once, the
// file sorted by user as GroupLens's ratings.csv is. Anyone can regenerate the same file.
import * as fs from "node:fs";
import * as path from "node:path";
import { createRatings, Ratings } from "../../src/data/ratings";
import { seededRandom } from "../../src/prep/random";

export interface Shape {
  users: number;
  movies: number;
  ratings: number;
}

/** ml-1m's and ml-25m's sizes (users and movies that have ratings). */
export const SHAPES = {
  "1m": { users: 6040, movies: 3706, ratings: 1_000_209 },
  "10m": { users: 69_878, movies: 10_677, ratings: 10_000_054 },
  "25m": { users: 162_541, movies: 59_047, ratings: 25_000_095 },
} satisfies Record<string, Shape>;

export function syntheticRatings(shape: Shape, seed = 1): Ratings {
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const rank = 4;
  const taste = (n: number) => Float32Array.from({ length: n * rank }, () => 0.4 * normal());
  const userTaste = taste(shape.users);
  const movieTaste = taste(shape.movies);
  const userBias = Float32Array.from({ length: shape.users }, () => 0.35 * normal());
  const movieBias = Float32Array.from({ length: shape.movies }, () => 0.45 * normal());

  // Popularity: Zipf-like weights, sampled through the cumulative sum.
  const cumulative = new Float64Array(shape.movies);
  let total = 0;
  for (let m = 0; m < shape.movies; m++) cumulative[m] = total += 1 / Math.pow(m + 10, 0.95);
  const popularMovie = () => {
    const x = random() * total;
    let lo = 0;
    let hi = shape.movies - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // Activity: Pareto-distributed counts scaled to the total, at least 20 (as MovieLens requires).
  const raw = Float64Array.from({ length: shape.users }, () => Math.pow(1 - random(), -1 / 1.3));
  const cap = Math.floor(shape.movies / 3);
  let scale = (shape.ratings - 20 * shape.users) / raw.reduce((a, b) => a + b, 0);
  let counts = new Int32Array(0);
  for (let pass = 0; pass < 8; pass++) {
    // The cap cuts the heaviest users: raise the scale until the total is reached.
    counts = Int32Array.from(raw, (r) => Math.min(cap, 20 + Math.round(r * scale)));
    scale *= (shape.ratings - 20 * shape.users) / (counts.reduce((a, b) => a + b, 0) - 20 * shape.users);
  }

  const n = counts.reduce((a, b) => a + b, 0);
  const userIds = new Int32Array(n);
  const movieIds = new Int32Array(n);
  const ratings = new Float32Array(n);
  const timestamps = new Uint32Array(n);
  const seenBy = new Int32Array(shape.movies).fill(-1);
  let row = 0;
  for (let u = 0; u < shape.users; u++) {
    const start = row;
    for (let k = 0; k < counts[u]; k++) {
      let m = popularMovie();
      while (seenBy[m] === u) m = popularMovie();
      seenBy[m] = u;
      let score = 3.5 + userBias[u] + movieBias[m] + 0.25 * normal();
      for (let c = 0; c < rank; c++) score += userTaste[u * rank + c] * movieTaste[m * rank + c];
      userIds[row] = u + 1;
      movieIds[row] = m + 1;
      ratings[row] = Math.min(5, Math.max(0.5, Math.round(score * 2) / 2));
      timestamps[row] = 1_000_000_000 + Math.floor(random() * 500_000_000);
      row++;
    }
    // GroupLens sorts each user's ratings by movie id.
    const order = Array.from({ length: row - start }, (_, i) => start + i).sort((a, b) => movieIds[a] - movieIds[b]);
    const sortedMovies = order.map((i) => movieIds[i]);
    const sortedRatings = order.map((i) => ratings[i]);
    movieIds.set(sortedMovies, start);
    ratings.set(sortedRatings, start);
  }
  return createRatings({ userIds, movieIds, ratings, timestamps });
}

/** Writes ratings as a GroupLens ratings.csv, through a temporary file so a partial one never stays. */
export function writeRatingsCsv(ratings: Ratings, file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, "w");
  try {
    let lines: string[] = ["userId,movieId,rating,timestamp"];
    const flush = () => {
      fs.writeSync(fd, lines.join("\n") + "\n");
      lines = [];
    };
    for (let i = 0; i < ratings.length; i++) {
      lines.push(`${ratings.userIds[i]},${ratings.movieIds[i]},${ratings.ratings[i].toFixed(1)},${ratings.timestamps[i]}`);
      if (lines.length === 100_000) flush();
    }
    flush();
    fs.closeSync(fd);
    fs.renameSync(temp, file);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
}
