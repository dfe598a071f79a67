import { test } from "node:test";
import * as assert from "node:assert/strict";
import { neuralNetModel, collabData, train, rawOutput } from "../src";
import { lowRankRatings } from "./synthetic";

const data = lowRankRatings({ count: 1200, seed: 3 });
const split = collabData({ ratings: data }, { validFraction: 0.2, seed: 1 });
const users = Array.from(data.userIds.subarray(0, 50));
const movies = Array.from(data.movieIds.subarray(0, 50));

test("raw output times scale plus shift is what predict() answers in stars", async () => {
  const target = { shift: 3.2, scale: 0.9 };
  const net = neuralNetModel(split, { factors: 4, hidden: [6], inputDropout: 0.1, dropout: 0.5, target, seed: 2 });
  await train(net, split, { epochs: 2, learningRate: 0.01, batchSize: 128, log: false, progress: false });
  const raw = rawOutput(net, users, movies);
  const stars = net.predict(users, movies);
  assert.equal(raw.length, 50);
  raw.forEach((z, i) => assert.ok(Math.abs(z * target.scale + target.shift - stars[i]) < 1e-5, `pair ${i}: ${z} -> ${stars[i]}`));
  // Standardised outputs sit around 0, far from the stars they stand for.
  assert.ok(Math.max(...raw.map(Math.abs)) < 2.5);
  assert.ok(Math.min(...stars) > 1);
});

test("mismatched lengths and unknown ids are errors", () => {
  const net = neuralNetModel(split, { factors: 4, hidden: [6], seed: 2 });
  assert.throws(() => rawOutput(net, [users[0]], []), /1 users but 0 movies/);
  assert.throws(() => rawOutput(net, [99999], [movies[0]]), /unknown user id 99999/);
});
