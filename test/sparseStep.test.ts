import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../src/backend";
import {
  dotBiasFromPretrained, dotBiasModel, dotProductModel, hybridModel, linearModel, mixedBiasNetModel, neuralNetModel, projectedDotModel, Recommender,
} from "../src/models";
import { IdEncoder } from "../src/prep";
import { SparseStep, sparseStepFor } from "../src/train/sparse/sparseStep";
import { OptimizerName, tfjsOptimizer } from "../src/train/sparse/rowOptimizers";
import { seededRandom } from "../src/prep/random";

const USERS = 7;
const MOVIES = 9;
const data = {
  encoders: { users: new IdEncoder(Array.from({ length: USERS }, (_, i) => i + 1)), movies: new IdEncoder(Array.from({ length: MOVIES }, (_, i) => 100 + i)) },
  ratingScale: { min: 0.5, max: 5, step: 0.5 },
  globalMean: 3.2,
};

interface Batch {
  users: Int32Array;
  movies: Int32Array;
  ratings: Float32Array;
}

/** A random batch; with `everyRow` it looks up every user and every movie at least once. */
function randomBatch(size: number, seed: number, everyRow = false): Batch {
  const random = seededRandom(seed);
  const users = Int32Array.from({ length: size }, (_, i) => (everyRow && i < USERS ? i : Math.floor(random() * USERS)));
  const movies = Int32Array.from({ length: size }, (_, i) => (everyRow && i < MOVIES ? i : Math.floor(random() * MOVIES)));
  const ratings = Float32Array.from({ length: size }, () => 0.5 + Math.floor(random() * 10) / 2);
  return { users, movies, ratings };
}

/** train's weighted MSE over the outputs, in model units. */
function weightedMse(recommender: Recommender) {
  return (outputs: tf.Tensor | tf.Tensor[], target: tf.Tensor): tf.Scalar => {
    const list = Array.isArray(outputs) ? outputs : [outputs];
    return list.map((out, i) => tf.mul(tf.losses.meanSquaredError(target, out), recommender.spec.lossWeights[i]) as tf.Scalar).reduce((a, b) => tf.add(a, b));
  };
}

function sparseStep(recommender: Recommender, optimizer: OptimizerName, fused = true): SparseStep {
  return new SparseStep(recommender.model, { optimizer, target: recommender.spec.target, loss: weightedMse(recommender), outputWeight: recommender.spec.lossWeights[0], fused });
}

/** tfjs's own step: the full model differentiated, its L2 penalties included, a tfjs optimizer. */
function denseStep(recommender: Recommender, optimizer: tf.Optimizer, batch: Batch): void {
  tf.tidy(() => {
    const n = batch.users.length;
    const x = [tf.tensor2d(batch.users, [n, 1], "int32"), tf.tensor2d(batch.movies, [n, 1], "int32")];
    const { shift, scale } = recommender.spec.target;
    const y = tf.tensor2d(batch.ratings.map((r) => (r - shift) / scale), [n, 1]);
    optimizer.minimize(() => {
      const loss = weightedMse(recommender)(recommender.model.apply(x, { training: true }) as tf.Tensor | tf.Tensor[], y);
      const penalties = recommender.model.calculateLosses();
      return penalties.length ? (tf.addN([loss, ...penalties]) as tf.Scalar) : loss;
    });
  });
}

