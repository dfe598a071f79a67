// Saving while other processes load or save the same folder (issue 14, part 7): a load sees one
// save whole (or waits), and savers take turns instead of failing with raw ENOTEMPTY/ENOENT.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { collabData, dotBiasModel, loadRecommender, saveRecommender, selectBackend } from "../src";
import { acquireFolderLock, lockFileOf } from "../src/util/folderLock";
import { lowRankRatings } from "./synthetic";
import { tempDir } from "./helpers";

const WORKER = path.join(__dirname, "workers", "saveLoop.ts");
/** Time for a worker process to start (tsx, tfjs) before the workers' loops begin together. */
const STARTUP_MS = 10_000;

function runWorker(args: string[]): Promise<{ ok: number; failures: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WORKER, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`worker ${args.join(" ")} exited ${code}: ${out}\n${err}`));
      }
    });
  });
}

const data = collabData({ name: "synthetic", ratings: lowRankRatings({ count: 800, seed: 5 }) }, { split: "none" });

test("setup", async () => {
  await selectBackend({ quiet: true });
});

test("loads while another process saves in a loop all succeed: each sees one save whole", async () => {
  const dir = path.join(tempDir(), "model");
  await saveRecommender(dotBiasModel(data, { factors: 4, seed: 9 }), dir);
  const start = String(Date.now() + STARTUP_MS);
  const [saver, loader] = await Promise.all([runWorker(["save", dir, "1", start, "3"]), runWorker(["load", dir, "1", start, "3"])]);
  assert.deepEqual(saver.failures, []);
  assert.deepEqual(loader.failures, []);
  assert.ok(saver.ok > 5 && loader.ok > 5, `saves ${saver.ok}, loads ${loader.ok}`);
});

test("two processes saving to the same new folders take turns: both succeed and each folder holds one whole save", async () => {
  const parent = tempDir();
  const rounds = 15; // 3 s: five rounds a second
  const start = String(Date.now() + STARTUP_MS);
  const results = await Promise.all([runWorker(["saveNew", parent, "1", start, "3"]), runWorker(["saveNew", parent, "2", start, "3"])]);
  for (const result of results) assert.deepEqual(result.failures, []);
  const names = fs.readdirSync(parent).sort();
  assert.deepEqual(names, Array.from({ length: rounds }, (_, i) => `model-${i}`).sort()); // no lock, temporary or set-aside folders left
  for (const name of names) assert.equal((await loadRecommender(path.join(parent, name))).encoders.users.size, data.nUsers);
});

test("a save waits for the lock another process holds, and a stale lock of a dead process is taken over", async () => {
  const dir = path.join(tempDir(), "model");
  const release = await acquireFolderLock(dir, "test");
  let saved = false;
  const saving = saveRecommender(dotBiasModel(data, { factors: 4, seed: 1 }), dir).then(() => (saved = true));
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal(saved, false, "the save went ahead while the lock was held");
  release();
  await saving;
  assert.equal(saved, true);
  // A lock left by a process that no longer exists.
  fs.writeFileSync(lockFileOf(dir), JSON.stringify({ pid: 2 ** 22 + 12345, host: require("node:os").hostname(), since: Date.now() }));
  await saveRecommender(dotBiasModel(data, { factors: 4, seed: 2 }), dir);
  assert.equal(fs.existsSync(lockFileOf(dir)), false);
});

test("a load of a damaged save with no save under way fails at once, naming the file", async () => {
  const dir = path.join(tempDir(), "model");
  await saveRecommender(dotBiasModel(data, { factors: 4, seed: 1 }), dir);
  fs.appendFileSync(path.join(dir, "weights.bin"), Buffer.from([1, 2, 3, 4]));
  // Had it waited as if a save were under way, the error would say the folder "kept changing".
  await assert.rejects(loadRecommender(dir), /^Error: .*weights\.bin: its checksum doesn't match recommender\.json/);
});

test("recommender.json without userIds (or other fields) is named, not a TypeError", async () => {
  const dir = path.join(tempDir(), "model");
  await saveRecommender(dotBiasModel(data, { factors: 4, seed: 1 }), dir);
  const file = path.join(dir, "recommender.json");
  const meta = JSON.parse(fs.readFileSync(file, "utf8"));
  delete meta.userIds;
  fs.writeFileSync(file, JSON.stringify(meta));
  await assert.rejects(loadRecommender(dir), (error: Error) => {
    assert.match(error.message, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: userIds is missing`));
    assert.doesNotMatch(error.message, /TypeError|Cannot read/);
    return true;
  });
});

test("saving under a path blocked by a file names the folder and the cause, not a raw EEXIST", async () => {
  const parent = tempDir();
  fs.writeFileSync(path.join(parent, "models"), "a file");
  await assert.rejects(saveRecommender(dotBiasModel(data, { factors: 4, seed: 1 }), path.join(parent, "models", "m1")), /saveRecommender\(.*\): cannot create the folder .*models: a file \(not a folder\) is in the way/);
});
