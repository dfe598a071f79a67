// Top-N lists, their metrics (small cases worked by hand), the per-user split, the baselines,
// EASE, BPR, and the typed-array predict path that top-N and evaluate share with the sparse step.
import * as assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { inverse, Matrix } from "ml-matrix";
import * as cf from "../src";
import { createRatings, Ratings } from "../src/data";
import { dotGraphOf } from "../src/models/dotGraph";
import { perUserSplit } from "../src/prep/split";
import { choleskyInverse, evaluateTopN, fitEase, gramMatrix, listFor, mostPopular, randomScorer, rankingMetrics, Scorer, topN, trainBpr, userItems } from "../src/ranking";
import { MIRROR, mirrorTest } from "./helpers";
import { lowRankRatings } from "./synthetic";

process.env.CF_MOVIELENS_URL ??= `file://${MIRROR}`;

function ratings(rows: [number, number, number][]): Ratings {
  return createRatings({
    userIds: Int32Array.from(rows, (r) => r[0]),
    movieIds: Int32Array.from(rows, (r) => r[1]),
    ratings: Float32Array.from(rows, (r) => r[2]),
    timestamps: Uint32Array.from(rows, (_, i) => i),
  });
}

// Films 1..8. User 1 trained on films 1 and 8 and holds out 2 (5 stars), 5 (3) and 6 (4);
// user 2 trained on film 2 and holds out film 7 (2 stars).
const small = cf.collabData(
  { name: "hand", ratings: ratings([[1, 1, 5], [1, 8, 4], [2, 2, 3], [1, 2, 5], [1, 5, 3], [1, 6, 4], [2, 7, 2], [2, 3, 1], [2, 4, 1]]) },
  {
    split: {
      train: ratings([[1, 1, 5], [1, 8, 4], [2, 2, 3], [2, 3, 1], [2, 4, 1]]),
      valid: ratings([[1, 2, 5], [1, 5, 3], [1, 6, 4], [2, 7, 2]]),
    },
  },
);

/** A scorer that ranks each user's films in the order given (MovieLens ids, best first). */
function fixedOrder(data: cf.CollabData, orders: Record<number, number[]>): Scorer {
  return {
    name: "fixed",
    nMovies: data.nMovies,
    scoreUsers(users, out) {
      out.fill(0, 0, users.length * data.nMovies);
      users.forEach((u, i) => {
        const order = orders[data.encoders.users.id(u)];
        order.forEach((movieId, r) => (out[i * data.nMovies + data.encoders.movies.index(movieId)] = 100 - r));
      });
    },
  };
}

// User 1's list: 2, 3, 5, 4 (1 and 8 skipped: trained on); user 2's: 5, 7, 6, 1 (2, 3, 4 trained on).
const lists = topN(fixedOrder(small, { 1: [1, 2, 8, 3, 5, 4, 7, 6], 2: [2, 5, 7, 3, 6, 1, 8, 4] }), small, { k: 4 });

test("topN skips each user's training films and keeps the best k, best first", () => {
  assert.deepEqual(listFor(lists, small, 1).map((f) => f.movieId), [2, 3, 5, 4]);
  assert.deepEqual(listFor(lists, small, 2).map((f) => f.movieId), [5, 7, 6, 1]);
  assert.equal(listFor(lists, small, 1)[0].rank, 1);
  const all = topN(fixedOrder(small, { 1: [1, 2, 8, 3, 5, 4, 7, 6], 2: [2, 5, 7, 3, 6, 1, 8, 4] }), small, { k: 4, excludeTrain: false });
  assert.deepEqual(listFor(all, small, 1).map((f) => f.movieId), [1, 2, 8, 3]);
});

test("topN pads a list with -1 when the user has fewer candidates than k, and breaks ties by film index", () => {
  const top = topN(fixedOrder(small, { 1: [], 2: [] }), small, { k: 7 });
  const i = top.users.indexOf(small.encoders.users.index(2));
  // User 2 has 5 candidates (8 films less 3 trained on), all tied at 0: ascending film index, then padding.
  assert.deepEqual(Array.from(top.movies.subarray(i * 7, i * 7 + 7)), [1, 5, 6, 7, 8, -1, -1].map((id) => (id < 0 ? -1 : small.encoders.movies.index(id))));
});

