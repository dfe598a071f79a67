import { test } from "node:test";
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { zipSync, strToU8 } from "fflate";
import { loadMovieLensOr } from "../src/data";
import { MIRROR, tempDir, writeFiles } from "./helpers";

/** A mirror folder holding only a tiny ml-1m release made here. */
function mirrorWith1m(ratingsDat: string): string {
  const zip = zipSync({
    "ml-1m/ratings.dat": strToU8(ratingsDat),
    "ml-1m/movies.dat": strToU8("10::GoldenEye (1995)::Action|Adventure|Thriller\n"),
  });
  const digest = createHash("md5").update(zip).digest("hex");
  return writeFiles({ "ml-1m.zip": Buffer.from(zip), "ml-1m.zip.md5": `${digest}\n` });
}

test("falls back to ml-100k with a note when ml-1m is not in the mirror", async () => {
  const notes: string[] = [];
  const ml = await loadMovieLensOr(["ml-1m", "ml-100k"], { baseUrl: `file://${MIRROR}`, dataDir: tempDir(), progress: false, note: (m) => notes.push(m) });
  assert.equal(ml.name, "ml-100k");
  assert.equal(ml.ratings.length, 100_000);
  assert.equal(notes.length, 1);
  assert.match(notes[0], /^note: ml-1m is not available \(.*ml-1m\.zip\.md5 not found.*\); falling back to ml-100k$/);
});

test("uses the first release when it can be fetched, without a note", async () => {
  const notes: string[] = [];
  const ml = await loadMovieLensOr(["ml-1m", "ml-100k"], { baseUrl: mirrorWith1m("1::10::5::978300760\n"), dataDir: tempDir(), progress: false, note: (m) => notes.push(m) });
  assert.equal(ml.name, "ml-1m");
  assert.equal(ml.ratings.length, 1);
  assert.deepEqual(notes, []);
});

test("a release that downloads but does not parse is an error, not a fallback", async () => {
  await assert.rejects(
    loadMovieLensOr(["ml-1m", "ml-100k"], { baseUrl: mirrorWith1m("1::10::five::978300760\n"), dataDir: tempDir(), progress: false, note: () => {} }),
    /ml-1m\/ratings\.dat:1: rating must be a number/,
  );
});

test("when nothing can be fetched the error lists every release and why", async () => {
  const empty = writeFiles({ "README.txt": "no releases here" });
  await assert.rejects(
    loadMovieLensOr(["ml-1m", "ml-100k"], { baseUrl: empty, dataDir: tempDir(), progress: false, note: () => {} }),
    /none of ml-1m, ml-100k could be fetched:\n  ml-1m: .*ml-1m\.zip\.md5 not found.*\n  ml-100k: .*ml-100k\.zip\.md5 not found/,
  );
  await assert.rejects(loadMovieLensOr([]), /at least one dataset name/);
});
