import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { selectBackend, dotBiasModel, hybridModel, neuralNetModel, oneHotNetModel, train, saveRecommender, loadRecommender, Recommender } from "../src";
import { encodeRatings, fitEncoders } from "../src/prep";
import { lowRankRatings } from "./synthetic";
import { tempDir, writeFiles } from "./helpers";

const data = lowRankRatings({ count: 1500, seed: 5 });
const encoders = fitEncoders(data);
const modelData = { encoders };
const all = encodeRatings(data, encoders);

const cases: [string, () => Recommender][] = [
  ["dot+bias with sigmoid range (a custom layer)", () => dotBiasModel(modelData, { factors: 6, ratingRange: [1, 5], seed: 1, target: { shift: 3, scale: 1.2 } })],
  ["hybrid (two outputs)", () => hybridModel(modelData, { factors: 6, seed: 1 })],
  ["NN with batch norm and dropout", () => neuralNetModel(modelData, { factors: 6, hidden: [8], batchNorm: true, seed: 1 })],
  ["one-hot dense net", () => oneHotNetModel(modelData, { factors: 6, hidden: [8], seed: 1 })],
];

test("setup", async () => {
  await selectBackend({ quiet: true });
});

for (const [name, build] of cases) {
  test(`${name}: save -> load gives identical predictions, encoders and spec`, async () => {
    const rec = build();
    await train(rec, all, { epochs: 2, learningRate: 0.01, batchSize: 256, progress: false, log: false });
    const dir = path.join(tempDir(), "model");
    await saveRecommender(rec, dir);
    assert.deepEqual(fs.readdirSync(dir).sort(), ["model.json", "recommender.json", "weights.bin"]);
    const loaded = await loadRecommender(dir);
    assert.deepEqual(loaded.spec, rec.spec);
    assert.deepEqual(loaded.encoders.movies.toJSON(), rec.encoders.movies.toJSON());
    const users = Array.from(data.userIds.subarray(0, 300));
    const movies = Array.from(data.movieIds.subarray(0, 300));
    assert.deepEqual(loaded.predict(users, movies), rec.predict(users, movies));
  });
}

test("saving over an earlier save replaces it whole and leaves no temporary folders", async () => {
  const parent = tempDir();
  const dir = path.join(parent, "model");
  const first = dotBiasModel(modelData, { factors: 4, seed: 1 });
  const second = dotBiasModel(modelData, { factors: 4, seed: 2 });
  await saveRecommender(first, dir);
  await saveRecommender(second, dir);
  assert.deepEqual(fs.readdirSync(parent), ["model"]);
  const loaded = await loadRecommender(dir);
  assert.deepEqual(loaded.predict([data.userIds[0]], [data.movieIds[0]]), second.predict([data.userIds[0]], [data.movieIds[0]]));
});

test("loading a folder that isn't a saved model says what is missing", async () => {
  const dir = tempDir();
  await assert.rejects(loadRecommender(dir), new RegExp(`${path.join(dir, "recommender.json")}: missing`));
});

const snapshot = (dir: string) => Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), "utf8")]));

