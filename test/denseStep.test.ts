// step "dense" (the sparse step's gradients, then every row of every table updated in one pass)
// against tfjs's own dense step (step "tfjs": optimizer.minimize over every weight): the same
// training, to float tolerance, for every model kind, optimizer and with or without L2.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as cf from "../src";
import { sparseStepFor } from "../src/train/sparse/sparseStep";
import { OPTIMIZER_NAMES, OptimizerName } from "../src/train/sparse/rowOptimizers";
import { lowRankRatings } from "./synthetic";

// 400 ratings of 40 x 60: batches of 64 leave many rows out, so the rows no batch holds must
// move as dense Adam and L2 move them.
const ratings = lowRankRatings({ seed: 11, users: 40, movies: 60, count: 400 });
const data = cf.collabData({ name: "synthetic", ratings, ratingScale: { min: 1, max: 5, step: 0.5 } }, { split: "none" });
const quiet = { progress: false, log: false, trainMetrics: false, validation: false } as const;

type Build = (options: { l2?: number; seed: number }) => cf.Recommender;
/** Every model kind the sparse step supports; dropout off so both runs see the same network. */
const KINDS: [string, Build][] = [
  ["dot product", (o) => cf.dotProductModel(data, { factors: 4, ...o })],
  ["dot + bias", (o) => cf.dotBiasModel(data, { factors: 4, ...o })],
  ["dot + bias, sigmoid range", (o) => cf.dotBiasModel(data, { factors: 4, ratingRange: true, ...o })],
  ["neural net", (o) => cf.neuralNetModel(data, { factors: 4, hidden: [6, 5], dropout: 0, ...o })],
  ["neural net, batch norm", (o) => cf.neuralNetModel(data, { factors: 4, hidden: [6], dropout: 0, batchNorm: true, ...o })],
  ["linear", (o) => cf.linearModel(data, { factors: 4, ratingRange: true, ...o })],
  ["hybrid, two weighted losses", (o) => cf.hybridModel(data, { factors: 4, lossWeights: [0.2, 1], ...o })],
  ["mixed bias net", (o) => cf.mixedBiasNetModel(data, { factors: 4, hidden: [3], ...o })],
  ["projected dot", (o) => cf.projectedDotModel(data, { factors: 4, ...o })],
  ["dot + bias from pretrained", (o) => cf.dotBiasFromPretrained(cf.neuralNetModel(data, { factors: 4, dropout: 0, seed: o.seed + 1 }), o)],
];

const RATES: Record<OptimizerName, number> = { adam: 1e-2, sgd: 0.1, rmsprop: 1e-2, adagrad: 0.1 };

function weightsOf(recommender: cf.Recommender): Map<string, Float32Array> {
  return new Map(recommender.model.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
}

/** Largest difference between two models' weights, relative to 1 + |w|. */
function largestDifference(a: cf.Recommender, b: cf.Recommender): { name: string; difference: number } {
  const wb = weightsOf(b);
  let worst = { name: "", difference: 0 };
  for (const [name, values] of weightsOf(a)) {
    const other = wb.get(name)!;
    assert.equal(other.length, values.length, name);
    for (let i = 0; i < values.length; i++) {
      const difference = Math.abs(values[i] - other[i]) / (1 + Math.abs(other[i]));
      if (!(difference <= worst.difference)) worst = { name: `${name}[${i}]`, difference };
    }
  }
  return worst;
}

async function trained(build: Build, l2: number, optimizer: OptimizerName, step: "dense" | "tfjs" | "sparse") {
  const model = build({ l2, seed: 5 });
  const history = await cf.train(model, data, { epochs: 2, learningRate: RATES[optimizer], batchSize: 64, optimizer, step, seed: 3, ...quiet });
  return { model, losses: history.loss };
}

for (const [kind, build] of KINDS) {
  test(`${kind}: the dense step trains as tfjs's dense step (every optimizer, with and without L2)`, async () => {
    for (const optimizer of OPTIMIZER_NAMES) {
      for (const l2 of [0, 0.01]) {
        const label = `${optimizer}, L2 ${l2}`;
        const ours = await trained(build, l2, optimizer, "dense");
        const reference = await trained(build, l2, optimizer, "tfjs");
        const steps = sparseStepFor(ours.model.model, { optimizer, target: ours.model.spec.target, loss: () => { throw new Error("unused"); }, mode: "dense" }).steps;
        assert.equal(steps, 2 * Math.ceil(data.train.length / 64), `${label}: the dense step ran every batch`);
        const { name, difference } = largestDifference(ours.model, reference.model);
        assert.ok(difference < 1e-5, `${label}: ${name} differs by ${difference}`);
        ours.losses.forEach((loss, e) => assert.ok(Math.abs(loss - reference.losses[e]) <= 1e-4 * (1 + loss), `${label}: epoch ${e + 1} loss ${loss} vs ${reference.losses[e]}`));
      }
    }
  });
}

test("dense Adam moves the rows no batch held, as lazy Adam does not", async () => {
  const build: Build = (o) => cf.dotBiasModel(data, { factors: 4, ...o });
  const dense = await trained(build, 0, "adam", "dense");
  const lazy = await trained(build, 0, "adam", "sparse");
  assert.ok(largestDifference(dense.model, lazy.model).difference > 1e-3, "dense and lazy Adam trained alike: the test batches touch every row");
});
