import { test } from "node:test";
import * as assert from "node:assert/strict";
import {
  selectBackend, dotProductModel, dotBiasModel, neuralNetModel, linearModel, hybridModel, mixedBiasNetModel, projectedDotModel,
  oneHotNetModel, dotBiasFromPretrained, train, evaluate, globalMeanRmse, collabData, CollabData, Recommender,
} from "../src";
import { lowRankRatings } from "./synthetic";

const ratings = lowRankRatings();
const data = collabData({ name: "synthetic", ratings }, { validFraction: 0.2, seed: 3 });
const { encoders } = data;
const trainSet = data.train;
const testSet = data.valid!;
const baseline = globalMeanRmse(data);
const U = encoders.users.size, M = encoders.movies.size, k = 8;

const builders: [string, (d: CollabData) => Recommender, number][] = [
  ["dot product", (d) => dotProductModel(d, { factors: k, seed: 1 }), (U + M) * k],
  ["dot + bias", (d) => dotBiasModel(d, { factors: k, seed: 1 }), (U + M) * (k + 1)],
  ["dot + bias + sigmoid range", (d) => dotBiasModel(d, { factors: k, seed: 1, ratingRange: [0.5, 5.5], l2: 1e-5 }), (U + M) * (k + 1)],
  ["NN on concatenated embeddings", (d) => neuralNetModel(d, { factors: k, hidden: [16], dropout: 0.1, seed: 1 }), (U + M) * k + (2 * k * 16 + 16) + (16 + 1)],
  ["NN with batch norm", (d) => neuralNetModel(d, { factors: k, hidden: [16], dropout: 0.1, batchNorm: true, seed: 1 }), (U + M) * k + (2 * k * 16 + 16) + 4 * 16 + (16 + 1)],
  ["linear", (d) => linearModel(d, { factors: k, seed: 1 }), (U + M) * k + 2 * k + 1],
  ["hybrid two-loss", (d) => hybridModel(d, { factors: k, seed: 1 }), (U + M) * (k + 1) + 2 * k + 1],
  ["mixed: NN over bias embeddings + dot", (d) => mixedBiasNetModel(d, { factors: k, biasFactors: 4, hidden: [8], seed: 1 }), (U + M) * (k + 4) + (8 * 8 + 8) + (8 + 1)],
  ["mixed: projected embeddings dotted", (d) => projectedDotModel(d, { factors: k, projection: 6, seed: 1 }), (U + M) * (k + 1) + 2 * (k * 6 + 6)],
  ["one-hot dense net", (d) => oneHotNetModel(d, { factors: k, hidden: [16], dropout: 0, seed: 1 }), (U + M) * k + (k * 16 + 16) + (16 + 1)],
];

test("setup", async () => {
  await selectBackend({ quiet: true });
  assert.ok(baseline > 0.5, `synthetic data should vary: baseline ${baseline}`);
});

for (const [name, build, params] of builders) {
  test(`${name}: parameter count matches its architecture`, () => {
    assert.equal(build(data).model.countParams(), params);
  });

  test(`${name}: beats the global-mean baseline on held-out ratings`, async () => {
    const rec = build(data);
    const history = await train(rec, trainSet, { epochs: 25, learningRate: 0.02, batchSize: 128, validation: testSet, progress: false, log: false });
    const final = history.valRmse[history.valRmse.length - 1];
    assert.ok(final < 0.8 * baseline, `${name}: RMSE ${final.toFixed(3)} vs baseline ${baseline.toFixed(3)}`);
    assert.ok(Math.abs(evaluate(rec, testSet).rmse - final) < 1e-5);
  });
}

test("the sigmoid range keeps every prediction inside it", async () => {
  const rec = dotBiasModel(data, { factors: k, ratingRange: [1, 5], seed: 2 });
  await train(rec, trainSet, { epochs: 3, learningRate: 0.05, batchSize: 128, progress: false, log: false });
  const all = rec.predictIndices(Int32Array.from({ length: U * M }, (_, i) => i % U), Int32Array.from({ length: U * M }, (_, i) => Math.floor(i / U)));
  assert.ok(all.every((r) => r >= 1 && r <= 5));
});

