// Every file the library writes for a user appears whole or not at all: written to a unique
// temporary sibling, then renamed over the target (rename is atomic within one file system).
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";

/** A unique temporary sibling of `target`; `.tmp` so stale ones are recognisable and git-ignored. */
export function tempSibling(target: string): string {
  return `${target}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
}

/** Writes `contents` to `file` through a temporary sibling and a rename. */
export function writeFileAtomic(file: string, contents: string | Uint8Array): void {
  const temp = tempSibling(file);
  try {
    fs.writeFileSync(temp, contents);
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw new Error(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
