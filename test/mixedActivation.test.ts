import { test } from "node:test";
import * as assert from "node:assert/strict";
import { selectBackend, collabData, mixedBiasNetModel, projectedDotModel, Recommender } from "../src";
import { lowRankRatings } from "./synthetic";

const data = collabData({ name: "synthetic", ratings: lowRankRatings() }, { validFraction: 0.2, seed: 3 });
const users = Int32Array.from([0, 1, 2, 3]);
const movies = Int32Array.from([3, 2, 1, 0]);

/** The first weight of a named layer (an embedding table) as nested arrays. */
const table = (rec: Recommender, name: string) => rec.model.getLayer(name).getWeights()[0].arraySync() as number[][];
/** A dense layer's kernel (in x out) and bias. */
function dense(rec: Recommender, name: string): { kernel: number[][]; bias: number[] } {
  const [kernel, bias] = rec.model.getLayer(name).getWeights();
  return { kernel: kernel.arraySync() as number[][], bias: bias.arraySync() as number[] };
}
/** x W + c for a row vector x. */
const affine = (x: number[], { kernel, bias }: { kernel: number[][]; bias: number[] }) => bias.map((c, j) => c + x.reduce((s, xi, i) => s + xi * kernel[i][j], 0));

test("setup", async () => {
  await selectBackend({ quiet: true });
});

test("projectedDotModel with linear projections is (W e_u + c) . (W' e_m + c') + biases + mean, by hand", () => {
  const rec = projectedDotModel(data, { factors: 4, projection: 3, activation: "linear", seed: 7 });
  const userTable = table(rec, "user_embedding");
  const movieTable = table(rec, "movie_embedding");
  const userBias = table(rec, "user_bias");
  const movieBias = table(rec, "movie_bias");
  const predicted = rec.predictIndices(users, movies);
  users.forEach((u, i) => {
    const m = movies[i];
    const pu = affine(userTable[u], dense(rec, "user_projection"));
    const pm = affine(movieTable[m], dense(rec, "movie_projection"));
    const score = pu.reduce((s, x, j) => s + x * pm[j], 0) + userBias[u][0] + movieBias[m][0];
    assert.ok(Math.abs(predicted[i] - (data.globalMean + score)) < 1e-5, `pair ${i}: ${predicted[i]} vs ${data.globalMean + score}`);
  });
  assert.ok(users.some((u, i) => affine(userTable[u], dense(rec, "user_projection")).some((x) => x < 0)), "a linear projection keeps negative values");
});

test("the activation option reaches the layers; relu stays the default", () => {
  const activation = (rec: Recommender, name: string) => (rec.model.getLayer(name).getConfig() as { activation: string }).activation;
  assert.equal(activation(projectedDotModel(data, { factors: 4, projection: 3, seed: 1 }), "user_projection"), "relu");
  assert.equal(activation(projectedDotModel(data, { factors: 4, projection: 3, activation: "linear", seed: 1 }), "movie_projection"), "linear");
  assert.equal(activation(mixedBiasNetModel(data, { factors: 4, biasFactors: 3, hidden: [5], seed: 1 }), "bias_net_0"), "relu");
  assert.equal(activation(mixedBiasNetModel(data, { factors: 4, biasFactors: 3, hidden: [5], activation: "linear", seed: 1 }), "bias_net_0"), "linear");
});