test("ranking metrics of the worked example: precision, recall, nDCG, MAP, MAP@k, hit rate, MRR", () => {
  const m = rankingMetrics(lists, small);
  // User 1: hits at ranks 1 and 3 of 4, 3 relevant. User 2: a hit at rank 2, 1 relevant.
  const idcg3 = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
  const user1 = { precision: 2 / 4, recall: 2 / 3, ndcg: (1 + 1 / Math.log2(4)) / idcg3, ap: (1 / 1 + 2 / 3) / 3, rr: 1 };
  const user2 = { precision: 1 / 4, recall: 1, ndcg: 1 / Math.log2(3), ap: 1 / 2, rr: 1 / 2 };
  assert.equal(m.users, 2);
  assert.deepEqual(Array.from(m.perUser.userIds), [1, 2]);
  assert.deepEqual(Array.from(m.perUser.hits), [2, 1]);
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);
  close(m.perUser.ndcg[0], user1.ndcg);
  close(m.perUser.averagePrecision[0], user1.ap);
  close(m.precision, (user1.precision + user2.precision) / 2);
  close(m.recall, (user1.recall + user2.recall) / 2);
  close(m.ndcg, (user1.ndcg + user2.ndcg) / 2);
  close(m.map, (user1.ap + user2.ap) / 2);
  close(m.mapAtK, (user1.ap + user2.ap) / 2); // min(|R|, 4) = |R| for both users
  close(m.hitRate, 1);
  close(m.mrr, (user1.rr + user2.rr) / 2);
  // Lists show films 2, 3, 5, 4, 5, 7, 6, 1: 7 of 8 films; training counts 1, 1, 0, 1, 0, 0, 0, 1.
  close(m.coverage, 7 / 8);
  close(m.meanPopularity, 4 / 8);
});

test("MAP divides by the relevant count and MAP@k by min(relevant, k); k cuts the lists", () => {
  const m = rankingMetrics(lists, small, { k: 2 });
  // User 1 at k = 2: list 2, 3; one hit at rank 1 of 3 relevant. User 2: list 5, 7; hit at rank 2.
  assert.ok(Math.abs(m.perUser.averagePrecision[0] - 1 / 3) < 1e-12);
  assert.ok(Math.abs(m.perUser.averagePrecisionAtK[0] - 1 / 2) < 1e-12);
  assert.ok(Math.abs(m.perUser.precision[0] - 1 / 2) < 1e-12);
  assert.ok(Math.abs(m.perUser.ndcg[0] - 1 / (1 + 1 / Math.log2(3))) < 1e-12);
  assert.throws(() => rankingMetrics(lists, small, { k: 5 }), /k must be an integer from 1 to the lists' length 4, got 5/);
});

test("a relevance threshold keeps only held-out ratings at or above it, and drops users left with none", () => {
  const m = rankingMetrics(lists, small, { threshold: 4 });
  // User 1's relevant films: 2 (5 stars) and 6 (4 stars); the list hits 2 at rank 1. User 2 has none.
  assert.equal(m.users, 1);
  assert.ok(Math.abs(m.precision - 1 / 4) < 1e-12);
  assert.ok(Math.abs(m.recall - 1 / 2) < 1e-12);
  assert.ok(Math.abs(m.ndcg - 1 / (1 + 1 / Math.log2(3))) < 1e-12);
  assert.ok(Math.abs(m.map - 1 / 2) < 1e-12);
});

test("rankingMetrics names what is missing", () => {
  const noValid = cf.collabData({ name: "all", ratings: ratings([[1, 1, 5], [1, 2, 4]]) }, { split: "none" });
  assert.throws(() => rankingMetrics(topN(mostPopular(noValid), noValid, { k: 1 }), noValid), /'all' has no validation set/);
  assert.throws(() => topN(mostPopular(small), small, { k: 0 }), /topN: k must be a positive integer, got 0/);
  assert.throws(() => topN(mostPopular(noValid), small), /scores 2 films but 'hand' has 8/);
});

test("most popular recommends the most-rated unseen films; random is seeded", () => {
  const data = cf.collabData({ name: "synthetic", ratings: lowRankRatings() }, { split: "per-user", validFraction: 0.25, seed: 3 });
  const counts = new Map<number, number>();
  for (let i = 0; i < data.trainRatings.length; i++) counts.set(data.trainRatings.movieIds[i], (counts.get(data.trainRatings.movieIds[i]) ?? 0) + 1);
  const userId = data.trainRatings.userIds[0];
  const seen = new Set(Array.from(data.trainRatings.movieIds).filter((_, i) => data.trainRatings.userIds[i] === userId));
  const expected = [...counts.entries()].filter(([id]) => !seen.has(id)).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 5).map(([id]) => id);
  const list = listFor(topN(mostPopular(data), data, { k: 5, userIds: [userId] }), data, userId);
  assert.deepEqual(list.map((f) => f.movieId), expected);
  const a = topN(randomScorer(data, 7), data, { k: 5 });
  const b = topN(randomScorer(data, 7), data, { k: 5 });
  const c = topN(randomScorer(data, 8), data, { k: 5 });
  assert.deepEqual(a.movies, b.movies);
  assert.notDeepEqual(a.movies, c.movies);
});

