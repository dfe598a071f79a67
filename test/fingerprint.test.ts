// A model refuses data from another data set, naming both, and maps a subset of its own data
// through its encoders so the answer is right.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as cf from "../src";
import { MIRROR, mirrorTest, sharedDataDir, tempDir } from "./helpers";
import { lowRankRatings } from "./synthetic";
import * as path from "node:path";

const quiet = { progress: false, log: false } as const;
const load = (name: "ml-100k" | "ml-latest-small") => cf.loadMovieLens(name, { baseUrl: MIRROR, dataDir: sharedDataDir(), progress: false });

mirrorTest("an ml-100k model refuses ml-latest-small's data object in every function that takes both", async () => {
  const small = cf.collabData(await load("ml-latest-small"), { validFraction: 0.1, seed: 1 });
  const big = cf.collabData(await load("ml-100k"), { split: "u1" });
  const model = cf.dotBiasModel(big, { factors: 4, seed: 1 });
  const refused = /this model was built for 'ml-100k' \(943 users, 1,682 movies\), but the data object is 'ml-latest-small' \(610 users, 9,724 movies\)/;
  assert.throws(() => cf.rankBiases(model, small), new RegExp(`rankBiases: ${refused.source}`));
  assert.throws(() => cf.recommendForUser(model, small, 1), new RegExp(`recommendForUser: ${refused.source}`));
  assert.throws(() => cf.moviePca(model, small, { mostRated: 50 }), refused);
  assert.throws(() => cf.evaluate(model, small), refused);
  assert.throws(() => cf.test(model, small), refused);
  await assert.rejects(cf.train(model, small, { epochs: 1, ...quiet }), refused);
  // encoded ratings of another data set: an index past the model's tables is named, not a GatherV2 error
  assert.throws(() => cf.evaluate(model, small.valid!), /evaluate: rating \d+ has (user|movie) index \d+, but the model has [\d,]+ (user|movie)s \(built for 'ml-100k'/);
  // the fingerprint survives a save
  const dir = path.join(tempDir(), "model");
  await cf.saveRecommender(model, dir);
  const loaded = await cf.loadRecommender(dir);
  assert.equal(loaded.dataset, "ml-100k");
  assert.throws(() => cf.rankBiases(loaded, small), refused);
  assert.throws(() => loaded.predict([1], [193609]), /unknown movie id 193609: not among the 1682 movies in ml-100k/);
  assert.equal(cf.rankBiases(loaded, big, { n: 2 }).top.length, 2);
});

test("a subset of the model's own data, encoded afresh, is mapped through the model's encoders", async () => {
  await cf.selectBackend();
  const ratings = lowRankRatings({ seed: 8, users: 50, movies: 70, count: 2500 });
  const full = cf.collabData({ name: "synthetic", ratings }, { validFraction: 0.2, seed: 5 });
  const model = cf.dotBiasModel(full, { factors: 4, seed: 2 });
  await cf.train(model, full, { epochs: 4, learningRate: 2e-2, batchSize: 256, ...quiet });
  // Ratings of only the movies with even ids: its encoders number users and movies differently.
  const keep: number[] = [];
  for (let i = 0; i < ratings.length; i++) if (ratings.movieIds[i] % 2 === 0 && ratings.userIds[i] > 5) keep.push(i);
  const part = cf.data.selectRatings(ratings, keep);
  const subset = cf.collabData({ name: "even movies", dataset: "synthetic", ratings: part }, { validFraction: 0.3, seed: 1 });
  assert.notEqual(subset.encoders.movies.size, full.encoders.movies.size);
  // The truth: the model's predictions for the subset's validation ratings, by id.
  const truth = cf.rmse(model.predict(subset.validRatings!.userIds, subset.validRatings!.movieIds), subset.validRatings!.ratings);
  assert.ok(Math.abs(cf.evaluate(model, subset).rmse - truth) < 1e-5, `${cf.evaluate(model, subset).rmse} vs ${truth}`);
  // Training on the subset moves only the rows of its own movies.
  const before = model.embeddings("movie");
  await cf.train(model, subset, { epochs: 1, learningRate: 1e-2, batchSize: 256, validation: false, ...quiet });
  const after = model.embeddings("movie");
  const trained = new Set(Array.from(subset.trainRatings.movieIds));
  for (let row = 0; row < before.length; row++) {
    const id = model.encoders.movies.id(row);
    const moved = before[row].some((x, k) => x !== after[row][k]);
    assert.equal(moved, trained.has(id), `movie ${id}: moved ${moved}`);
  }
  // A data object with ids the model never saw is refused, naming one.
  const other = cf.collabData({ name: "synthetic", ratings: lowRankRatings({ seed: 9, users: 80 }) }, { validFraction: 0.2 });
  assert.throws(() => cf.evaluate(model, other), /evaluate: the data object 'synthetic' has \d+ users the model has never seen \(e.g. user \d+\); the model was built for 'synthetic' \(50 users, 70 movies\)/);
});
