// Multi-threaded training (threads > 1, Hogwild!-style workers over shared tables) and the
// sparse step's L2 modes: one worker does exactly what the main thread does, several converge
// to the single-thread accuracy, and the defaults keep the lessons' exact single-thread run.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as cf from "../src";
import { seededRandom, shuffledIndices } from "../src/prep/random";
import { addL2 } from "../src/train/sparse/fusedStep";
import { HogwildPool } from "../src/train/sparse/hogwild";
import { sparseStepFor } from "../src/train/sparse/sparseStep";
import { chooseL2Mode, chooseThreads, LARGE_TRAINING_SET } from "../src/train/scaleDefaults";
import { lowRankRatings } from "./synthetic";

const quiet = { progress: false, log: false, trainMetrics: false } as const;
const scale = { min: 1, max: 5, step: 0.5 };
const small = cf.collabData({ name: "synthetic", ratings: lowRankRatings({ seed: 3, users: 80, movies: 90, count: 4000 }), ratingScale: scale }, { validFraction: 0.2, seed: 1 });

function weights(model: cf.Recommender): Float32Array[] {
  return model.model.getWeights().map((w) => w.dataSync() as Float32Array);
}

for (const l2Mode of ["dense", "batch"] as const) {
  test(`one worker thread computes exactly what the main thread does (l2Mode ${l2Mode})`, async () => {
    const build = () => cf.dotBiasModel(small, { factors: 8, l2: 1e-3, ratingRange: true, seed: 4 });
    const onMain = build();
    const history = await cf.train(onMain, small, { epochs: 1, learningRate: 1e-2, batchSize: 64, seed: 9, threads: 1, l2Mode, validation: false, ...quiet });

    // The same epoch, batches and step numbers, run by one worker over shared tables.
    const onWorker = build();
    const step = sparseStepFor(onWorker.model, { optimizer: "adam", target: onWorker.spec.target, loss: () => { throw new Error("unused"); }, outputWeight: onWorker.spec.lossWeights[0], mode: "sparse" });
    step.begin();
    step.l2Mode = l2Mode;
    const pool = HogwildPool.start(step, small.train, 1);
    try {
      const order = shuffledIndices(small.train.length, seededRandom(9));
      const run = await pool.epoch(order, { batchSize: 64, learningRate: 1e-2, l2Mode, divergenceFactor: 1000, firstLoss: undefined });
      step.finish();
      assert.equal(run.lossSum / small.train.length, history.final.loss);
    } finally {
      await pool.close();
    }
    assert.equal(step.steps, Math.ceil(small.train.length / 64));
    assert.deepEqual(weights(onWorker), weights(onMain));
  });
}

test("two and three threads converge to the single-thread validation RMSE on a seeded synthetic set", async () => {
  const data = cf.collabData({ name: "synthetic", ratings: lowRankRatings({ seed: 5, users: 300, movies: 200, count: 24000 }), ratingScale: scale }, { validFraction: 0.2, seed: 2 });
  const rmse: Record<number, number> = {};
  for (const threads of [1, 2, 3]) {
    const model = cf.dotBiasModel(data, { factors: 16, l2: 1e-4, ratingRange: true, seed: 6 });
    const history = await cf.train(model, data, { epochs: 6, learningRate: 1e-2, batchSize: 128, seed: 7, threads, ...quiet });
    rmse[threads] = history.final.valRmse;
    // What predict and evaluate read is what the threads trained.
    assert.equal(cf.evaluate(model, data).rmse, history.final.valRmse);
  }
  assert.ok(rmse[1] < cf.globalMeanRmse(data) - 0.1, `one thread learns: ${rmse[1]} vs global mean ${cf.globalMeanRmse(data)}`);
  for (const threads of [2, 3]) assert.ok(Math.abs(rmse[threads] - rmse[1]) < 0.01, `${threads} threads: ${rmse[threads]} against ${rmse[1]} on one`);
});

test("a threaded run continues the step count and trains on in a second call", async () => {
  const model = cf.dotBiasModel(small, { factors: 8, seed: 2 });
  await cf.train(model, small, { epochs: 1, learningRate: 1e-2, batchSize: 128, threads: 2, ...quiet });
  const step = sparseStepFor(model.model, { optimizer: "adam", target: model.spec.target, loss: () => { throw new Error("unused"); } });
  const batches = Math.ceil(small.train.length / 128);
  assert.equal(step.steps, batches);
  const h = await cf.train(model, small, { epochs: 2, learningRate: 1e-2, batchSize: 128, seed: 1, ...quiet });
  assert.equal(step.steps, 3 * batches, "the single-thread call carried on from the threads' count");
  assert.ok(h.final.valRmse < cf.globalMeanRmse(small));
});

