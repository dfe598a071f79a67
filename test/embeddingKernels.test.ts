import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { gatherRows, segmentSum, useFastEmbeddingKernels, useStockEmbeddingKernels } from "../src/backend";
import { seededRandom } from "../src/prep";

function randomCase(seed: number) {
  const random = seededRandom(seed);
  const rows = 500, width = 7, segments = 40;
  const values = Float32Array.from({ length: rows * width }, () => random() * 2 - 1);
  const ids = Int32Array.from({ length: rows }, () => Math.floor(random() * segments));
  return { rows, width, segments, values, ids };
}

async function onBackend<T>(name: "cpu" | "wasm", fast: boolean, run: () => T): Promise<T> {
  assert.ok(await tf.setBackend(name));
  if (fast) useFastEmbeddingKernels(name);
  else useStockEmbeddingKernels(name);
  // Results are plain arrays (arraySync), so only the tensors made inside need tidying.
  let result: T | undefined;
  tf.tidy(() => {
    result = run();
  });
  return result as T;
}

test("segmentSum adds every row into its segment and drops out-of-range ids", () => {
  const out = segmentSum(Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8), 2, Int32Array.of(1, 0, 1, 5), 2, "float32");
  assert.deepEqual(Array.from(out), [3, 4, 1 + 5, 2 + 6]);
});

test("gatherRows copies whole rows and rejects an index outside the table", () => {
  assert.deepEqual(Array.from(gatherRows(Float32Array.of(1, 2, 3, 4, 5, 6), 2, [2, 0, 2], "float32")), [5, 6, 1, 2, 5, 6]);
  assert.throws(() => gatherRows(Float32Array.of(1, 2), 2, [1], "float32"), /index value 1/);
});

for (const backend of ["cpu", "wasm"] as const) {
  test(`${backend}: fast UnsortedSegmentSum matches the stock cpu kernel on random input`, async () => {
    const c = randomCase(7);
    const compute = () => tf.unsortedSegmentSum(tf.tensor2d(c.values, [c.rows, c.width]), tf.tensor1d(c.ids, "int32"), c.segments).arraySync();
    const stock = await onBackend("cpu", false, compute);
    const fast = await onBackend(backend, true, compute);
    const a = (stock as number[][]).flat(), b = (fast as number[][]).flat();
    assert.equal(b.length, c.segments * c.width);
    a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) < 1e-4, `element ${i}: ${x} vs ${b[i]}`));
  });

  test(`${backend}: embedding gradient through fast gather equals the stock one`, async () => {
    const c = randomCase(11);
    const grad = () => {
      const table = tf.tensor2d(c.values.subarray(0, c.segments * c.width), [c.segments, c.width]);
      const ids = tf.tensor1d(c.ids, "int32");
      const weights = tf.tensor2d(c.values.subarray(0, c.rows * c.width), [c.rows, c.width]);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), weights)))(table);
      return { value: tf.gather(table, ids).arraySync() as number[][], grad: g.arraySync() as number[][] };
    };
    const stock = await onBackend("cpu", false, grad);
    const fast = await onBackend(backend, true, grad);
    assert.deepEqual(fast.value, stock.value);
    stock.grad.flat().forEach((x, i) => assert.ok(Math.abs(x - fast.grad.flat()[i]) < 1e-4));
  });
}

test("gather along another axis falls back to the stock kernel", async () => {
  const out = await onBackend("wasm", true, () => tf.gather(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor1d([1, 0], "int32"), 1).arraySync());
  assert.deepEqual(out, [[2, 1], [4, 3]]);
});
