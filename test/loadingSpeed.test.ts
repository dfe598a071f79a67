// The loading path's faster internals give the same results as the plain algorithms: the
// byte parser's one-pass line reads what its careful field-by-field path reads, the
// blocked shuffle is seedrandom's Fisher-Yates permutation, the column-wise gather selects the
// same rows, and so collabData's split is the one the lessons' numbers were computed on.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import seedrandom from "seedrandom";
import * as cf from "../src";
import { createRatings, selectRatings } from "../src/data/ratings";
import { seededRandom, shuffledIndices } from "../src/prep/random";
import { parseRatingsFile } from "../src/data/ratingsParser";
import { assertDataError, writeFiles } from "./helpers";

/** Fisher-Yates as written in every textbook: swap as you draw. */
function plainShuffle(n: number, random: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

test("the blocked shuffle is the plain Fisher-Yates permutation, across block edges, and leaves the generator where it would", () => {
  for (const n of [0, 1, 2, 3, 1000, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, (1 << 20) + 2, 2_500_001]) {
    const [a, b] = [seedrandom("5"), seededRandom(5)];
    const plain = plainShuffle(n, a);
    const ours = shuffledIndices(n, b);
    assert.ok(plain.length === ours.length && plain.every((x, i) => x === ours[i]), `n = ${n}`);
    assert.equal(b(), a(), `n = ${n}: the same number of draws`);
  }
});

test("selectRatings gathers every column at the indices, in their order, from typed or plain index arrays", () => {
  const ratings = createRatings({ userIds: Int32Array.of(1, 2, 3, 4), movieIds: Int32Array.of(10, 20, 30, 40), ratings: Float32Array.of(1, 2.5, 3, 4.5), timestamps: Uint32Array.of(7, 8, 9, 4294967295) });
  for (const indices of [Int32Array.of(3, 0, 3), [3, 0, 3]]) {
    const picked = selectRatings(ratings, indices);
    assert.deepEqual(Array.from(picked.userIds), [4, 1, 4]);
    assert.deepEqual(Array.from(picked.movieIds), [40, 10, 40]);
    assert.deepEqual(Array.from(picked.ratings), [4.5, 1, 4.5]);
    assert.deepEqual(Array.from(picked.timestamps), [4294967295, 7, 4294967295]);
    assert.equal(picked.length, 3);
  }
});

test("collabData's random split is the textbook shuffle's split", () => {
  const n = 5000;
  const random = seedrandom("11");
  const ratings = createRatings({
    userIds: Int32Array.from({ length: n }, () => 1 + Math.floor(random() * 300)),
    movieIds: Int32Array.from({ length: n }, (_, i) => 1 + i),
    ratings: Float32Array.from({ length: n }, () => 1 + Math.floor(random() * 5)),
    timestamps: Uint32Array.from({ length: n }, (_, i) => i),
  });
  const data = cf.collabData({ name: "split-check", ratings }, { validFraction: 0.2, seed: 42 });
  const order = plainShuffle(n, seedrandom("42"));
  const held = Math.round(n * 0.2);
  assert.deepEqual(Array.from(data.validRatings!.movieIds), Array.from(order.subarray(0, held), (i) => i + 1));
  assert.deepEqual(Array.from(data.trainRatings.movieIds), Array.from(order.subarray(held), (i) => i + 1));
});

test("the parser's one-pass lines read the same values as its field-by-field path", () => {
  const random = seedrandom("3");
  const lines = Array.from({ length: 3000 }, () => [1 + Math.floor(random() * 1e6), Math.floor(random() * 2147483647), (1 + Math.floor(random() * 10)) / 2, Math.floor(random() * 4294967295)]);
  const text = (quote: string, rating: (r: number, i: number) => string) =>
    "userId,movieId,rating,timestamp\n" + lines.map((l, i) => [l[0], l[1], rating(l[2], i), l[3]].map((x) => quote + x + quote).join(",")).join("\n") + "\n";
  const asWritten = (r: number, i: number) => (i % 7 === 0 ? r.toFixed(1) : i % 5 === 0 ? r.toFixed(3) : String(r));
  // Quoted fields always take the careful path; plain ones the one-pass path.
  const dir = writeFiles({ "plain.csv": text("", asWritten), "quoted.csv": text('"', asWritten) });
  const scale = { min: 0.5, max: 5, step: 0.5 };
  const plain = parseRatingsFile(`${dir}/plain.csv`, { kind: "csv" }, scale);
  const quoted = parseRatingsFile(`${dir}/quoted.csv`, { kind: "csv" }, scale);
  assert.equal(plain.length, lines.length);
  for (const column of ["userIds", "movieIds", "ratings", "timestamps"] as const) assert.deepEqual(plain[column], quoted[column], column);
  assert.deepEqual(Array.from(plain.ratings.subarray(0, 3)), lines.slice(0, 3).map((l) => l[2]));
  // A line the one-pass read refuses still gets the careful path's error.
  const bad = writeFiles({ "bad.csv": "userId,movieId,rating,timestamp\n1,2,3.5,4\n1,3,3.25,5\n" });
  assertDataError(() => parseRatingsFile(`${bad}/bad.csv`, { kind: "csv" }, scale), `${bad}/bad.csv`, 3, /not on the 0.5-star grid/);
});
