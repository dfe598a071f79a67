import { test } from "node:test";
import * as assert from "node:assert/strict";
import {
  selectBackend, dotProductModel, dotBiasModel, neuralNetModel, linearModel, hybridModel, mixedBiasNetModel, projectedDotModel,
  oneHotNetModel, oneHotEmbeddings, dotBiasFromPretrained, fitEncoders, encodeRatings, train, evaluate, globalMeanRmse, randomSplit, Recommender, Encoders,
} from "../src";
import { lowRankRatings } from "./synthetic";

const data = lowRankRatings();
const split = randomSplit(data, { seed: 3 });
const encoders = fitEncoders(data);
const trainSet = encodeRatings(split.train, encoders);
const testSet = encodeRatings(split.test, encoders);
const baseline = globalMeanRmse(split.train.ratings, split.test.ratings);
const U = encoders.users.size, M = encoders.movies.size, k = 8;

const builders: [string, (e: Encoders) => Recommender, number][] = [
  ["dot product", (e) => dotProductModel(e, { factors: k, seed: 1 }), (U + M) * k],
  ["dot + bias", (e) => dotBiasModel(e, { factors: k, seed: 1 }), (U + M) * (k + 1)],
  ["dot + bias + sigmoid range", (e) => dotBiasModel(e, { factors: k, seed: 1, ratingRange: [0.5, 5.5], l2: 1e-5 }), (U + M) * (k + 1)],
  ["NN on concatenated embeddings", (e) => neuralNetModel(e, { factors: k, hidden: [16], dropout: 0.1, seed: 1 }), (U + M) * k + (2 * k * 16 + 16) + (16 + 1)],
  ["NN with batch norm", (e) => neuralNetModel(e, { factors: k, hidden: [16], dropout: 0.1, batchNorm: true, seed: 1 }), (U + M) * k + (2 * k * 16 + 16) + 4 * 16 + (16 + 1)],
  ["linear", (e) => linearModel(e, { factors: k, seed: 1 }), (U + M) * k + 2 * k + 1],
  ["hybrid two-loss", (e) => hybridModel(e, { factors: k, seed: 1 }), (U + M) * (k + 1) + 2 * k + 1],
  ["mixed: NN over bias embeddings + dot", (e) => mixedBiasNetModel(e, { factors: k, biasFactors: 4, hidden: [8], seed: 1 }), (U + M) * (k + 4) + (8 * 8 + 8) + (8 + 1)],
  ["mixed: projected embeddings dotted", (e) => projectedDotModel(e, { factors: k, projection: 6, seed: 1 }), (U + M) * (k + 1) + 2 * (k * 6 + 6)],
  ["one-hot dense net", (e) => oneHotNetModel(e, { factors: k, hidden: [16], dropout: 0, seed: 1 }), (U + M) * k + (k * 16 + 16) + (16 + 1)],
];

test("setup", async () => {
  await selectBackend({ quiet: true });
  assert.ok(baseline > 0.5, `synthetic data should vary: baseline ${baseline}`);
});

for (const [name, build, params] of builders) {
  test(`${name}: parameter count matches its architecture`, () => {
    assert.equal(build(encoders).model.countParams(), params);
  });

  test(`${name}: beats the global-mean baseline on held-out ratings`, async () => {
    const rec = build(encoders);
    const history = await train(rec, trainSet, { epochs: 25, learningRate: 0.02, batchSize: 128, validation: testSet, progress: false, log: false });
    const final = history.valRmse[history.valRmse.length - 1];
    assert.ok(final < 0.8 * baseline, `${name}: RMSE ${final.toFixed(3)} vs baseline ${baseline.toFixed(3)}`);
    assert.ok(Math.abs(evaluate(rec, testSet).rmse - final) < 1e-5);
  });
}

