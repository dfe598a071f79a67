import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

// Each case runs in its own process: the backend is chosen once per process.
function select(env: Record<string, string>, prefer?: string) {
  const script = `require(${JSON.stringify(path.resolve(__dirname, "../src/backend"))}).selectBackend(${prefer ? `{prefer:"${prefer}"}` : ""})
    .then(() => console.log("tf=" + require("@tensorflow/tfjs").getBackend()), (e) => { console.log("error=" + e.message); });`;
  const result = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { env: { ...process.env, ...env }, encoding: "utf8" });
  return result.stdout;
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
