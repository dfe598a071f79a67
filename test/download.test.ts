import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { zipSync, strToU8 } from "fflate";
import { downloadDataset, MANIFEST_NAME, parseMd5, resolveBaseUrl } from "../src/data";
import { MIRROR, mirrorTest, tempDir, writeFiles } from "./helpers";

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");
const quiet = { progress: false };

/** A mirror folder holding an ml-1m.zip made here (ml-1m isn't in the shared mirror). */
function fakeMirror(zip: Uint8Array, digest = md5(zip)): string {
  return writeFiles({ "ml-1m.zip": Buffer.from(zip), "ml-1m.zip.md5": `MD5 (ml-1m.zip) = ${digest}\n` });
}

const RATINGS = Array.from({ length: 200 }, (_, i) => `${1 + (i % 7)}::${10 + i}::${1 + (i % 5)}::978300760\n`).join("");
const MOVIES = "10::GoldenEye (1995)::Action|Adventure|Thriller\n11::American President, The (1995)::Comedy|Drama|Romance\n";

/** A small ml-1m release, stored uncompressed so a flipped byte changes content without breaking the zip. */
const smallRelease = () => zipSync({ "ml-1m/ratings.dat": strToU8(RATINGS), "ml-1m/movies.dat": strToU8(MOVIES) }, { level: 0 });

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), "latin1");

mirrorTest("downloads from the mirror, verifies the md5, unpacks and records what it verified, leaving no temporary files", async () => {
  const dataDir = tempDir();
  const dir = await downloadDataset("ml-latest-small", { baseUrl: `file://${MIRROR}`, dataDir, ...quiet });
  assert.equal(dir, path.join(dataDir, "ml-latest-small"));
  assert.ok(fs.statSync(path.join(dir, "ratings.csv")).size > 2_000_000);
  assert.deepEqual(fs.readdirSync(dataDir).sort(), ["ml-latest-small", "ml-latest-small.zip", "ml-latest-small.zip.md5"]);
  const manifest = JSON.parse(read(dir, MANIFEST_NAME));
  assert.equal(manifest.files["ratings.csv"].size, fs.statSync(path.join(dir, "ratings.csv")).size);
  assert.equal(manifest.files["ratings.csv"].sha256, createHash("sha256").update(fs.readFileSync(path.join(dir, "ratings.csv"))).digest("hex"));
  assert.equal(manifest.zip.md5, md5(fs.readFileSync(path.join(MIRROR, "ml-latest-small.zip"))));
});

test("a second call uses the cache even when the source is gone", async () => {
  const mirror = fakeMirror(smallRelease());
  const dataDir = tempDir();
  await downloadDataset("ml-1m", { baseUrl: mirror, dataDir, ...quiet });
  fs.rmSync(mirror, { recursive: true });
  const dir = await downloadDataset("ml-1m", { baseUrl: mirror, dataDir, ...quiet });
  assert.equal(read(dir, "movies.dat"), MOVIES);
});