test("pretraining: dot+bias starts from the NN's trained embeddings", async () => {
  const nn = neuralNetModel(data, { factors: k, hidden: [16], dropout: 0.1, seed: 4 });
  await train(nn, trainSet, { epochs: 10, learningRate: 0.02, batchSize: 128, progress: false, log: false });
  const mf = dotBiasFromPretrained(nn, { seed: 5 });
  for (const layer of ["user_embedding", "movie_embedding"]) {
    assert.deepEqual(mf.model.getLayer(layer).getWeights()[0].arraySync(), nn.model.getLayer(layer).getWeights()[0].arraySync());
  }
  const history = await train(mf, trainSet, { epochs: 15, learningRate: 0.02, batchSize: 128, validation: testSet, progress: false, log: false });
  assert.ok(history.valRmse.at(-1)! < 0.8 * baseline);
});

test("staged learning rates run in order and a second call continues the same optimizer", async () => {
  const rec = dotBiasModel(data, { factors: k, seed: 6 });
  const history = await train(rec, trainSet, { stages: [{ epochs: 1, learningRate: 1e-3 }, { epochs: 2, learningRate: 1e-2 }, { epochs: 1, learningRate: 1e-4 }], batchSize: 256, progress: false, log: false });
  assert.deepEqual(history.learningRate, [1e-3, 1e-2, 1e-2, 1e-4]);
  assert.deepEqual(history.epoch, [1, 2, 3, 4]);
  assert.ok(history.valLoss.every(Number.isNaN), "no validation set, no validation loss");
  const optimizer = rec.optimizer;
  await train(rec, trainSet, { epochs: 1, learningRate: 1e-3, progress: false, log: false });
  assert.equal(rec.optimizer, optimizer);
});

test("early stopping stops an overfitting model and restores its best weights", async () => {
  const rec = dotProductModel(data, { factors: 32, seed: 7 });
  const history = await train(rec, { users: trainSet.users.subarray(0, 200), movies: trainSet.movies.subarray(0, 200), ratings: trainSet.ratings.subarray(0, 200), length: 200 }, {
    epochs: 60, learningRate: 0.05, batchSize: 32, validation: testSet, earlyStopping: { patience: 2, restoreBest: true }, progress: false, log: false,
  });
  assert.ok(history.epoch.length < 60, `ran all ${history.epoch.length} epochs`);
  assert.ok(Math.abs(evaluate(rec, testSet).loss - Math.min(...history.valLoss)) < 1e-4);
});

test("one-hot net: embeddings come out of the first layer's kernel", () => {
  const rec = oneHotNetModel(data, { factors: k, seed: 8 });
  const users = rec.embeddings("user"), movies = rec.embeddings("movie");
  assert.equal(users.length, U);
  assert.equal(movies.length, M);
  const kernel = rec.model.getLayer("one_hot_embedding").getWeights()[0].arraySync() as number[][];
  assert.deepEqual(movies[3], kernel[U + 3]);
});

test("predict takes MovieLens ids and rejects unknown ones", () => {
  const rec = dotBiasModel(data, { factors: k, seed: 1 });
  const p = rec.predict([ratings.userIds[0], ratings.userIds[1]], [ratings.movieIds[0], ratings.movieIds[1]]);
  const q = rec.predictIndices(encoders.users.encode([ratings.userIds[0], ratings.userIds[1]]), encoders.movies.encode([ratings.movieIds[0], ratings.movieIds[1]]));
  assert.deepEqual(p, q);
  assert.throws(() => rec.predict([999999], [ratings.movieIds[0]]), /unknown user id 999999: not among the \d+ users in synthetic/);
  assert.throws(() => rec.predict([ratings.userIds[0]], [5]), /unknown movie id 5/);
});
