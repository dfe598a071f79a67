// Seeded randomness that means what it says: dropout draws a new mask at every step while the same
// seed replays a run exactly, and the user and movie tables start from different draws.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as cf from "../src";
import { DropoutSeeds } from "../src/train/dropoutSeeds";
import { lowRankRatings } from "./synthetic";

const quiet = { progress: false, log: false } as const;
const data = cf.collabData({ name: "synthetic", ratings: lowRankRatings({ seed: 4 }), ratingScale: { min: 1, max: 5, step: 0.5 } }, { validFraction: 0.2, seed: 2 });

/** The mask a model's one Dropout layer applies to a row of ones in training mode. */
function mask(model: tf.LayersModel): number[] {
  const layer = model.layers.find((l) => l.getClassName() === "Dropout")!;
  return tf.tidy(() => Array.from((layer.apply(tf.ones([1, 64]), { training: true }) as tf.Tensor).dataSync()));
}

test("a seeded Dropout layer draws a fresh mask at every training step, and the same step replays its mask", async () => {
  await cf.selectBackend();
  const model = cf.neuralNetModel(data, { factors: 4, hidden: [8], dropout: 0.5, seed: 1 });
  const seeds = new DropoutSeeds(model.model, 7);
  seeds.set(0);
  const first = mask(model.model);
  seeds.set(1);
  const second = mask(model.model);
  seeds.set(0);
  const again = mask(model.model);
  seeds.restore();
  assert.notDeepEqual(first, second, "steps 0 and 1 share one mask");
  assert.deepEqual(first, again, "step 0's mask is not reproducible");
  // Without the per-step seeds, tfjs repeats the layer's own seed's mask on every call: the bug this fixes.
  assert.deepEqual(mask(model.model), mask(model.model));
});

test("training with dropout and a seed is exactly reproducible, and another seed gives another run", async () => {
  const run = async (seed: number) => {
    const model = cf.neuralNetModel(data, { factors: 4, hidden: [8], dropout: 0.5, seed: 1 });
    const history = await cf.train(model, data, { epochs: 2, learningRate: 1e-2, seed, ...quiet });
    return { loss: history.final.loss, weights: model.model.getWeights().map((w) => Array.from(w.dataSync())) };
  };
  const a = await run(3);
  const b = await run(3);
  const c = await run(4);
  assert.deepEqual(a.weights, b.weights);
  assert.equal(a.loss, b.loss);
  assert.notEqual(a.loss, c.loss);
});

test("the masks differ between the batches of a run", async () => {
  // Record the mask the dense stack's dropout applies at each step of a short run.
  const model = cf.neuralNetModel(data, { factors: 4, hidden: [8], dropout: 0.5, seed: 1 });
  const layer = model.model.layers.find((l) => l.getClassName() === "Dropout")! as unknown as { seed?: number };
  const seen: (number | undefined)[] = [];
  const original = Object.getOwnPropertyDescriptor(layer, "seed");
  let value = layer.seed;
  Object.defineProperty(layer, "seed", { get: () => value, set: (v) => { value = v; seen.push(v); }, configurable: true });
  await cf.train(model, data, { epochs: 1, batchSize: 256, learningRate: 1e-2, seed: 9, ...quiet });
  if (original) Object.defineProperty(layer, "seed", original);
  const steps = Math.ceil(data.train.length / 256);
  const perStep = seen.slice(0, steps);
  assert.equal(new Set(perStep).size, steps, `${steps} steps drew ${new Set(perStep).size} distinct seeds`);
  assert.equal(seen[seen.length - 1], 1, "the layer's own seed is given back after training");
});

test("one seed starts the user and movie tables (and the dense kernels) from different draws", () => {
  const model = cf.dotBiasModel(data, { factors: 5, seed: 3 });
  const users = model.embeddings("user");
  const movies = model.embeddings("movie");
  assert.notDeepEqual(users[0], movies[0]);
  assert.notDeepEqual(model.biases("user").slice(0, 5), model.biases("movie").slice(0, 5));
  const again = cf.dotBiasModel(data, { factors: 5, seed: 3 });
  assert.deepEqual(again.embeddings("user"), users, "the same seed gives the same start");
  const net = cf.neuralNetModel(data, { factors: 4, hidden: [6, 6], seed: 3 });
  const [k0, k1] = ["dense_0", "dense_1"].map((name) => Array.from(net.model.getLayer(name).getWeights()[0].dataSync()).slice(0, 6));
  assert.notDeepEqual(k0, k1);
});