test("perUserSplit holds out n - round(0.75 n) of each user's ratings, seeded, and collabData offers it", () => {
  const all = lowRankRatings({ users: 30, count: 1000 });
  const parts = perUserSplit(all, { testFraction: 0.25, seed: 5 });
  assert.equal(parts.train.length + parts.test.length, all.length);
  const count = (r: Ratings) => {
    const m = new Map<number, number>();
    for (let i = 0; i < r.length; i++) m.set(r.userIds[i], (m.get(r.userIds[i]) ?? 0) + 1);
    return m;
  };
  const total = count(all), held = count(parts.test);
  for (const [user, n] of total) assert.equal(held.get(user) ?? 0, n - Math.round(0.75 * n), `user ${user}`);
  const pairs = (r: Ratings) => new Set(Array.from(r.userIds, (u, i) => `${u}:${r.movieIds[i]}`));
  const trainPairs = pairs(parts.train);
  for (const p of pairs(parts.test)) assert.ok(!trainPairs.has(p));
  assert.deepEqual(perUserSplit(all, { testFraction: 0.25, seed: 5 }).test.movieIds, parts.test.movieIds);
  assert.notDeepEqual(perUserSplit(all, { testFraction: 0.25, seed: 6 }).test.movieIds, parts.test.movieIds);
  const data = cf.collabData({ name: "synthetic", ratings: all }, { split: "per-user", validFraction: 0.25, seed: 5 });
  assert.deepEqual(data.validRatings!.movieIds, parts.test.movieIds);
  assert.throws(() => perUserSplit(all, { testFraction: 1 }), /testFraction must be between 0 and 1, got 1/);
});

test("the per-movie split holds out n - round(0.75 n) of each movie's ratings, so every movie keeps training ratings", () => {
  const all = lowRankRatings({ users: 30, movies: 40, count: 900 });
  const data = cf.collabData({ name: "synthetic", ratings: all }, { split: "per-movie", validFraction: 0.25, seed: 5 });
  const count = (ids: Int32Array) => {
    const m = new Map<number, number>();
    for (const id of ids) m.set(id, (m.get(id) ?? 0) + 1);
    return m;
  };
  const total = count(all.movieIds), held = count(data.validRatings!.movieIds), kept = count(data.trainRatings.movieIds);
  for (const [movie, n] of total) {
    assert.equal(held.get(movie) ?? 0, n - Math.round(0.75 * n), `movie ${movie}`);
    assert.ok((kept.get(movie) ?? 0) > 0, `movie ${movie} kept no training rating`);
  }
  const again = cf.collabData({ name: "synthetic", ratings: all }, { split: "per-movie", validFraction: 0.25, seed: 5 });
  assert.deepEqual(again.validRatings!.userIds, data.validRatings!.userIds);
});

