import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

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