test("saving over a file, a folder of other files or a save holding extra files is refused, naming the path, and nothing is touched", async () => {
  const model = dotBiasModel(modelData, { factors: 4, seed: 1 });
  const parent = writeFiles({ "notes.txt": "my notes", "work/thesis.tex": "chapter 1", "model/recommender.json": "{}", "model/mine.txt": "keep" });
  const before = { work: snapshot(path.join(parent, "work")), model: snapshot(path.join(parent, "model")) };
  await assert.rejects(saveRecommender(model, path.join(parent, "notes.txt")), new RegExp(`${path.join(parent, "notes.txt")} exists and is not a folder`));
  await assert.rejects(saveRecommender(model, path.join(parent, "work")), new RegExp(`${path.join(parent, "work")} is a folder saveRecommender didn't write`));
  await assert.rejects(saveRecommender(model, path.join(parent, "model")), /is a folder saveRecommender didn't write/);
  assert.equal(fs.readFileSync(path.join(parent, "notes.txt"), "utf8"), "my notes");
  assert.deepEqual({ work: snapshot(path.join(parent, "work")), model: snapshot(path.join(parent, "model")) }, before);
  assert.deepEqual(fs.readdirSync(parent).sort(), ["model", "notes.txt", "work"]);
});

test("saving to '.', '' or a folder holding the working folder is refused and deletes nothing", async () => {
  const model = dotBiasModel(modelData, { factors: 4, seed: 1 });
  const parent = writeFiles({ "project/src/a.ts": "x", "project/model/.keep": "" });
  const saved = process.cwd();
  process.chdir(path.join(parent, "project"));
  try {
    await assert.rejects(saveRecommender(model, "."), new RegExp(`refusing to save over ${path.join(parent, "project")}: it is the working folder`));
    await assert.rejects(saveRecommender(model, ""), /the folder name is empty/);
    await assert.rejects(saveRecommender(model, ".."), new RegExp(`refusing to save over ${parent}: it is the working folder or holds it`));
    assert.equal(fs.readFileSync(path.join(parent, "project/src/a.ts"), "utf8"), "x");
    // An empty folder is fine to save into.
    fs.rmSync(path.join(parent, "project/model/.keep"));
    await saveRecommender(model, "model");
    assert.deepEqual(fs.readdirSync(path.join(parent, "project/model")).sort(), ["model.json", "recommender.json", "weights.bin"]);
  } finally {
    process.chdir(saved);
  }
});

test("a process killed between the two renames of a save leaves a save that the next load restores", async () => {
  const dir = path.join(tempDir(), "model");
  const first = dotBiasModel(modelData, { factors: 4, seed: 1 });
  await saveRecommender(first, dir);
  // A second save in another process, killed right after the earlier save was moved aside.
  const script = `const fs = require("node:fs"); const cf = require(${JSON.stringify(path.resolve(__dirname, "../src"))});
    const prep = require(${JSON.stringify(path.resolve(__dirname, "../src/prep"))});
    const { lowRankRatings } = require(${JSON.stringify(path.resolve(__dirname, "synthetic"))});
    (async () => {
      await cf.selectBackend({ quiet: true });
      const model = cf.dotBiasModel({ encoders: prep.fitEncoders(lowRankRatings({ count: 1500, seed: 5 })) }, { factors: 4, seed: 2 });
      const rename = fs.renameSync;
      fs.renameSync = (from, to) => { if (from.endsWith(".tmp")) process.kill(process.pid, "SIGKILL"); rename(from, to); };
      await cf.saveRecommender(model, ${JSON.stringify(dir)});
    })();`;
  const child = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { encoding: "utf8", env: { ...process.env, CF_BACKEND: "" } });
  assert.equal(child.signal, "SIGKILL", child.stderr);
  assert.equal(fs.existsSync(dir), false, "the kill came between the renames");
  const loaded = await loadRecommender(dir);
  const users = Array.from(data.userIds.subarray(0, 50));
  const movies = Array.from(data.movieIds.subarray(0, 50));
  assert.deepEqual(loaded.predict(users, movies), first.predict(users, movies));
  assert.deepEqual(fs.readdirSync(dir).sort(), ["model.json", "recommender.json", "weights.bin"]);
  // The next save replaces it and clears what the killed run left.
  await saveRecommender(first, dir);
  assert.deepEqual(fs.readdirSync(path.dirname(dir)), ["model"]);
});

test("a save whose ids, spec or weights don't belong together is refused on load, naming the file", async () => {
  const parent = tempDir();
  const save = async (name: string, seed: number) => {
    const dir = path.join(parent, name);
    await saveRecommender(dotBiasModel(modelData, { factors: 4, seed }), dir);
    return dir;
  };
  const edit = async (name: string, change: (meta: { userIds: number[]; movieIds: number[]; spec: { target: { shift: number } } }) => void) => {
    const dir = await save(name, 1);
    const file = path.join(dir, "recommender.json");
    const meta = JSON.parse(fs.readFileSync(file, "utf8"));
    change(meta);
    fs.writeFileSync(file, JSON.stringify(meta));
    return dir;
  };
  const fewer = await edit("fewer", (meta) => meta.userIds.pop());
  await assert.rejects(loadRecommender(fewer), new RegExp(`${path.join(fewer, "recommender.json")}: ${encoders.users.size - 1} user ids, but the model's user_embedding table has ${encoders.users.size} rows`));
  const reordered = await edit("reordered", (meta) => meta.movieIds.splice(0, 2, meta.movieIds[1], meta.movieIds[0]));
  await assert.rejects(loadRecommender(reordered), /recommender\.json: the ids or spec were edited after saving/);
  const target = await edit("target", (meta) => (meta.spec.target.shift += 1));
  await assert.rejects(loadRecommender(target), /recommender\.json: the ids or spec were edited after saving/);
  const mixed = await save("mixed", 1);
  fs.copyFileSync(path.join(await save("other", 2), "weights.bin"), path.join(mixed, "weights.bin"));
  await assert.rejects(loadRecommender(mixed), new RegExp(`${path.join(mixed, "weights.bin")}: its checksum doesn't match recommender.json`));
  const broken = await save("broken", 1);
  fs.writeFileSync(path.join(broken, "model.json"), '{"modelTopology": ');
  await assert.rejects(loadRecommender(broken), new RegExp(`${path.join(broken, "model.json")}: not valid JSON`));
});

test("loadRecommender in a fresh process selects the backend CF_BACKEND names before loading (no selectBackend call)", async () => {
  const dir = path.join(tempDir(), "model");
  const model = dotBiasModel(modelData, { factors: 4, seed: 3 });
  await saveRecommender(model, dir);
  const script = `require(${JSON.stringify(path.resolve(__dirname, "../src"))}).loadRecommender(${JSON.stringify(dir)})
    .then((m) => console.log("prediction=" + m.predict([${data.userIds[0]}], [${data.movieIds[0]}])[0].toFixed(5) + " tf=" + require("@tensorflow/tfjs").getBackend()), (e) => console.log("error=" + e.message));`;
  const child = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { encoding: "utf8", env: { ...process.env, CF_BACKEND: "cpu" } });
  assert.match(child.stdout, /tfjs backend 'cpu' \(forced/);
  assert.match(child.stdout, new RegExp(`prediction=${model.predict([data.userIds[0]], [data.movieIds[0]])[0].toFixed(5)} tf=cpu`));
});