test("gramMatrix is X^T X and choleskyInverse inverts a symmetric positive-definite matrix", () => {
  const items = userItems(small.train, small.nUsers);
  const n = small.nMovies;
  const G = gramMatrix(items, n);
  const X = Matrix.zeros(small.nUsers, n);
  for (let i = 0; i < small.train.length; i++) X.set(small.train.users[i], small.train.movies[i], 1);
  assert.deepEqual(Array.from(G), X.transpose().mmul(X).to1DArray());
  const random = cf.prep.seededRandom(1);
  const A = Matrix.from1DArray(40, 40, Array.from({ length: 1600 }, () => random() - 0.5));
  const spd = A.mmul(A.transpose()).add(Matrix.eye(40).mul(0.5));
  const P = choleskyInverse(Float64Array.from(spd.to1DArray()), 40);
  const product = spd.mmul(Matrix.from1DArray(40, 40, Array.from(P)));
  for (let i = 0; i < 40; i++) for (let j = 0; j < 40; j++) assert.ok(Math.abs(product.get(i, j) - (i === j ? 1 : 0)) < 1e-9);
  assert.throws(() => choleskyInverse(new Float64Array([1, 2, 2, 1]), 2), /not positive definite \(pivot 1/);
});

test("EASE matches its closed form computed with ml-matrix, has a zero diagonal, and refuses too many films", () => {
  const data = cf.collabData({ name: "synthetic", ratings: lowRankRatings({ users: 40, movies: 30, count: 600 }) }, { split: "per-user", validFraction: 0.25, seed: 2 });
  const lambda = 5;
  const ease = fitEase(data, { lambda });
  const n = data.nMovies;
  const X = Matrix.zeros(data.nUsers, n);
  for (let i = 0; i < data.train.length; i++) X.set(data.train.users[i], data.train.movies[i], 1);
  const P = inverse(X.transpose().mmul(X).add(Matrix.eye(n).mul(lambda)));
  for (let i = 0; i < n; i++) {
    assert.equal(ease.weights[i * n + i], 0);
    for (let j = 0; j < n; j++) if (i !== j) assert.ok(Math.abs(ease.weights[i * n + j] + P.get(i, j) / P.get(j, j)) < 1e-5);
  }
  // A user's scores are x_u B.
  const scores = new Float32Array(n);
  ease.scoreUsers(Int32Array.of(0), scores);
  const expected = X.getRowVector(0).mmul(Matrix.from1DArray(n, n, Array.from(ease.weights)));
  for (let j = 0; j < n; j++) assert.ok(Math.abs(scores[j] - expected.get(0, j)) < 1e-4);
  assert.throws(() => fitEase(data, { maxMovies: 20 }), /'synthetic' has 30 films; EASE inverts a 30 x 30 matrix .* beyond 20 films/);
  assert.throws(() => fitEase(data, { lambda: 0 }), /lambda must be a positive number, got 0/);
});

test("predictIndices on dot / dot+bias / sigmoid-range models takes the typed-array path and equals tfjs predict", () => {
  const data = cf.collabData({ name: "synthetic", ratings: lowRankRatings() }, { validFraction: 0.2, seed: 1 });
  const models = [
    cf.dotProductModel(data, { factors: 8, seed: 1 }),
    cf.dotBiasModel(data, { factors: 8, seed: 2 }),
    cf.dotBiasModel(data, { factors: 8, seed: 3, ratingRange: true }),
    cf.dotBiasModel(data, { factors: 8, seed: 4, ratingRange: true, l2: 1e-4 }),
    cf.dotBiasModel(data, { factors: 8, seed: 5, target: { shift: 3, scale: 1.2 } }),
  ];
  const users = data.valid!.users, movies = data.valid!.movies;
  for (const model of models) {
    const weights = model.model.getWeights();
    // Move the weights off their tiny initial values so the comparison means something.
    model.model.setWeights(weights.map((w, i) => tf.tidy(() => w.add(tf.randomNormal(w.shape, 0, 0.5, "float32", i)))));
    assert.ok(dotGraphOf(model.model), `${model.kind} is recognised as a dot graph`);
    const ours = model.predictIndices(users, movies);
    const theirs = tf.tidy(() => model.ratingFrom(model.model.predict(model.inputs(users, movies)) as tf.Tensor).dataSync());
    for (let i = 0; i < ours.length; i++) assert.ok(Math.abs(ours[i] - theirs[i]) <= 1e-5 * Math.max(1, Math.abs(theirs[i])), `${model.kind}: ${ours[i]} vs ${theirs[i]}`);
    // evaluate takes the same path: its RMSE is tfjs's predictions' RMSE.
    let squares = 0;
    for (let i = 0; i < theirs.length; i++) squares += (theirs[i] - data.valid!.ratings[i]) ** 2;
    const evaluation = cf.evaluate(model, data);
    assert.ok(Math.abs(evaluation.rmse - Math.sqrt(squares / theirs.length)) < 1e-5);
    const tfjsLoss = tf.tidy(() => model.losses(model.model.predict(model.inputs(users, movies)) as tf.Tensor, model.targets(data.valid!.ratings)).total.dataSync()[0]);
    assert.ok(Math.abs(evaluation.loss - tfjsLoss) < 1e-5 * Math.max(1, tfjsLoss), `${model.kind}: loss ${evaluation.loss} vs ${tfjsLoss}`);
  }
  assert.throws(() => models[1].predictIndices(Int32Array.of(0), Int32Array.of(data.nMovies)), new RegExp(`movie index ${data.nMovies} at position 0 is not in \\[0, ${data.nMovies - 1}\\]`));
});

test("top-N of an embedding model (batched product) equals sorting its predictions film by film, and of an NN model too", () => {
  const data = cf.collabData({ name: "synthetic", ratings: lowRankRatings() }, { split: "per-user", validFraction: 0.25, seed: 1 });
  const dot = cf.dotBiasModel(data, { factors: 8, seed: 1, ratingRange: true });
  dot.model.setWeights(dot.model.getWeights().map((w, i) => tf.tidy(() => w.add(tf.randomNormal(w.shape, 0, 0.5, "float32", i)))));
  const net = cf.neuralNetModel(data, { factors: 8, hidden: [8], seed: 1 });
  for (const model of [dot, net]) {
    const top = topN(model, data, { k: 5 });
    const seen = userItems(data.train, data.nUsers);
    for (let i = 0; i < top.users.length; i += 7) {
      const u = top.users[i];
      const candidates = Array.from({ length: data.nMovies }, (_, m) => m).filter((m) => !Array.from(seen.movies.subarray(seen.starts[u], seen.starts[u + 1])).includes(m));
      const predicted = model.predictIndices(new Int32Array(candidates.length).fill(u), Int32Array.from(candidates));
      const expected = candidates.map((m, j) => [m, predicted[j]]).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 5);
      assert.deepEqual(Array.from(top.movies.subarray(i * 5, i * 5 + 5)), expected.map((e) => e[0]), `${model.kind}, user ${u}`);
      expected.forEach(([, score], r) => assert.ok(Math.abs(top.scores[i * 5 + r] - score) < 1e-4));
    }
  }
});

