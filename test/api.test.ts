// The public API as a user meets it: the five-statement path, the data object, models that own
// their facts, readable results and the training contract.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as cf from "../src";
import { MIRROR, sharedDataDir } from "./helpers";
import { lowRankRatings } from "./synthetic";

const ratings = lowRankRatings({ seed: 5 });
const titles = new Map(Array.from(new Set(ratings.movieIds), (id) => [id, { movieId: id, title: `Movie ${id}`, year: null, genres: [] }]));
const data = cf.collabData({ name: "synthetic", ratings, movieById: titles, ratingScale: { min: 1, max: 5, step: 0.5 } }, { validFraction: 0.2, seed: 1 });
const quiet = { progress: false, log: false } as const;

test("dot+bias to RMSE on ml-100k u1 in five statements, beating the global mean", async () => {
  const ml = await cf.loadMovieLens("ml-100k", { baseUrl: MIRROR, dataDir: sharedDataDir(), progress: false });
  const data = cf.collabData(ml, { split: "u1" });
  const model = cf.dotBiasModel(data, { factors: 50, l2: 1e-4 });
  await cf.train(model, data, { epochs: 3, learningRate: 5e-3, ...quiet });
  const rmse = cf.evaluate(model, data).rmse;

  assert.equal(data.train.length, 80_000);
  assert.equal(data.valid!.length, 20_000);
  assert.deepEqual(data.ratingScale, { min: 1, max: 5, step: 1 });
  assert.ok(rmse < cf.globalMeanRmse(data) - 0.1, `RMSE ${rmse} vs global mean ${cf.globalMeanRmse(data)}`);
});

