import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  selectBackend, pca, componentExtremes, cosineSimilarity, nearestRows, nearestMovies, recommendForUser, rankBiases, rmse, mae, perUserRmse, globalMeanRmse,
  dotBiasModel, collabData, train, moviePca,
} from "../src";
import { seededRandom } from "../src/prep";
import { lowRankRatings } from "./synthetic";

test("setup", async () => {
  await selectBackend({ quiet: true });
});

test("RMSE, MAE and per-user RMSE on known numbers", () => {
  assert.equal(rmse([1, 2, 3], [1, 2, 5]), Math.sqrt(4 / 3));
  assert.equal(mae([1, 2, 3], [2, 2, 5]), 1);
  const per = perUserRmse([7, 7, 8], [1, 3, 4], [2, 2, 4]);
  assert.deepEqual(per.get(7), { rmse: 1, count: 2 });
  assert.deepEqual(per.get(8), { rmse: 0, count: 1 });
  assert.equal(globalMeanRmse([2, 4], [3, 5]), Math.SQRT2); // mean 3: errors 0 and 2
  assert.throws(() => rmse([1], [1, 2]), /1 predictions for 2 ratings/);
});

test("PCA recovers the known directions of a matrix up to sign", () => {
  const random = seededRandom(3);
  const d1 = [1 / Math.SQRT2, 1 / Math.SQRT2, 0, 0];
  const d2 = [0, 0, 1, 0];
  const rows = Array.from({ length: 400 }, () => {
    const a = (random() - 0.5) * 20, b = (random() - 0.5) * 6, noise = () => (random() - 0.5) * 0.1;
    return d1.map((x, i) => 5 + a * x + b * d2[i] + noise());
  });
  const result = pca(rows, 3);
  const close = (v: number[], w: number[]) => Math.abs(Math.abs(v.reduce((s, x, i) => s + x * w[i], 0)) - 1) < 1e-3;
  assert.ok(close(result.components[0], d1), `component 1 ${result.components[0]}`);
  assert.ok(close(result.components[1], d2), `component 2 ${result.components[1]}`);
  assert.ok(result.explainedVariance[0] > 0.85 && result.explainedVariance[1] > 0.05 && result.explainedVariance[2] < 0.01);
  assert.equal(result.projections.length, 400);
  assert.equal(result.projections[0].length, 3);
  const ends = componentExtremes(result, rows.map((_, i) => i), 2);
  const scores = result.projections.map((p) => p[0]);
  assert.equal(ends[0].high[0].item, scores.indexOf(Math.max(...scores)));
  assert.equal(ends[0].low[0].item, scores.indexOf(Math.min(...scores)));
});

test("nearest rows by cosine similarity, excluding the row itself", () => {
  assert.equal(cosineSimilarity([1, 0], [2, 0]), 1);
  assert.equal(cosineSimilarity([1, 0], [0, 3]), 0);
  const table = [[1, 0], [0.9, 0.1], [-1, 0], [0, 1], [2, 0.01]];
  assert.deepEqual(nearestRows(table, 0, 2).map((r) => r.index), [4, 1]);
  assert.deepEqual(nearestRows(table, 0, 2, (i) => i !== 4).map((r) => r.index), [1, 3]);
});

const ratings = lowRankRatings({ seed: 2 });
const titles = new Map(Array.from(new Set(ratings.movieIds), (id) => [id, { movieId: id, title: `Movie ${id}`, year: null, genres: [] }]));
const data = collabData({ name: "synthetic", ratings, movieById: titles }, { split: "none" });
const encoders = data.encoders;

test("recommendations never include a movie the user rated, and come best first", async () => {
  const rec = dotBiasModel(data, { factors: 8, seed: 1 });
  await train(rec, data, { epochs: 5, learningRate: 0.02, batchSize: 256, progress: false, log: false });
  for (const userId of encoders.users.ids.slice(0, 20)) {
    const rated = new Set(Array.from(ratings.movieIds).filter((_, i) => ratings.userIds[i] === userId));
    const recs = recommendForUser(rec, data, userId, 10);
    assert.equal(recs.length, 10);
    for (const r of recs) assert.ok(!rated.has(r.movieId), `user ${userId} already rated ${r.movieId}`);
    for (let i = 1; i < recs.length; i++) assert.ok(recs[i - 1].predicted >= recs[i].predicted);
    assert.deepEqual(Array.from(rec.predict([userId], [recs[0].movieId])), [recs[0].predicted]);
  }
  const neighbours = nearestMovies(rec, encoders.movies.ids[0], 5);
  assert.equal(neighbours.length, 5);
  assert.ok(neighbours.every((n) => n.movieId !== encoders.movies.ids[0]));
  assert.equal(rec.embeddings("movie").length, encoders.movies.size);
});

test("bias ranking orders by learned bias, labels with titles and can keep only the most rated", () => {
  const rec = dotBiasModel(data, { factors: 4, seed: 1 });
  const biases = encoders.movies.ids.map((_, i) => [i / 10]); // bias grows with the encoded index
  rec.model.getLayer("movie_bias").setWeights([tf.tensor2d(biases)]);
  assert.deepEqual(rec.biases("movie").slice(0, 3).map((b) => Number(b.toFixed(2))), [0, 0.1, 0.2]);
  const ranking = rankBiases(rec, data, { side: "movie", n: 3 });
  const last = encoders.movies.ids.at(-1)!;
  assert.deepEqual(ranking.top.map((e) => e.id), encoders.movies.ids.slice(-3).reverse());
  assert.equal(ranking.top[0].label, `Movie ${last}`);
  assert.deepEqual(ranking.bottom.map((e) => e.id), encoders.movies.ids.slice(0, 3));
  const counts = new Map<number, number>();
  ratings.movieIds.forEach((id) => counts.set(id, (counts.get(id) ?? 0) + 1));
  assert.equal(ranking.top[0].count, counts.get(last));
  const popular = rankBiases(rec, data, { n: 5, mostRated: 5 });
  const top5 = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 5).map(([id]) => id);
  assert.deepEqual(new Set(popular.top.map((e) => e.id)), new Set(top5));
});

test("movie PCA covers the most-rated movies and names each end of each component", async () => {
  const rec = dotBiasModel(data, { factors: 8, seed: 3 });
  const result = moviePca(rec, data, { mostRated: 30, components: 3, n: 4 });
  assert.equal(result.movieIds.length, 30);
  assert.equal(result.projections.length, 30);
  assert.equal(result.extremes.length, 3);
  const best = result.projections.map((p) => p[0]).indexOf(Math.max(...result.projections.map((p) => p[0])));
  assert.equal(result.extremes[0].high[0].item, `Movie ${result.movieIds[best]}`);
});
