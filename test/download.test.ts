import { test } from "node:test";
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { zipSync, strToU8 } from "fflate";
import { downloadDataset, parseMd5, resolveBaseUrl } from "../src/data";
import { MIRROR, tempDir, writeFiles } from "./helpers";

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");

/** A mirror folder holding an ml-1m.zip made here (ml-1m isn't in the shared mirror). */
function fakeMirror(zip: Uint8Array, digest = md5(zip)): string {
  return writeFiles({ "ml-1m.zip": Buffer.from(zip), "ml-1m.zip.md5": `MD5 (ml-1m.zip) = ${digest}\n` });
}

const smallRelease = () =>
  zipSync({
    "ml-1m/ratings.dat": strToU8("1::10::5::978300760\n"),
    "ml-1m/movies.dat": strToU8("10::GoldenEye (1995)::Action|Adventure|Thriller\n"),
  });

test("downloads from the mirror, verifies the md5 and unpacks, leaving no temporary files", async () => {
  const dataDir = tempDir();
  const dir = await downloadDataset("ml-latest-small", { baseUrl: `file://${MIRROR}`, dataDir, progress: false });
  assert.equal(dir, path.join(dataDir, "ml-latest-small"));
  assert.ok(fs.statSync(path.join(dir, "ratings.csv")).size > 2_000_000);
  assert.deepEqual(fs.readdirSync(dataDir).sort(), ["ml-latest-small", "ml-latest-small.zip"]);
});

test("a second call uses the cache even when the source is gone", async () => {
  const mirror = fakeMirror(smallRelease());
  const dataDir = tempDir();
  await downloadDataset("ml-1m", { baseUrl: mirror, dataDir, progress: false });
  fs.rmSync(mirror, { recursive: true });
  const dir = await downloadDataset("ml-1m", { baseUrl: mirror, dataDir, progress: false });
  assert.equal(fs.readFileSync(path.join(dir, "movies.dat"), "latin1").trim(), "10::GoldenEye (1995)::Action|Adventure|Thriller");
});

test("a checksum mismatch is an error and leaves nothing in the cache", async () => {
  const mirror = fakeMirror(smallRelease(), "0".repeat(32));
  const dataDir = tempDir();
  await assert.rejects(downloadDataset("ml-1m", { baseUrl: mirror, dataDir, progress: false }), /checksum mismatch for file:.*ml-1m\.zip: expected MD5 0{32}, got [0-9a-f]{32}/);
  assert.deepEqual(fs.readdirSync(dataDir), []);
});

test("a truncated zip (with a matching md5) is reported and not half-extracted", async () => {
  const whole = smallRelease();
  const mirror = fakeMirror(whole.subarray(0, whole.length - 30));
  const dataDir = tempDir();
  await assert.rejects(downloadDataset("ml-1m", { baseUrl: mirror, dataDir, progress: false }), /ml-1m\.zip: not a readable zip \(truncated or corrupt\?\)/);
  assert.deepEqual(fs.readdirSync(dataDir), []);
});

test("being offline names the URL and how to use a local mirror", async () => {
  await assert.rejects(
    downloadDataset("ml-1m", { baseUrl: "http://movielens.invalid/datasets", dataDir: tempDir(), progress: false }),
    /cannot download http:\/\/movielens\.invalid\/datasets\/ml-1m\.zip\.md5: .*offline\? Set CF_MOVIELENS_URL/,
  );
});

test("a release missing from the mirror is named", async () => {
  await assert.rejects(downloadDataset("ml-1m", { baseUrl: tempDir(), dataDir: tempDir(), progress: false }), /ml-1m\.zip\.md5 not found/);
});

test("the base URL defaults to GroupLens, and CF_MOVIELENS_URL or a folder path override it", () => {
  const saved = process.env.CF_MOVIELENS_URL;
  delete process.env.CF_MOVIELENS_URL;
  assert.equal(resolveBaseUrl(), "https://files.grouplens.org/datasets/movielens");
  process.env.CF_MOVIELENS_URL = "file:///mirror/";
  assert.equal(resolveBaseUrl(), "file:///mirror");
  if (saved === undefined) delete process.env.CF_MOVIELENS_URL;
  else process.env.CF_MOVIELENS_URL = saved;
  assert.equal(resolveBaseUrl("/some/folder"), "file:///some/folder");
});

test("parseMd5 reads both .md5 styles and rejects text without a digest", () => {
  assert.equal(parseMd5("31A303AABBC519BD33D025E44D6C2570\n", "x"), "31a303aabbc519bd33d025e44d6c2570");
  assert.equal(parseMd5("MD5 (ml-25m.zip) = 6b51fb2759a8657d3bfcbfc42b592ada", "x"), "6b51fb2759a8657d3bfcbfc42b592ada");
  assert.throws(() => parseMd5("<html>not found</html>", "u.md5"), /u\.md5: no MD5 digest found/);
});