test("the data object splits, encodes and describes the ratings", () => {
  assert.equal(data.train.length + data.valid!.length, ratings.length);
  assert.equal(data.valid!.length, Math.round(ratings.length * 0.2));
  assert.equal(data.nUsers, new Set(ratings.userIds).size);
  assert.equal(data.nMovies, new Set(ratings.movieIds).size);
  const mean = data.trainRatings.ratings.reduce((a, b) => a + b, 0) / data.train.length;
  assert.ok(Math.abs(data.globalMean - mean) < 1e-9);
  assert.equal(data.title(data.validRatings!.movieIds[0]), `Movie ${data.validRatings!.movieIds[0]}`);
  assert.equal(data.title(-7), "movie -7");
  // encoded indices decode back to the raw ids of the same rows
  assert.equal(data.encoders.users.id(data.train.users[10]), data.trainRatings.userIds[10]);
  const temporal = cf.collabData({ ratings }, { split: "temporal", validFraction: 0.25 });
  assert.ok(temporal.validRatings!.length > 0);
  const none = cf.collabData({ ratings }, { split: "none" });
  assert.equal(none.valid, undefined);
  assert.throws(() => cf.collabData({ name: "synthetic", ratings }, { split: "u1" }), /ml-100k's fixed splits; 'synthetic' has none/);
});

test("defaults come from the data: centred on the global mean, or a sigmoid range from its scale", () => {
  const centred = cf.dotBiasModel(data, { factors: 4, seed: 1 });
  assert.deepEqual(centred.spec.target, { shift: data.globalMean, scale: 1 });
  const squashed = cf.dotBiasModel(data, { factors: 4, seed: 1, ratingRange: true });
  assert.deepEqual(squashed.spec.target, { shift: 0, scale: 1 });
  const all = squashed.predictIndices(data.train.users, data.train.movies);
  assert.ok(all.every((r) => r > 0.5 && r < 5.5));
  assert.equal(squashed.biasUnit, "pre-sigmoid score");
  assert.equal(centred.biasUnit, "stars");
  // an untrained centred model predicts about the mean, not zero
  const untrained = centred.predictIndices(data.valid!.users, data.valid!.movies);
  assert.ok(Math.abs(untrained[0] - data.globalMean) < 0.1);
});

const kinds: [string, () => cf.Recommender][] = [
  ["dotProduct", () => cf.dotProductModel(data, { factors: 6, seed: 1 })],
  ["dotBias", () => cf.dotBiasModel(data, { factors: 6, seed: 1 })],
  ["dotBias with sigmoid", () => cf.dotBiasModel(data, { factors: 6, seed: 1, ratingRange: true })],
  ["neuralNet", () => cf.neuralNetModel(data, { factors: 6, hidden: [8, 4], dropout: [0.1, 0.2], seed: 1 })],
  ["linear", () => cf.linearModel(data, { factors: 6, seed: 1 })],
  ["hybrid", () => cf.hybridModel(data, { factors: 6, lossWeights: [0.2, 1], seed: 1 })],
  ["mixedBiasNet", () => cf.mixedBiasNetModel(data, { factors: 6, seed: 1 })],
  ["projectedDot", () => cf.projectedDotModel(data, { factors: 6, seed: 1 })],
  ["oneHotNet", () => cf.oneHotNetModel(data, { factors: 6, hidden: [8], seed: 1 })],
];

for (const [kind, build] of kinds) {
  test(`${kind}: every analysis helper answers (biases only where the model has them)`, async () => {
    const model = build();
    await cf.train(model, data, { epochs: 1, learningRate: 0.01, batchSize: 256, ...quiet });
    assert.equal(model.embeddings("user").length, data.nUsers);
    assert.equal(model.embeddings("movie").length, data.nMovies);
    const pca = cf.moviePca(model, data, { mostRated: 40, components: 3, n: 3 });
    assert.equal(pca.projections.length, 40);
    assert.equal(pca.extremes[2].high.length, 3);
    const movie = data.encoders.movies.ids[0];
    assert.equal(cf.nearestMovies(model, movie, 4).length, 4);
    const user = data.encoders.users.ids[0];
    const recs = cf.recommendForUser(model, data, user, 5);
    assert.equal(recs.length, 5);
    assert.match(recs[0].title, /^Movie \d+$/);
    if (model.hasBiases) {
      const ranking = cf.rankBiases(model, data, { n: 5, mostRated: 30 });
      assert.equal(ranking.top.length, 5);
      assert.ok(ranking.top[0].bias >= ranking.bottom[0].bias);
      assert.equal(model.biases("user").length, data.nUsers);
    } else {
      assert.throws(() => cf.rankBiases(model, data), new RegExp(`model '${model.kind}' has no movie biases`));
    }
    const predictions = cf.test(model, data);
    assert.equal(predictions.length, data.valid!.length);
    assert.ok(Math.abs(cf.rmse(predictions) - cf.evaluate(model, data).rmse) < 1e-5);
  });
}

test("the hybrid reports each head's loss, and which of its outputs is the rating", async () => {
  const model = cf.hybridModel(data, { factors: 6, lossWeights: [0.2, 1], seed: 2 });
  const history = await cf.train(model, data, { epochs: 2, learningRate: 0.01, batchSize: 256, ...quiet });
  assert.deepEqual(Object.keys(history.valHeadLoss), ["linear head", "dot+bias head"]);
  assert.equal(history.valHeadLoss["linear head"].length, 2);
  const heads = cf.evaluate(model, data).heads;
  // the total validation loss is the heads' losses weighted 0.2 and 1
  assert.ok(Math.abs(history.valLoss[1] - (0.2 * heads["linear head"] + heads["dot+bias head"])) < 1e-4);
});

test("a history answers its final and best epochs, and runs compare side by side", async () => {
  const model = cf.dotBiasModel(data, { factors: 6, seed: 3 });
  const history = await cf.train(model, data, { epochs: 4, learningRate: 0.02, batchSize: 128, ...quiet });
  assert.equal(history.final.epoch, 4);
  assert.equal(history.final.valRmse, history.valRmse[3]);
  assert.equal(history.best.valRmse, Math.min(...history.valRmse));
  assert.ok(history.trainRmse.every(Number.isFinite));
  const baseline = cf.globalMeanRmse(data);
  const rows = cf.compareRuns({ "dot + bias": history }, { baseline });
  assert.equal(rows[0].name, "dot + bias");
  assert.ok(Math.abs(rows[0].vsBaseline - (history.final.valRmse - baseline)) < 1e-12);
  const both = cf.concatHistories(history, history);
  assert.deepEqual(both.epoch, [1, 2, 3, 4, 5, 6, 7, 8]);
});

test("per-user RMSE from predictions", () => {
  const predictions = [
    { userId: 7, movieId: 1, actual: 2, estimate: 1 },
    { userId: 7, movieId: 2, actual: 2, estimate: 3 },
    { userId: 8, movieId: 1, actual: 4, estimate: 4 },
  ];
  assert.deepEqual(cf.perUserRmse(predictions).get(7), { rmse: 1, count: 2 });
  assert.equal(cf.mae(predictions), 2 / 3);
});

test("training options that conflict or make no sense are errors naming the option", async () => {
  const model = cf.dotBiasModel(data, { factors: 4, seed: 1 });
  const bad: [cf.TrainOptions, RegExp][] = [
    [{ epochs: 0 }, /epochs must be a positive integer, got 0/],
    [{ epochs: 1.5 }, /epochs must be a positive integer, got 1.5/],
    [{ batchSize: -3 }, /batchSize must be a positive integer, got -3/],
    [{ batchSize: NaN }, /batchSize must be a positive integer/],
    [{ stages: [] }, /stages is empty/],
    [{ stages: [{ epochs: 1, learningRate: NaN }] }, /stages\[0\]\.learningRate must be a positive number, got NaN/],
    [{ learningRate: -1 }, /learningRate must be a positive number, got -1/],
    [{ stages: [{ epochs: 1, learningRate: 1e-3 }], epochs: 2 }, /either stages or epochs/],
    [{ validation: false, earlyStopping: { patience: 2 } }, /earlyStopping needs validation ratings/],
  ];
  for (const [options, message] of bad) await assert.rejects(cf.train(model, data, { ...options, ...quiet }), message);
  await cf.train(model, data, { epochs: 1, optimizer: "adam", ...quiet });
  await assert.rejects(cf.train(model, data, { epochs: 1, optimizer: "sgd", ...quiet }), /trained with adam; continuing with sgd/);
});

test("NaN in the data is named as such, not blamed on the learning rate", async () => {
  const broken = { ...data.train, ratings: Float32Array.from(data.train.ratings, (r, i) => (i === 5 ? NaN : r)) };
  const model = cf.dotBiasModel(data, { factors: 4, seed: 1 });
  await assert.rejects(cf.train(model, broken, { epochs: 1, ...quiet }), /training ratings hold NaN at row 5/);
});

test("CF_LESSON_EPOCHS caps every stage inside train", async () => {
  const model = cf.dotBiasModel(data, { factors: 4, seed: 1 });
  process.env.CF_LESSON_EPOCHS = "1";
  try {
    const history = await cf.train(model, data, { stages: [{ epochs: 3, learningRate: 1e-3 }, { epochs: 2, learningRate: 1e-2 }], ...quiet });
    assert.deepEqual(history.learningRate, [1e-3, 1e-2]);
  } finally {
    delete process.env.CF_LESSON_EPOCHS;
  }
});

test("analysis edges: counts must be positive, PCA needs enough varied rows", () => {
  const model = cf.dotBiasModel(data, { factors: 4, seed: 1 });
  assert.throws(() => cf.rankBiases(model, data, { n: 0 }), /rankBiases: n must be a positive integer, got 0/);
  assert.throws(() => cf.recommendForUser(model, data, data.encoders.users.ids[0], -1), /recommendForUser: n must be a positive integer, got -1/);
  assert.throws(() => cf.pca([[1, 2], [3, 4]], 0), /components must be a positive integer, got 0/);
  assert.throws(() => cf.pca([[1, 2, 3], [3, 4, 5]], 3), /3 components need at least 4 rows, got 2/);
  assert.throws(() => cf.pca([[1, 2], [1, 2], [1, 2]], 1), /do not vary/);
  assert.throws(() => cf.componentExtremes(cf.pca([[1, 2], [3, 1], [0, 0]], 1), ["a", "b", "c"], 0), /n must be a positive integer/);
  assert.throws(() => cf.recommendForUser(model, data, 99999, 3), /unknown user id 99999: not among the \d+ users in synthetic/);
});

test("after early stopping goes back to the best epoch, the comparison reports that epoch's figures", async () => {
  const model = cf.dotProductModel(data, { factors: 16, seed: 7 });
  const history = await cf.train(model, data, { epochs: 30, learningRate: 0.05, batchSize: 32, earlyStopping: { patience: 2, restoreBest: true }, ...quiet });
  assert.ok(history.restoredEpoch !== undefined && history.restoredEpoch < history.length, `restored ${history.restoredEpoch} of ${history.length}`);
  const [row] = cf.compareRuns({ run: history });
  assert.equal(row.keptEpoch, history.restoredEpoch);
  assert.equal(row.valRmse, history.valRmse[history.restoredEpoch! - 1]);
  assert.ok(Math.abs(cf.evaluate(model, data).rmse - row.valRmse) < 1e-5);
});

test("NaN among the validation ratings is named before training, so early stopping can't fire on it", async () => {
  const validation = { ...data.valid!, ratings: Float32Array.from(data.valid!.ratings, (r, i) => (i === 2 ? NaN : r)) };
  const model = cf.dotBiasModel(data, { factors: 4, seed: 1 });
  await assert.rejects(
    cf.train(model, data, { epochs: 3, validation, earlyStopping: { patience: 1 }, ...quiet }),
    /validation ratings hold NaN at row 2/,
  );
});
