// A model wired up with tf.layers, as the lessons build them in view, is trained, evaluated and
// analysed by the library like a builder's model, and agrees with the builder's given the same weights.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as cf from "../src";
import { lowRankRatings } from "./synthetic";

const quiet = { progress: false, log: false } as const;
const data = cf.collabData({ name: "synthetic", ratings: lowRankRatings({ seed: 11 }), ratingScale: { min: 1, max: 5, step: 0.5 } }, { validFraction: 0.2, seed: 3 });

/** Dot + bias in the layers API, the way lesson 1 writes it. */
function handDotBias(factors: number, seed = 1): tf.LayersModel {
  const user = tf.input({ shape: [1], dtype: "int32", name: "user" });
  const movie = tf.input({ shape: [1], dtype: "int32", name: "movie" });
  const table = (input: tf.SymbolicTensor, n: number, width: number, s: number) =>
    tf.layers.flatten().apply(tf.layers.embedding({ inputDim: n, outputDim: width, embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: s }) }).apply(input)) as tf.SymbolicTensor;
  const u = table(user, data.nUsers, factors, seed);
  const m = table(movie, data.nMovies, factors, seed + 1);
  const ub = table(user, data.nUsers, 1, seed + 2);
  const mb = table(movie, data.nMovies, 1, seed + 3);
  const score = tf.layers.add().apply([tf.layers.dot({ axes: 1 }).apply([u, m]) as tf.SymbolicTensor, ub, mb]) as tf.SymbolicTensor;
  return tf.model({ inputs: [user, movie], outputs: score, name: "handDotBias" });
}

test("a hand-built dot+bias and the builder's give the same predictions from the same weights", async () => {
  await cf.selectBackend();
  const library = cf.dotBiasModel(data, { factors: 8, seed: 2 });
  const hand = cf.recommender(handDotBias(8), data);
  assert.deepEqual(hand.spec.target, library.spec.target, "both centred on the training mean");
  for (const side of ["user", "movie"] as const) {
    assert.equal(hand.embeddings(side).length, side === "user" ? data.nUsers : data.nMovies);
    assert.equal(hand.biases(side).length, side === "user" ? data.nUsers : data.nMovies);
  }
  // Copy the library model's tables into the hand-built one, found by structure, not by name.
  const byName = (r: cf.Recommender, side: cf.Side, what: "embedding" | "bias") => cf.findSideLayer(r.model, side, what, r.spec.layers)!;
  for (const side of ["user", "movie"] as const) {
    for (const what of ["embedding", "bias"] as const) byName(hand, side, what).setWeights(byName(library, side, what).getWeights());
  }
  const a = library.predictIndices(data.valid!.users, data.valid!.movies);
  const b = hand.predictIndices(data.valid!.users, data.valid!.movies);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-5, `rating ${i}: ${a[i]} vs ${b[i]}`);
});

test("the library trains a hand-built model with the sparse step and beats the global mean", async () => {
  const hand = cf.recommender(handDotBias(8), data);
  const history = await cf.train(hand, data, { epochs: 8, learningRate: 2e-2, seed: 1, ...quiet });
  assert.ok(history.final.valRmse < cf.globalMeanRmse(data) - 0.1, `${history.final.valRmse} vs ${cf.globalMeanRmse(data)}`);
  const ranking = cf.rankBiases(hand, data, { n: 3 });
  assert.equal(ranking.top.length, 3);
  assert.ok(ranking.top[0].bias >= ranking.bottom[0].bias);
});

test("a hand-built net with dense layers, dropout and a sigmoid range trains and is read in stars", async () => {
  const user = tf.input({ shape: [1], dtype: "int32" });
  const movie = tf.input({ shape: [1], dtype: "int32" });
  const u = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: data.nUsers, outputDim: 6 }).apply(user)) as tf.SymbolicTensor;
  const m = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: data.nMovies, outputDim: 6 }).apply(movie)) as tf.SymbolicTensor;
  let h = tf.layers.concatenate().apply([u, m]) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 8, activation: "relu" }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dropout({ rate: 0.3 }).apply(h) as tf.SymbolicTensor;
  const score = tf.layers.dense({ units: 1 }).apply(h) as tf.SymbolicTensor;
  const rating = new cf.layers.RatingRange({ min: 0.5, max: 5.5 }).apply(score) as tf.SymbolicTensor;
  const model = cf.recommender(tf.model({ inputs: [user, movie], outputs: rating }), data);
  assert.deepEqual(model.spec.target, { shift: 0, scale: 1 }, "a model that squashes into the range is trained on stars");
  assert.equal(model.biasUnit, "pre-sigmoid score");
  await cf.train(model, data, { epochs: 3, learningRate: 1e-2, seed: 1, ...quiet });
  const predicted = model.predictIndices(data.valid!.users, data.valid!.movies);
  assert.ok(predicted.every((p) => p > 0.5 && p < 5.5));
  assert.equal(model.embeddings("movie")[0].length, 6);
  assert.throws(() => model.biases("movie"), /no movie biases/);
});

test("models of the wrong shape are refused with what is missing", () => {
  const user = tf.input({ shape: [1], dtype: "int32" });
  const movie = tf.input({ shape: [1], dtype: "int32" });
  // inputs swapped: the user input's table is sized for the movies
  const u = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: data.nMovies, outputDim: 4 }).apply(user)) as tf.SymbolicTensor;
  const m = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: data.nUsers, outputDim: 4 }).apply(movie)) as tf.SymbolicTensor;
  const swapped = tf.model({ inputs: [user, movie], outputs: tf.layers.dot({ axes: 1 }).apply([u, m]) as tf.SymbolicTensor });
  assert.throws(() => cf.recommender(swapped, data), /inputDim \d+, but the data has \d+ users \(that is the movie count: are the inputs in the order \[user, movie\]\?\)/);
  const one = tf.input({ shape: [3] });
  const wrongInput = tf.model({ inputs: one, outputs: tf.layers.dense({ units: 1 }).apply(one) as tf.SymbolicTensor });
  assert.throws(() => cf.recommender(wrongInput, data), /must take either two index inputs \[user, movie\].*or one one-hot input of width/);
  const u2 = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: data.nUsers, outputDim: 4 }).apply(user)) as tf.SymbolicTensor;
  const m2 = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: data.nMovies, outputDim: 4 }).apply(movie)) as tf.SymbolicTensor;
  const wide = tf.model({ inputs: [user, movie], outputs: tf.layers.concatenate().apply([u2, m2]) as tf.SymbolicTensor });
  assert.throws(() => cf.recommender(wide, data), /output 0 is shaped \[batch, 8\]; each output must be one score per rating/);
  assert.throws(() => cf.recommender({} as tf.LayersModel, data), /expects a tf.LayersModel/);
});

test("a one-hot net built in view exposes its first layer's rows as embeddings", () => {
  const width = data.nUsers + data.nMovies;
  const input = tf.input({ shape: [width] });
  const embedded = tf.layers.dense({ units: 5, useBias: false }).apply(input) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1 }).apply(embedded) as tf.SymbolicTensor;
  const model = cf.recommender(tf.model({ inputs: input, outputs: out }), data);
  assert.equal(model.spec.input, "oneHot");
  const kernel = (model.model.layers[1].getWeights()[0].arraySync() as number[][]);
  assert.deepEqual(model.embeddings("movie")[2], kernel[data.nUsers + 2]);
  assert.deepEqual(model.embeddings("user")[4], kernel[4]);
});