test("the sigmoid range keeps every prediction inside it", async () => {
  const rec = dotBiasModel(encoders, { factors: k, ratingRange: [1, 5], seed: 2 });
  await train(rec, trainSet, { epochs: 3, learningRate: 0.05, batchSize: 128, progress: false, log: false });
  const all = rec.predictIndices(Int32Array.from({ length: U * M }, (_, i) => i % U), Int32Array.from({ length: U * M }, (_, i) => Math.floor(i / U)));
  assert.ok(all.every((r) => r >= 1 && r <= 5));
});

test("pretraining: dot+bias starts from the NN's trained embeddings", async () => {
  const nn = neuralNetModel(encoders, { factors: k, hidden: [16], dropout: 0.1, seed: 4 });
  await train(nn, trainSet, { epochs: 10, learningRate: 0.02, batchSize: 128, progress: false, log: false });
  const mf = dotBiasFromPretrained(nn, { seed: 5 });
  for (const layer of ["user_embedding", "movie_embedding"]) {
    assert.deepEqual(mf.model.getLayer(layer).getWeights()[0].arraySync(), nn.model.getLayer(layer).getWeights()[0].arraySync());
  }
  const history = await train(mf, trainSet, { epochs: 15, learningRate: 0.02, batchSize: 128, validation: testSet, progress: false, log: false });
  assert.ok(history.valRmse.at(-1)! < 0.8 * baseline);
});

test("staged learning rates run in order and a second call continues the same optimizer", async () => {
  const rec = dotBiasModel(encoders, { factors: k, seed: 6 });
  const history = await train(rec, trainSet, { stages: [{ epochs: 1, learningRate: 1e-3 }, { epochs: 2, learningRate: 1e-2 }, { epochs: 1, learningRate: 1e-4 }], batchSize: 256, progress: false, log: false });
  assert.deepEqual(history.learningRate, [1e-3, 1e-2, 1e-2, 1e-4]);
  assert.deepEqual(history.epoch, [1, 2, 3, 4]);
  assert.ok(history.valLoss.every(Number.isNaN), "no validation set, no validation loss");
  const optimizer = rec.optimizer;
  await train(rec, trainSet, { epochs: 1, learningRate: 1e-3, progress: false, log: false });
  assert.equal(rec.optimizer, optimizer);
});

test("early stopping stops an overfitting model and restores its best weights", async () => {
  const tiny = encodeRatings(randomSplit(split.train, { seed: 9, testFraction: 0.9 }).test, encoders);
  const rec = dotProductModel(encoders, { factors: 32, seed: 7 });
  const history = await train(rec, { ...tiny, users: tiny.users.subarray(0, 200), movies: tiny.movies.subarray(0, 200), ratings: tiny.ratings.subarray(0, 200), length: 200 }, {
    epochs: 60, learningRate: 0.05, batchSize: 32, validation: testSet, earlyStopping: { patience: 2, restoreBest: true }, progress: false, log: false,
  });
  assert.ok(history.epoch.length < 60, `ran all ${history.epoch.length} epochs`);
  assert.ok(Math.abs(evaluate(rec, testSet).loss - Math.min(...history.valLoss)) < 1e-4);
});

test("one-hot net: embeddings come out of the first layer's kernel", () => {
  const rec = oneHotNetModel(encoders, { factors: k, seed: 8 });
  const { users, movies } = oneHotEmbeddings(rec);
  assert.equal(users.length, U);
  assert.equal(movies.length, M);
  const kernel = rec.model.getLayer("one_hot_embedding").getWeights()[0].arraySync() as number[][];
  assert.deepEqual(movies[3], kernel[U + 3]);
});

test("predict takes MovieLens ids and rejects unknown ones", () => {
  const rec = dotBiasModel(encoders, { factors: k, seed: 1 });
  const p = rec.predict([data.userIds[0], data.userIds[1]], [data.movieIds[0], data.movieIds[1]]);
  const q = rec.predictIndices(encoders.users.encode([data.userIds[0], data.userIds[1]]), encoders.movies.encode([data.movieIds[0], data.movieIds[1]]));
  assert.deepEqual(p, q);
  assert.throws(() => rec.predict([999999], [data.movieIds[0]]), /unknown id 999999/);
});
