import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as assert from "node:assert/strict";
import { test } from "node:test";
import { DataError } from "../src/data/dataError";

/** The local mirror of the GroupLens folder that tests and CI download from (../shared/movielens). */
export const MIRROR = process.env.CF_TEST_MIRROR ?? path.resolve(__dirname, "..", "..", "shared", "movielens");

export function tempDir(prefix = "cf-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes files (relative path -> contents) under a new temporary folder and returns it. */
export function writeFiles(files: Record<string, string | Buffer>): string {
  const dir = tempDir();
  for (const [name, contents] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), contents);
  }
  return dir;
}

/** One data cache shared by the tests of a process, so each release is unpacked once. */
let sharedCache: string | undefined;
export function sharedDataDir(): string {
  sharedCache ??= tempDir("cf-data-");
  return sharedCache;
}

const mirrorPresent = fs.existsSync(path.join(MIRROR, "ml-latest-small.zip")) && fs.existsSync(path.join(MIRROR, "ml-100k.zip"));

/**
 * A test that reads the MovieLens mirror. Without the mirror it is skipped with a note saying
 * so, except under CI=true, where the mirror is part of the setup and its absence must fail.
 */
export function mirrorTest(name: string, fn: () => void | Promise<void>): void {
  if (mirrorPresent) test(name, fn);
  else if (process.env.CI === "true") {
    test(name, () => {
      throw new Error(`the MovieLens mirror is missing at ${MIRROR}; CI must provide it (CF_TEST_MIRROR)`);
    });
  } else test(name, { skip: `no MovieLens mirror at ${MIRROR}; set CF_TEST_MIRROR to a copy of the GroupLens folder to run it` }, fn);
}

/** Asserts that `run` throws a DataError for this file, line (undefined: the whole file) and problem. */
export function assertDataError(run: () => unknown, file: string, line: number | undefined, problem: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof DataError, `expected a DataError, got ${String(error)}`);
    assert.equal(error.file, file);
    assert.equal(error.line, line);
    assert.match(error.problem, problem);
    assert.ok(error.message.startsWith(line === undefined ? `${file}: ` : `${file}:${line}: `));
    return true;
  });
}

/** Runs `run`, returning its result and what it passed to console.warn. */
export function captureWarnings<T>(run: () => T): { result: T; warnings: string[] } {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.join(" "));
  try {
    return { result: run(), warnings };
  } finally {
    console.warn = original;
  }
}