test("BPR raises nDCG over the untrained model, writes the tables into the model, and refuses other shapes", async () => {
  // Which films a user rates carries the signal BPR learns: 4 groups of users, each rating mostly
  // films of its own block of 15.
  const random = cf.prep.seededRandom(4);
  const rows: [number, number, number][] = [];
  for (let user = 1; user <= 80; user++) {
    const films = new Set<number>();
    while (films.size < 10) films.add(random() < 0.9 ? ((user % 4) * 15 + Math.floor(random() * 15)) : Math.floor(random() * 60));
    for (const film of films) rows.push([user, 100 + film, 4]);
  }
  const data = cf.collabData({ name: "groups", ratings: ratings(rows) }, { split: "per-user", validFraction: 0.25, seed: 1 });
  const model = cf.dotBiasModel(data, { factors: 8, seed: 1 });
  const before = evaluateTopN(model, data, { k: 5 }).ndcg;
  const movieTable = () => (model.model.getLayer("movie_embedding").getWeights()[0].dataSync() as Float32Array).slice();
  const start = movieTable();
  const history = await trainBpr(model, data, { epochs: 8, batchSize: 16, learningRate: 0.02, l2: 1e-5, log: false, validateAt: 5 });
  assert.equal(history.length, 8);
  assert.ok(history[7].loss < history[0].loss, `loss ${history[0].loss} -> ${history[7].loss}`);
  assert.ok(history[0].loss < Math.log(2) + 0.01); // starts near -log sigma(0)
  assert.notDeepEqual(movieTable(), start);
  const after = evaluateTopN(model, data, { k: 5 }).ndcg;
  assert.ok(after > before + 0.05, `nDCG@5 ${before} -> ${after}`);
  assert.ok(Math.abs(history[7].ndcg! - after) < 1e-12);
  const more = await trainBpr(model, data, { epochs: 1, learningRate: 0.02, l2: 1e-5, log: false, validateAt: false });
  assert.equal(more[0].ndcg, undefined);
  await assert.rejects(trainBpr(model, data, { epochs: 1, optimizer: "sgd", log: false }), /trained with adam/);
  await assert.rejects(trainBpr(cf.neuralNetModel(data, { factors: 4, hidden: [4] }), data, { log: false }), /needs a dot-product or dot\+bias model/);
  await assert.rejects(trainBpr(cf.dotBiasModel(data, { factors: 4 }), data, { negatives: 0, log: false }), /negatives must be a positive integer, got 0/);
});