test("the progress line in a notebook names the zip being downloaded, not a temporary file", async () => {
  // What a tslab kernel shows: a display whose text is replaced as the download goes.
  const lines: string[] = [];
  const tslab = require.resolve("tslab");
  const saved = require.cache[tslab];
  require.cache[tslab] = { exports: { newDisplay: () => ({ text: (line: string) => lines.push(line) }) } } as NodeJS.Module;
  (globalThis as { __tslab__?: unknown }).__tslab__ = {};
  try {
    await downloadDataset("ml-1m", { baseUrl: fakeMirror(smallRelease()), dataDir: tempDir(), progress: true });
  } finally {
    delete (globalThis as { __tslab__?: unknown }).__tslab__;
    if (saved) require.cache[tslab] = saved;
    else delete require.cache[tslab];
  }
  assert.match(lines.at(-1) ?? "", /^download ml-1m\.zip \[#+\] 100% 0\.0 MB$/);
});

test("a checksum mismatch is an error and leaves nothing in the cache", async () => {
  const mirror = fakeMirror(smallRelease(), "0".repeat(32));
  const dataDir = tempDir();
  await assert.rejects(downloadDataset("ml-1m", { baseUrl: mirror, dataDir, ...quiet }), /checksum mismatch for file:.*ml-1m\.zip: expected MD5 0{32}, got [0-9a-f]{32}/);
  assert.deepEqual(fs.readdirSync(dataDir), []);
});

test("a truncated zip (with a matching md5) is reported, fetched once more, not half-extracted, and removed so the next call fetches again", async () => {
  const whole = smallRelease();
  const mirror = fakeMirror(whole.subarray(0, whole.length - 30));
  const dataDir = tempDir();
  await assert.rejects(
    downloadDataset("ml-1m", { baseUrl: mirror, dataDir, ...quiet }),
    /ml-1m\.zip: not a readable zip \(truncated or corrupt\?\)[^]*matches its MD5 but cannot be used, twice; it was removed from the cache/,
  );
  assert.deepEqual(fs.readdirSync(dataDir), []);
});

test("an extracted file cut at a line boundary is noticed and repaired from the zip, without the source", async () => {
  const mirror = fakeMirror(smallRelease());
  const dataDir = tempDir();
  const dir = await downloadDataset("ml-1m", { baseUrl: mirror, dataDir, ...quiet });
  fs.rmSync(mirror, { recursive: true });
  fs.writeFileSync(path.join(dir, "ratings.dat"), RATINGS.slice(0, RATINGS.indexOf("\n", RATINGS.length / 2) + 1));
  await downloadDataset("ml-1m", { baseUrl: mirror, dataDir, ...quiet });
  assert.equal(read(dir, "ratings.dat"), RATINGS);
  assert.deepEqual(fs.readdirSync(dataDir).sort(), ["ml-1m", "ml-1m.zip", "ml-1m.zip.md5"]);
});

test("a flipped bit in the cached zip is caught by the md5 before extracting: it is downloaded again, or the error says so", async () => {
  const release = smallRelease();
  const mirror = fakeMirror(release);
  const dataDir = tempDir();
  const dir = await downloadDataset("ml-1m", { baseUrl: mirror, dataDir, ...quiet });
  const flip = () => {
    const zip = fs.readFileSync(path.join(dataDir, "ml-1m.zip"));
    zip[zip.indexOf("978300760") + 2] ^= 0x01; // a rating's timestamp digit, still a valid zip
    fs.writeFileSync(path.join(dataDir, "ml-1m.zip"), zip);
    fs.rmSync(dir, { recursive: true });
  };
  flip();
  await downloadDataset("ml-1m", { baseUrl: mirror, dataDir, ...quiet });
  assert.equal(read(dir, "ratings.dat"), RATINGS);
  assert.deepEqual(fs.readFileSync(path.join(dataDir, "ml-1m.zip")), Buffer.from(release));
  flip();
  fs.rmSync(mirror, { recursive: true });
  await assert.rejects(downloadDataset("ml-1m", { baseUrl: mirror, dataDir, ...quiet }), /ml-1m\.zip\.md5 not found/);
  assert.equal(fs.existsSync(dir), false, "nothing unverified was extracted");
});

test("a cache from before the record existed is checked against the source's md5 and recorded", async () => {
  const release = smallRelease();
  const mirror = fakeMirror(release);
  const dataDir = writeFiles({ "ml-1m.zip": Buffer.from(release), "ml-1m/ratings.dat": RATINGS.slice(0, 100), "ml-1m/movies.dat": MOVIES });
  const dir = await downloadDataset("ml-1m", { baseUrl: mirror, dataDir, ...quiet });
  assert.equal(read(dir, "ratings.dat"), RATINGS);
  assert.ok(fs.existsSync(path.join(dir, MANIFEST_NAME)));
  assert.equal(parseMd5(fs.readFileSync(path.join(dataDir, "ml-1m.zip.md5"), "utf8"), "x"), md5(release));
});

test("temporary files that killed runs left are removed; fresh ones of live runs and other files are not", async () => {
  const mirror = fakeMirror(smallRelease());
  const dead = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" }).stdout.trim();
  const hourAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
  const dataDir = writeFiles({
    [`ml-1m.${dead}-0a1b2c3d.tmp/ratings.dat`]: "partial",
    [`ml-1m.zip.${dead}-0a1b2c3d.tmp`]: "partial zip",
    "ml-1m.zip.unverified.0a1b2c3d.tmp": "left by an earlier version",
    [`ml-1m.zip.${process.ppid}-0a1b2c3d.tmp`]: "a download in progress",
    "notes.tmp": "not ours",
  });
  fs.utimesSync(path.join(dataDir, "ml-1m.zip.unverified.0a1b2c3d.tmp"), hourAgo, hourAgo);
  await downloadDataset("ml-1m", { baseUrl: mirror, dataDir, ...quiet });
  assert.deepEqual(fs.readdirSync(dataDir).sort(), ["ml-1m", "ml-1m.zip", `ml-1m.zip.${process.ppid}-0a1b2c3d.tmp`, "ml-1m.zip.md5", "notes.tmp"]);
});

/** A server on 127.0.0.1 answering ml-1m.zip.md5 plainly and ml-1m.zip with `zip`. */
async function serve(release: Uint8Array, zip: (response: http.ServerResponse) => void): Promise<{ url: string; close(): void }> {
  const server = http.createServer((request, response) => {
    if (request.url?.endsWith(".md5")) response.end(`${md5(release)}\n`);
    else zip(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

test("a gzip-encoded response is decoded and verified, not called truncated", async () => {
  const release = smallRelease();
  const server = await serve(release, (response) => {
    const body = gzipSync(release);
    response.writeHead(200, { "content-encoding": "gzip", "content-length": body.length });
    response.end(body);
  });
  try {
    const dir = await downloadDataset("ml-1m", { baseUrl: server.url, dataDir: tempDir(), ...quiet });
    assert.equal(read(dir, "ratings.dat"), RATINGS);
  } finally {
    server.close();
  }
});

for (const [what, send, message] of [
  ["a server that stalls", (r: http.ServerResponse, body: Uint8Array) => r.write(body.subarray(0, 2000)), /download of http:\/\/127\.0\.0\.1:\d+\/ml-1m\.zip stalled: under 1024 bytes in 0\.3 s, after 2000 of \d+ bytes/],
  ["a server that trickles", (r: http.ServerResponse, body: Uint8Array) => {
    let sent = 0;
    const drip: NodeJS.Timeout = setInterval(() => (r.destroyed ? clearInterval(drip) : r.write(body.subarray(sent, ++sent))), 20);
  }, /stalled: under 1024 bytes in 0\.3 s, after \d+ of \d+ bytes/],
  ["a connection that breaks off", (r: http.ServerResponse, body: Uint8Array) => r.write(body.subarray(0, 3000), () => r.destroy()), /download of http:\/\/127\.0\.0\.1:\d+\/ml-1m\.zip broke off after 3000 of \d+ bytes/],
] as const) {
  test(`${what} fails in time, naming the URL, the bytes received and the expected length, and leaves no files`, { timeout: 10_000 }, async () => {
    const release = smallRelease();
    const server = await serve(release, (response) => {
      response.writeHead(200, { "content-length": release.length });
      send(response, release);
    });
    const dataDir = tempDir();
    try {
      await assert.rejects(downloadDataset("ml-1m", { baseUrl: server.url, dataDir, idleTimeoutMs: 300, ...quiet }), message);
      assert.deepEqual(fs.readdirSync(dataDir), []);
    } finally {
      server.close();
    }
  });
}

test("being offline names the URL and how to use a local mirror", async () => {
  await assert.rejects(
    downloadDataset("ml-1m", { baseUrl: "http://movielens.invalid/datasets", dataDir: tempDir(), ...quiet }),
    /cannot download http:\/\/movielens\.invalid\/datasets\/ml-1m\.zip\.md5: .*offline\? Set CF_MOVIELENS_URL/,
  );
});

test("a release missing from the mirror is named", async () => {
  await assert.rejects(downloadDataset("ml-1m", { baseUrl: tempDir(), dataDir: tempDir(), ...quiet }), /ml-1m\.zip\.md5 not found/);
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

/** Runs node with `script` (CommonJS, `data` = src/data) and returns its output and exit code. */
function runNode(script: string, env: Record<string, string> = {}, shellPrefix = ""): Promise<{ code: number | null; out: string }> {
  const code = `const data = require(${JSON.stringify(path.resolve(__dirname, "../src/data"))}); ${script}`;
  const args = ["--import", "tsx", "-e", code];
  const child = shellPrefix
    ? spawn("bash", ["-c", `${shellPrefix} && exec "$0" "$@"`, process.execPath, ...args], { env: { ...process.env, CF_BACKEND: "cpu", ...env } })
    : spawn(process.execPath, args, { env: { ...process.env, CF_BACKEND: "cpu", ...env } });
  let out = "";
  child.stdout.on("data", (chunk) => (out += chunk));
  child.stderr.on("data", (chunk) => (out += chunk));
  return new Promise((resolve) => child.on("close", (exit) => resolve({ code: exit, out })));
}

test("a write error while downloading (file too large) is a rejected promise naming the file and the cause, and the partial file is removed", async () => {
  const big = new Uint8Array(1_000_000).map((_, i) => (i * 2654435761) >>> 24); // doesn't compress
  const mirror = fakeMirror(zipSync({ "ml-1m/ratings.dat": strToU8(RATINGS), "ml-1m/movies.dat": strToU8(MOVIES), "ml-1m/big.bin": big }, { level: 0 }));
  const dataDir = tempDir();
  const { code, out } = await runNode(
    `data.downloadDataset("ml-1m", { baseUrl: ${JSON.stringify(mirror)}, dataDir: ${JSON.stringify(dataDir)}, progress: false })
      .then(() => console.log("resolved"), (e) => console.log("rejected: " + e.message));`,
    {},
    "ulimit -f 256", // 256 KiB: every file write beyond it fails with EFBIG
  );
  assert.equal(code, 0, out);
  assert.match(out, /tfjs backend 'cpu' \(forced by CF_BACKEND/, "downloadDataset selects the backend CF_BACKEND names");
  assert.match(out, new RegExp(`rejected: cannot write ${dataDir}/ml-1m\\.zip\\.\\d+-[0-9a-f]{8}\\.tmp: EFBIG`));
  assert.deepEqual(fs.readdirSync(dataDir), []);
});

test("three processes filling one empty cache all succeed, round after round, and keep the verified zip", { timeout: 60_000 }, async () => {
  const release = smallRelease();
  const mirror = fakeMirror(release);
  const base = tempDir();
  const rounds = 6;
  const workers = 3;
  // Each round starts the three together (a barrier of files), on an empty cache or, every other round, a damaged one.
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 1) {
      const damaged = path.join(base, `r${round}`);
      fs.mkdirSync(path.join(damaged, "ml-1m"), { recursive: true });
      fs.writeFileSync(path.join(damaged, "ml-1m", "ratings.dat"), RATINGS.slice(0, 50));
    }
  }
  const script = (worker: number) => `
    const fs = require("node:fs"); const path = require("node:path");
    (async () => {
      for (let round = 0; round < ${rounds}; round++) {
        const dataDir = path.join(${JSON.stringify(base)}, "r" + round);
        fs.mkdirSync(dataDir, { recursive: true });
        fs.writeFileSync(dataDir + ".ready${worker}", "");
        while ([0, 1, 2].some((w) => !fs.existsSync(dataDir + ".ready" + w))) await new Promise((r) => setTimeout(r, 2));
        try {
          const dir = await data.downloadDataset("ml-1m", { baseUrl: ${JSON.stringify(mirror)}, dataDir, progress: false });
          const ok = fs.readFileSync(path.join(dir, "ratings.dat"), "latin1") === ${JSON.stringify(RATINGS)};
          console.log("round " + round + (ok ? " ok" : " WRONG CONTENT"));
        } catch (e) {
          console.log("round " + round + " FAILED " + e.message);
        }
      }
    })();`;
  const results = await Promise.all(Array.from({ length: workers }, (_, w) => runNode(script(w))));
  for (const { out } of results) assert.deepEqual(out.match(/^round \d+ .*$/gm), Array.from({ length: rounds }, (_, r) => `round ${r} ok`), out);
  for (let round = 0; round < rounds; round++) {
    const dataDir = path.join(base, `r${round}`);
    assert.deepEqual(fs.readdirSync(dataDir).sort(), ["ml-1m", "ml-1m.zip", "ml-1m.zip.md5"], `round ${round}`);
    assert.deepEqual(fs.readFileSync(path.join(dataDir, "ml-1m.zip")), Buffer.from(release));
  }
});

test("tests that need the mirror are skipped with a note when it is absent, and fail under CI", () => {
  const file = path.join(tempDir(), "mirror.test.ts");
  fs.writeFileSync(file, `require(${JSON.stringify(path.resolve(__dirname, "helpers"))}).mirrorTest("reads the mirror", () => {});\n`);
  const { NODE_TEST_CONTEXT, ...outside } = process.env; // else the child reports to this runner, not to its stdout
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=tap", file], { env: { ...outside, CF_TEST_MIRROR: "/nonexistent/movielens", ...env }, encoding: "utf8" });
  const local = run({ CI: "" });
  assert.equal(local.status, 0, local.stdout);
  assert.match(local.stdout, /# SKIP no MovieLens mirror at \/nonexistent\/movielens; set CF_TEST_MIRROR/);
  const ci = run({ CI: "true" });
  assert.notEqual(ci.status, 0);
  assert.match(ci.stdout, /the MovieLens mirror is missing at \/nonexistent\/movielens; CI must provide it/);
});
