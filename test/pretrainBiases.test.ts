import { test } from "node:test";
import * as assert from "node:assert/strict";
import { collabData, dotBiasFromPretrained, hybridModel, linearModel, train } from "../src";
import { lowRankRatings } from "./synthetic";

const data = collabData({ name: "synthetic", ratings: lowRankRatings() }, { validFraction: 0.2, seed: 3 });

test("dotBiasFromPretrained keeps a hybrid's trained biases along with its embeddings", async () => {
  const hybrid = hybridModel(data, { factors: 8, lossWeights: [0.2, 1], seed: 1 });
  await train(hybrid, data, { epochs: 2, learningRate: 0.02, batchSize: 128, log: false });
  const next = dotBiasFromPretrained(hybrid, { seed: 2 });
  for (const side of ["user", "movie"] as const) {
    assert.deepEqual(next.biases(side), hybrid.biases(side));
    assert.deepEqual(next.embeddings(side), hybrid.embeddings(side));
  }
  // Same tables and the same target: the dot+bias head's predictions carry over unchanged.
  const users = [...data.validRatings!.userIds.subarray(0, 50)];
  const movies = [...data.validRatings!.movieIds.subarray(0, 50)];
  const expected = hybrid.predict(users, movies);
  next.predict(users, movies).forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-4, `prediction ${i}: ${v} vs ${expected[i]}`));
});

test("dotBiasFromPretrained starts fresh biases when the pretrained model has none", async () => {
  const linear = linearModel(data, { factors: 8, seed: 1 });
  await train(linear, data, { epochs: 1, learningRate: 0.02, batchSize: 128, log: false });
  const next = dotBiasFromPretrained(linear, { seed: 2 });
  assert.deepEqual(next.embeddings("movie"), linear.embeddings("movie"));
  assert.ok(next.biases("movie").every((b) => Math.abs(b) <= 0.05), "fresh biases are small initial values");
});
