import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const BACKEND = JSON.stringify(path.resolve(__dirname, "../src/backend"));

/** Runs `body` (an async function body with `b` = src/backend, `tf` = tfjs) in a fresh process: the backend is chosen once per process. */
function inChild(env: Record<string, string>, body: string): string {
  const script = `const b = require(${BACKEND}); const tf = require("@tensorflow/tfjs");
    (async () => { ${body} })().catch((e) => console.log("error=" + e.message));`;
  const result = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { env: { ...process.env, ...env }, encoding: "utf8" });
  return result.stdout + result.stderr;
}

function select(env: Record<string, string>, prefer?: string) {
  return inChild(env, `await b.selectBackend(${prefer ? `{prefer:"${prefer}"}` : ""}); console.log("tf=" + tf.getBackend());`);
}

test("without native bindings the best backend is wasm, and it says so", () => {
  const out = select({ CF_BACKEND: "" });
  assert.match(out, /tfjs backend 'wasm' \(best available\)/);
  assert.match(out, /tf=wasm/);
});

test("CF_BACKEND forces a backend", () => {
  const out = select({ CF_BACKEND: "cpu" });
  assert.match(out, /tfjs backend 'cpu' \(forced/);
  assert.match(out, /tf=cpu/);
});

test("an unknown CF_BACKEND is an error listing the choices", () => {
  assert.match(select({ CF_BACKEND: "gpu" }), /error=CF_BACKEND=gpu is not a backend; use one of tensorflow-gpu, tensorflow, wasm, cpu/);
});

test("forcing native TensorFlow that isn't installed fails with a hint, not a silent fallback", () => {
  // danfojs-node's alias puts plain tfjs at @tensorflow/tfjs-node: that must not count as native.
  assert.match(select({ CF_BACKEND: "" }, "tensorflow"), /error=tfjs backend 'tensorflow' could not be started \(is @tensorflow\/tfjs-node installed\?\)/);
});

test("ensureBackend selects once, honouring CF_BACKEND, and later calls get the same backend", () => {
  const out = inChild({ CF_BACKEND: "cpu" }, `const a = await b.ensureBackend(); const c = await b.ensureBackend(); console.log("same=" + (a === c) + " tf=" + tf.getBackend());`);
  assert.equal(out.match(/tfjs backend/g)?.length, 1, out);
  assert.match(out, /same=true tf=cpu/);
});

test("a second selectBackend asking for another backend is an error; asking for the running one is not", () => {
  const out = inChild({ CF_BACKEND: "" }, `await b.selectBackend({ prefer: "cpu", quiet: true }); await b.selectBackend({ prefer: "cpu" });
    console.log("again=" + tf.getBackend()); await b.selectBackend({ prefer: "wasm" }); console.log("no error");`);
  assert.match(out, /again=cpu/);
  assert.match(out, /error=selectBackend: the 'cpu' backend is already running; it can't be switched to 'wasm'/);
  assert.doesNotMatch(out, /no error/);
});

test("ensureBackendSync without a selection starts cpu with the fast kernels, says so once, and tensors work", () => {
  const out = inChild({ CF_BACKEND: "" }, `b.ensureBackendSync(); b.ensureBackendSync();
    const g = tf.grad((t) => tf.gather(t, tf.tensor1d([0, 0, 2], "int32")).sum())(tf.ones([3, 2]));
    console.log("tf=" + tf.getBackend() + " grad=" + g.dataSync().join(",") + " kernel=" + tf.getKernel("UnsortedSegmentSum", "cpu").kernelFunc.name);
    console.log("info=" + (await b.selectBackend()).choice);`);
  assert.equal(out.match(/tfjs backend 'cpu' \(started on first use; `await cf\.selectBackend\(\)` before it picks the fastest/g)?.length, 1, out);
  assert.match(out, /tf=cpu grad=2,2,0,0,1,1 kernel=segmentSumKernel/);
  assert.match(out, /info=cpu/);
});

test("ensureBackendSync with CF_BACKEND naming an asynchronous backend says to select it first", () => {
  const out = inChild({ CF_BACKEND: "wasm" }, `try { b.ensureBackendSync(); console.log("no error"); } catch (e) { console.log("error=" + e.message); }`);
  assert.match(out, /error=CF_BACKEND=wasm needs an asynchronous start: run `await cf.selectBackend\(\)` before this call/);
});
