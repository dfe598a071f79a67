import { test } from "node:test";
import * as assert from "node:assert/strict";
import { createRatings, Ratings } from "../src/data";
import { crosstab, IdEncoder, mostFrequent, randomSplit, temporalSplitPerUser } from "../src/prep";

function ratingsOf(rows: [user: number, movie: number, rating: number, time: number][]): Ratings {
  return createRatings({
    userIds: Int32Array.from(rows, (r) => r[0]),
    movieIds: Int32Array.from(rows, (r) => r[1]),
    ratings: Float32Array.from(rows, (r) => r[2]),
    timestamps: Uint32Array.from(rows, (r) => r[3]),
  });
}

function manyRatings(n: number): Ratings {
  return ratingsOf(Array.from({ length: n }, (_, i) => [i % 37, (i * 7) % 101, 1 + (i % 5), 1000 + i] as [number, number, number, number]));
}

const key = (r: Ratings, i: number) => `${r.userIds[i]}:${r.movieIds[i]}:${r.timestamps[i]}`;
const keys = (r: Ratings) => Array.from({ length: r.length }, (_, i) => key(r, i));

test("IdEncoder maps sparse ids to 0..n-1 in ascending order and back", () => {
  const enc = IdEncoder.fit([50, 3, 50, 1000, 3]);
  assert.equal(enc.size, 3);
  assert.deepEqual([...enc.encode([3, 50, 1000, 50])], [0, 1, 2, 1]);
  assert.deepEqual(enc.decode([2, 0]), [1000, 3]);
  assert.throws(() => enc.index(7), /unknown id 7/);
  assert.throws(() => enc.id(3), /index 3 out of range 0..2/);
  assert.deepEqual(new IdEncoder(enc.toJSON()).encode([1000]), Int32Array.of(2));
});

test("randomSplit holds out 20%, is reproducible by seed and covers every rating once", () => {
  const all = manyRatings(1000);
  const a = randomSplit(all, { seed: 1 });
  assert.equal(a.test.length, 200);
  assert.equal(a.train.length, 800);
  assert.deepEqual(keys(randomSplit(all, { seed: 1 }).test), keys(a.test));
  assert.notDeepEqual(keys(randomSplit(all, { seed: 2 }).test), keys(a.test));
  assert.deepEqual([...keys(a.train), ...keys(a.test)].sort(), keys(all).sort());
  assert.throws(() => randomSplit(all, { testFraction: 1 }), /between 0 and 1/);
});

test("temporalSplitPerUser holds out each user's latest ratings", () => {
  const all = manyRatings(1000);
  const { train, test: held } = temporalSplitPerUser(all, { testFraction: 0.25 });
  assert.equal(train.length + held.length, all.length);
  const lastTrain = new Map<number, number>();
  for (let i = 0; i < train.length; i++) lastTrain.set(train.userIds[i], Math.max(lastTrain.get(train.userIds[i]) ?? 0, train.timestamps[i]));
  for (let i = 0; i < held.length; i++) assert.ok(held.timestamps[i] > lastTrain.get(held.userIds[i])!, "a held-out rating is older than training");
  const heldUsers = new Set(held.userIds);
  assert.equal(heldUsers.size, 37, "every user with two or more ratings keeps one for testing");
  const single = temporalSplitPerUser(ratingsOf([[1, 1, 4, 10]]));
  assert.equal(single.test.length, 0);
});

test("crosstab puts the most active users against the most rated movies", () => {
  const r = ratingsOf([
    [1, 10, 4, 0], [1, 20, 3, 0], [1, 30, 5, 0],
    [2, 10, 2, 0], [2, 20, 1, 0],
    [3, 10, 5, 0], [4, 40, 1, 0],
  ]);
  assert.deepEqual(mostFrequent(r.movieIds, 2), [10, 20]);
  const ct = crosstab(r, { users: 2, movies: 2 });
  assert.deepEqual(ct.userIds, [1, 2]);
  assert.deepEqual(ct.movieIds, [10, 20]);
  assert.deepEqual(ct.cells, [[4, 3], [2, 1]]);
  const wide = crosstab(r, { users: 3, movies: 3 });
  assert.deepEqual(wide.cells[2], [5, null, null]);
});