function weightsOf(recommender: Recommender): Map<string, Float32Array> {
  return new Map(recommender.model.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
}

function assertClose(actual: Float32Array, expected: Float32Array, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance * (1 + Math.abs(expected[i])), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

function assertSameWeights(a: Recommender, b: Recommender, tolerance: number, label: string): void {
  const wa = weightsOf(a);
  for (const [name, values] of weightsOf(b)) assertClose(wa.get(name)!, values, tolerance, `${label} ${name}`);
}

/** Every model kind with Embedding layers; dropout off so two runs see the same network. */
const KINDS: [string, (seed: number) => Recommender][] = [
  ["dot product", (seed) => dotProductModel(data, { factors: 4, seed })],
  ["dot + bias", (seed) => dotBiasModel(data, { factors: 4, seed })],
  ["dot + bias, sigmoid range", (seed) => dotBiasModel(data, { factors: 4, seed, ratingRange: true })],
  ["neural net", (seed) => neuralNetModel(data, { factors: 4, hidden: [6, 5], dropout: 0, seed })],
  ["neural net, batch norm", (seed) => neuralNetModel(data, { factors: 4, hidden: [6], dropout: 0, batchNorm: true, seed })],
  ["linear", (seed) => linearModel(data, { factors: 4, seed, ratingRange: true })],
  ["hybrid, two weighted losses", (seed) => hybridModel(data, { factors: 4, lossWeights: [0.2, 1], seed })],
  ["mixed bias net", (seed) => mixedBiasNetModel(data, { factors: 4, hidden: [3], seed })],
  ["projected dot", (seed) => projectedDotModel(data, { factors: 4, seed })],
  ["dot + bias from pretrained", (seed) => dotBiasFromPretrained(neuralNetModel(data, { factors: 4, dropout: 0, seed: seed + 1 }), { seed })],
];

test("setup", async () => {
  await selectBackend({ quiet: true });
});

test("on a batch touching every row, SGD without L2 gives the dense step's update", () => {
  for (const fused of [true, false]) {
    const dense = dotBiasModel(data, { factors: 5, seed: 3, ratingRange: true });
    const sparse = dotBiasModel(data, { factors: 5, seed: 3, ratingRange: true });
    const step = sparseStep(sparse, "sgd", fused);
    assert.equal(step.dotGraph !== undefined, fused);
    step.begin();
    const sgd = tf.train.sgd(0.5);
    for (let s = 0; s < 3; s++) {
      const batch = randomBatch(40, s, true);
      denseStep(dense, sgd, batch);
      step.step(batch.users, batch.movies, batch.ratings, 0.5);
    }
    step.finish();
    assertSameWeights(sparse, dense, 1e-5, fused ? "fused" : "tfjs");
  }
});

test("when every step touches every row, lazy Adam is tfjs's Adam", () => {
  const dense = dotBiasModel(data, { factors: 5, seed: 4 });
  const sparse = dotBiasModel(data, { factors: 5, seed: 4 });
  const step = sparseStep(sparse, "adam");
  step.begin();
  const adam = tfjsOptimizer("adam", 0.01);
  for (let s = 0; s < 5; s++) {
    const batch = randomBatch(30, 10 + s, true);
    denseStep(dense, adam, batch);
    step.step(batch.users, batch.movies, batch.ratings, 0.01);
  }
  step.finish();
  assertSameWeights(sparse, dense, 1e-4, "adam");
});

test("gradients of every model kind match tfjs's own (one SGD step, rows outside the batch untouched)", () => {
  const batch = randomBatch(12, 7); // leaves some users and movies out
  for (const [kind, build] of KINDS) {
    const dense = build(5);
    const sparse = build(5);
    const before = weightsOf(sparse);
    const step = sparseStep(sparse, "sgd");
    step.begin();
    // The matrix-factorisation graphs run on the fused kernel, the others through tfjs.
    assert.equal(step.dotGraph !== undefined, kind.startsWith("dot"), `${kind}: fused kernel`);
    step.step(batch.users, batch.movies, batch.ratings, 0.1);
    step.finish();
    denseStep(dense, tf.train.sgd(0.1), batch);
    assertSameWeights(sparse, dense, 2e-5, kind);
    const changed = [...weightsOf(sparse)].some(([name, w]) => w.some((x, i) => x !== before.get(name)![i]));
    assert.ok(changed, `${kind}: the step changed nothing`);
  }
});

test("L2 applies to the rows in the batch, as Keras's penalty restricted to them", () => {
  const dense = dotBiasModel(data, { factors: 3, l2: 0.05, seed: 2 });
  const sparse = dotBiasModel(data, { factors: 3, l2: 0.05, seed: 2 });
  const before = weightsOf(sparse).get("user_embedding/embeddings")!;
  const batch = { users: Int32Array.from([0, 2, 2]), movies: Int32Array.from([1, 1, 4]), ratings: Float32Array.from([4, 2.5, 5]) };
  const step = sparseStep(sparse, "sgd");
  step.begin();
  const loss = step.step(batch.users, batch.movies, batch.ratings, 0.2);
  step.finish();
  denseStep(dense, tf.train.sgd(0.2), batch);
  const after = weightsOf(sparse).get("user_embedding/embeddings")!;
  const expected = weightsOf(dense).get("user_embedding/embeddings")!;
  for (let row = 0; row < USERS; row++) {
    const slice = (a: Float32Array) => a.subarray(row * 3, row * 3 + 3);
    if (row === 0 || row === 2) assertClose(slice(after), slice(expected), 1e-5, `user row ${row}`);
    else assert.deepEqual(slice(after), slice(before), `user row ${row} is not in the batch`);
  }
  assert.ok(loss > 0);
});

test("a row a batch skips gets the L2 pulls it missed when it is next in a batch", () => {
  // Two models see the same last batch; one first takes two steps on rows disjoint from it, so
  // the last batch finds the same weights in both, and only the owed L2 differs: 2 more pulls.
  const lr = 0.1;
  const l2 = 0.05;
  const last = { users: Int32Array.from([0, 1]), movies: Int32Array.from([0, 1]), ratings: Float32Array.from([4, 2]) };
  const elsewhere = { users: Int32Array.from([4, 5]), movies: Int32Array.from([6, 7]), ratings: Float32Array.from([3, 5]) };
  const userRow0 = (r: Recommender) => weightsOf(r).get("user_embedding/embeddings")!.slice(0, 3);
  const deltas = [0, 2].map((skipped) => {
    const model = dotBiasModel(data, { factors: 3, l2, seed: 6 });
    const step = sparseStep(model, "sgd");
    step.begin();
    for (let s = 0; s < skipped; s++) step.step(elsewhere.users, elsewhere.movies, elsewhere.ratings, lr);
    const before = userRow0(model);
    step.step(last.users, last.movies, last.ratings, lr);
    step.finish();
    return { before, delta: userRow0(model).map((x, c) => x - before[c]) };
  });
  assert.deepEqual(deltas[0].before, deltas[1].before);
  const extra = deltas[1].delta.map((d, c) => d - deltas[0].delta[c]);
  assertClose(extra, deltas[0].before.map((w) => -lr * 2 * l2 * w * 2), 1e-5, "owed L2");
});

test("a training sequence continues the optimizer state; learning rate changes apply", () => {
  const batches = [0, 1, 2, 3].map((s) => randomBatch(16, 20 + s));
  const rates = [0.01, 0.01, 0.05, 0.002];
  const once = dotBiasModel(data, { factors: 4, seed: 9 });
  const twice = dotBiasModel(data, { factors: 4, seed: 9 });
  const options = (r: Recommender) => ({ optimizer: "adam" as const, target: r.spec.target, loss: weightedMse(r) });
  const a = sparseStepFor(once.model, options(once));
  a.begin();
  batches.forEach((b, i) => a.step(b.users, b.movies, b.ratings, rates[i]));
  a.finish();
  for (const part of [[0, 1], [2, 3]]) {
    const b = sparseStepFor(twice.model, options(twice));
    b.begin();
    for (const i of part) b.step(batches[i].users, batches[i].movies, batches[i].ratings, rates[i]);
    b.finish();
  }
  assert.equal(sparseStepFor(twice.model, options(twice)).steps, 4);
  assertSameWeights(twice, once, 1e-6, "split sequence");
  // The same steps at one rate end elsewhere: the rates were used.
  const flat = dotBiasModel(data, { factors: 4, seed: 9 });
  const c = sparseStepFor(flat.model, options(flat));
  c.begin();
  batches.forEach((b) => c.step(b.users, b.movies, b.ratings, 0.01));
  c.finish();
  const moved = weightsOf(flat).get("user_embedding/embeddings")!;
  assert.ok(moved.some((x, i) => Math.abs(x - weightsOf(once).get("user_embedding/embeddings")![i]) > 1e-4));
  assert.throws(() => sparseStepFor(twice.model, { ...options(twice), optimizer: "sgd" }), /trained with adam/);
});

test("the one-hot net has no Embedding layers: the sparse step refuses it", async () => {
  const { oneHotNetModel } = await import("../src/models");
  const model = oneHotNetModel(data, { factors: 3, hidden: [4] });
  assert.equal(SparseStep.supports(model.model), false);
  assert.throws(() => sparseStep(model, "adam"), /no Embedding layers/);
});