mirrorTest("ml-100k: most popular on a random 80/20 split lands on the independent figures (precision@10 ~0.19)", async () => {
  const data = cf.collabData(await cf.loadMovieLens("ml-100k"), { split: "random", validFraction: 0.2, seed: 42 });
  const m = evaluateTopN(mostPopular(data), data, { k: 10 });
  // Published: precision@10 about 0.19, recall@10 about 0.12, nDCG@10 about 0.22.
  assert.ok(Math.abs(m.precision - 0.19) < 0.015, `precision@10 ${m.precision}`);
  assert.ok(Math.abs(m.recall - 0.12) < 0.015, `recall@10 ${m.recall}`);
  assert.ok(Math.abs(m.ndcg - 0.22) < 0.02, `nDCG@10 ${m.ndcg}`);
});

mirrorTest("ml-100k per-user 75/25: EASE passes the published BPR row, random stays near zero", async () => {
  const data = cf.collabData(await cf.loadMovieLens("ml-100k"), { split: "per-user", validFraction: 0.25, seed: 42 });
  const ease = evaluateTopN(fitEase(data, { lambda: 500 }), data);
  assert.ok(ease.ndcg > 0.442 && ease.precision > 0.388, `EASE nDCG@10 ${ease.ndcg}, precision@10 ${ease.precision}`);
  assert.ok(evaluateTopN(randomScorer(data), data).precision < 0.05);
});

test("top-N and BPR refuse a data object the model was not built on, and BPR's epochs follow CF_LESSON_EPOCHS", async () => {
  await cf.selectBackend();
  const a = cf.collabData({ name: "set A", ratings: lowRankRatings({ seed: 21, count: 1200 }) }, { split: "per-user", validFraction: 0.25, seed: 1 });
  const b = cf.collabData({ name: "set B", ratings: lowRankRatings({ seed: 22, count: 1200 }) }, { split: "per-user", validFraction: 0.25, seed: 1 });
  const model = cf.dotBiasModel(a, { factors: 4, seed: 1 });
  assert.throws(() => topN(model, b, { k: 5 }), /topN: this model was built for 'set A'.*but the data object is 'set B'/);
  await assert.rejects(trainBpr(model, b, { epochs: 1, log: false }), /trainBpr: this model was built for 'set A'/);
  const saved = process.env.CF_LESSON_EPOCHS;
  process.env.CF_LESSON_EPOCHS = "2";
  try {
    const history = await trainBpr(model, a, { epochs: 9, batchSize: 128, log: false });
    assert.equal(history.length, 2, "CF_LESSON_EPOCHS=2 caps 9 BPR epochs at 2");
  } finally {
    if (saved === undefined) delete process.env.CF_LESSON_EPOCHS;
    else process.env.CF_LESSON_EPOCHS = saved;
  }
});
