import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  selectBackend, dotBiasModel, hybridModel, neuralNetModel, oneHotNetModel, fitEncoders, encodeRatings, train, saveRecommender, loadRecommender, Recommender,
} from "../src";
import { lowRankRatings } from "./synthetic";
import { tempDir } from "./helpers";

const data = lowRankRatings({ count: 1500, seed: 5 });
const encoders = fitEncoders(data);
const all = encodeRatings(data, encoders);

const cases: [string, () => Recommender][] = [
  ["dot+bias with sigmoid range (a custom layer)", () => dotBiasModel(encoders, { factors: 6, ratingRange: [1, 5], seed: 1, target: { shift: 3, scale: 1.2 } })],
  ["hybrid (two outputs)", () => hybridModel(encoders, { factors: 6, seed: 1 })],
  ["NN with batch norm and dropout", () => neuralNetModel(encoders, { factors: 6, hidden: [8], batchNorm: true, seed: 1 })],
  ["one-hot dense net", () => oneHotNetModel(encoders, { factors: 6, hidden: [8], seed: 1 })],
];

test("setup", async () => {
  await selectBackend({ quiet: true });
});

for (const [name, build] of cases) {
  test(`${name}: save -> load gives identical predictions, encoders and spec`, async () => {
    const rec = build();
    await train(rec, all, { epochs: 2, learningRate: 0.01, batchSize: 256, progress: false, log: false });
    const dir = path.join(tempDir(), "model");
    await saveRecommender(rec, dir);
    assert.deepEqual(fs.readdirSync(dir).sort(), ["model.json", "recommender.json", "weights.bin"]);
    const loaded = await loadRecommender(dir);
    assert.deepEqual(loaded.spec, rec.spec);
    assert.deepEqual(loaded.encoders.movies.toJSON(), rec.encoders.movies.toJSON());
    const users = Array.from(data.userIds.subarray(0, 300));
    const movies = Array.from(data.movieIds.subarray(0, 300));
    assert.deepEqual(loaded.predict(users, movies), rec.predict(users, movies));
  });
}

test("saving over an earlier save replaces it whole and leaves no temporary folders", async () => {
  const parent = tempDir();
  const dir = path.join(parent, "model");
  const first = dotBiasModel(encoders, { factors: 4, seed: 1 });
  const second = dotBiasModel(encoders, { factors: 4, seed: 2 });
  await saveRecommender(first, dir);
  await saveRecommender(second, dir);
  assert.deepEqual(fs.readdirSync(parent), ["model"]);
  const loaded = await loadRecommender(dir);
  assert.deepEqual(loaded.predict([data.userIds[0]], [data.movieIds[0]]), second.predict([data.userIds[0]], [data.movieIds[0]]));
});

test("loading a folder that isn't a saved model says what is missing", async () => {
  const dir = tempDir();
  await assert.rejects(loadRecommender(dir), new RegExp(`${path.join(dir, "recommender.json")}: missing`));
});
