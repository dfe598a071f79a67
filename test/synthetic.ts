// Small low-rank rating data made here, so model tests run in seconds and know the truth.
import { createRatings, Ratings } from "../src/data";
import { seededRandom } from "../src/prep";

export function lowRankRatings(options: { users?: number; movies?: number; count?: number; rank?: number; seed?: number } = {}): Ratings {
  const { users = 60, movies = 80, count = 3000, rank = 3, seed = 1 } = options;
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const u = Array.from({ length: users }, () => Array.from({ length: rank }, normal));
  const m = Array.from({ length: movies }, () => Array.from({ length: rank }, normal));
  const ub = Array.from({ length: users }, () => 0.5 * normal());
  const mb = Array.from({ length: movies }, () => 0.5 * normal());
  const seen = new Set<number>();
  const rows: [number, number, number][] = [];
  while (rows.length < count) {
    const i = Math.floor(random() * users);
    const j = Math.floor(random() * movies);
    if (seen.has(i * movies + j)) continue;
    seen.add(i * movies + j);
    const score = 3 + ub[i] + mb[j] + 0.5 * u[i].reduce((a, x, k) => a + x * m[j][k], 0) + 0.1 * normal();
    rows.push([i + 1, 100 + j, Math.min(5, Math.max(1, score))]);
  }
  return createRatings({
    userIds: Int32Array.from(rows, (r) => r[0]),
    movieIds: Int32Array.from(rows, (r) => r[1]),
    ratings: Float32Array.from(rows, (r) => r[2]),
    timestamps: Uint32Array.from(rows, (_, i) => 1000 + i),
  });
}