test("a diverging threaded run stops with the same error as one thread", async () => {
  const model = cf.dotBiasModel(small, { factors: 8, seed: 2 });
  await assert.rejects(cf.train(model, small, { epochs: 2, learningRate: 1e9, optimizer: "sgd", batchSize: 64, threads: 2, ...quiet }), /train: the loss .* at epoch 1, batch \d+: training diverged with learningRate 1000000000/);
});

test("threads and l2Mode options: clear errors for what can't run", async () => {
  const dot = cf.dotBiasModel(small, { factors: 4, seed: 1 });
  await assert.rejects(cf.train(dot, small, { epochs: 1, threads: 0, ...quiet }), /threads must be a positive integer or "auto", got 0/);
  await assert.rejects(cf.train(dot, small, { epochs: 1, threads: 1.5, ...quiet }), /threads must be a positive integer or "auto", got 1.5/);
  await assert.rejects(cf.train(dot, small, { epochs: 1, l2Mode: "lazy" as never, ...quiet }), /l2Mode must be "dense" or "batch", got "lazy"/);
  await assert.rejects(cf.train(dot, small, { epochs: 1, step: "dense", l2Mode: "batch", ...quiet }), /l2Mode "batch" is the sparse step's; step "dense"/);
  await assert.rejects(cf.train(dot, small, { epochs: 1, step: "dense", threads: 2, ...quiet }), /threads 2 needs the sparse step of a dot product or dot\+bias model/);
  const net = cf.neuralNetModel(small, { factors: 4, hidden: [8], seed: 1 });
  await assert.rejects(cf.train(net, small, { epochs: 1, threads: 2, ...quiet }), /threads 2 needs the sparse step .*; '.*' trains with threads: 1/);
  // "auto" quietly stays on one thread where threads can't run or don't pay.
  assert.equal((await cf.train(net, small, { epochs: 1, threads: "auto", ...quiet })).length, 1);
});

test("defaults: one thread and Keras's L2 at the lessons' sizes or with a seed; threads and batch L2 at scale", () => {
  const dot = cf.dotBiasModel(small, { factors: 4, seed: 1 });
  const step = sparseStepFor(dot.model, { optimizer: "adam", target: dot.spec.target, loss: () => { throw new Error("unused"); } });
  step.begin();
  assert.equal(chooseThreads(undefined, true, 25_000_000, step, "dot+bias"), 1, "a seed keeps the exact run");
  assert.equal(chooseThreads(undefined, false, 100_000, step, "dot+bias"), 1, "lessons-sized data stays on one thread");
  assert.ok(chooseThreads(undefined, false, LARGE_TRAINING_SET, step, "dot+bias") >= 1);
  assert.equal(chooseThreads("auto", false, 25_000_000, undefined, "neural net"), 1);
  assert.equal(chooseThreads(4, false, 100, step, "dot+bias"), 4);
  assert.equal(chooseL2Mode(undefined, "sparse", 100_000), "dense");
  assert.equal(chooseL2Mode(undefined, "sparse", LARGE_TRAINING_SET), "batch");
  assert.equal(chooseL2Mode(undefined, "dense", 25_000_000), "dense");
  assert.equal(chooseL2Mode("dense", "sparse", 25_000_000), "dense");
});

test("L2 mode \"batch\" pulls a row once per step it is in; \"dense\" adds the pulls it missed", () => {
  const table = { values: Float32Array.of(1, 2, 3, 4), width: 2, rows: 2, l2: 0.5, input: 0 };
  const rows = Int32Array.of(1);
  for (const [mode, expected] of [["batch", [3, 4]], ["dense", [30, 40]]] as const) {
    const grads = new Float32Array(2);
    const penalisedAt = new Int32Array(2); // row 1 last penalised at step 0: step 10 missed 9 pulls
    const penalty = addL2(table, rows, 1, grads, penalisedAt, 10, mode);
    assert.deepEqual(Array.from(grads), expected); // 2 * l2 * w, times 10 steps in dense mode
    assert.equal(penalty, 0.5 * (9 + 16));
    assert.equal(penalisedAt[1], 10);
  }
});

test("switching a model from l2Mode batch back to dense owes no pulls for the batch-mode steps", async () => {
  const model = cf.dotBiasModel(small, { factors: 4, l2: 1e-2, seed: 1 });
  await cf.train(model, small, { epochs: 2, learningRate: 1e-2, batchSize: 64, seed: 1, l2Mode: "batch", ...quiet });
  const after = await cf.train(model, small, { epochs: 1, learningRate: 1e-2, batchSize: 64, seed: 2, l2Mode: "dense", ...quiet });
  assert.ok(Number.isFinite(after.final.valRmse) && after.final.valRmse < cf.globalMeanRmse(small));
});
