// cf.train with the sparse step, as the lessons use it: the default for models with Embedding
// layers, weights visible to predict/save/analysis after training, sequences that continue.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as cf from "../src";
import { sparseStepFor } from "../src/train/sparse/sparseStep";
import { tempDir } from "./helpers";
import { lowRankRatings } from "./synthetic";

const ratings = lowRankRatings({ seed: 7, users: 50, movies: 70, count: 2500 });
const data = cf.collabData({ name: "synthetic", ratings, ratingScale: { min: 1, max: 5, step: 0.5 } }, { validFraction: 0.2, seed: 1 });
const quiet = { progress: false, log: false, trainMetrics: false } as const;

test("the sparse step is the default for embedding models and learns; the model's variables hold its weights", async () => {
  const model = cf.dotBiasModel(data, { factors: 8, l2: 1e-4, seed: 1 });
  const before = model.embeddings("movie");
  const history = await cf.train(model, data, { epochs: 4, learningRate: 1e-2, batchSize: 128, ...quiet });
  assert.ok(sparseStepFor(model.model, { optimizer: "adam", target: model.spec.target, loss: () => { throw new Error("unused"); } }).steps > 0, "the sparse step ran");
  assert.ok(history.final.valRmse < cf.globalMeanRmse(data) - 0.05, `RMSE ${history.final.valRmse} vs global mean ${cf.globalMeanRmse(data)}`);
  // What predict, evaluate and the analysis read is what training left.
  assert.equal(cf.evaluate(model, data).rmse, history.final.valRmse);
  assert.notDeepEqual(model.embeddings("movie"), before);
});

test("a training sequence continues its optimizer; stages change the learning rate; dense stays available", async () => {
  const model = cf.dotBiasModel(data, { factors: 8, seed: 2 });
  await cf.train(model, data, { stages: [{ epochs: 1, learningRate: 1e-3 }, { epochs: 1, learningRate: 1e-2 }], batchSize: 256, ...quiet });
  const step = sparseStepFor(model.model, { optimizer: "adam", target: model.spec.target, loss: () => { throw new Error("unused"); } });
  const batches = Math.ceil(data.train.length / 256);
  assert.equal(step.steps, 2 * batches);
  await cf.train(model, data, { epochs: 1, learningRate: 1e-3, batchSize: 256, ...quiet });
  assert.equal(step.steps, 3 * batches, "the second call continued the same state");
  await assert.rejects(cf.train(model, data, { epochs: 1, optimizer: "sgd", ...quiet }), /trained with adam/);

  const dense = cf.dotBiasModel(data, { factors: 8, seed: 2 });
  const h = await cf.train(dense, data, { epochs: 2, learningRate: 1e-2, batchSize: 256, step: "dense", ...quiet });
  assert.ok(h.final.valRmse < cf.globalMeanRmse(data));
});

test("the one-hot net trains with the dense step; asking it for the sparse one is a clear error", async () => {
  const net = cf.oneHotNetModel(data, { factors: 4, hidden: [8], dropout: 0 });
  await assert.rejects(cf.train(net, data, { epochs: 1, step: "sparse", ...quiet }), /step "sparse" needs Embedding layers.*step "dense"/);
  const history = await cf.train(net, data, { epochs: 1, ...quiet });
  assert.equal(history.length, 1);
});

test("a model saved and loaded after sparse training predicts the same and trains on", async () => {
  for (const build of [() => cf.dotBiasModel(data, { factors: 6, ratingRange: true, seed: 3 }), () => cf.hybridModel(data, { factors: 6, lossWeights: [0.2, 1], seed: 3 })]) {
    const model = build();
    await cf.train(model, data, { epochs: 2, learningRate: 1e-2, batchSize: 256, ...quiet });
    const dir = path.join(tempDir(), "model");
    await cf.saveRecommender(model, dir);
    const loaded = await cf.loadRecommender(dir);
    const users = data.validRatings!.userIds.subarray(0, 50);
    const movies = data.validRatings!.movieIds.subarray(0, 50);
    assert.deepEqual(loaded.predict(users, movies), model.predict(users, movies));
    const before = cf.evaluate(loaded, data).rmse;
    await cf.train(loaded, data, { epochs: 2, learningRate: 1e-2, batchSize: 256, ...quiet });
    assert.notEqual(cf.evaluate(loaded, data).rmse, before);
  }
});
