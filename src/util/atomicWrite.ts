// Every file the library writes for a user appears whole or not at all: written to a unique
// temporary sibling, then renamed over the target (rename is atomic within one file system).
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

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

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Siblings of `target` named as tempSibling names them (or `<target>.<hex>` as earlier versions did), ending in `suffix`. */
export function siblingsOf(target: string, suffix: string): string[] {
  const dir = path.dirname(target);
  const pattern = new RegExp(`^${escapeRegExp(path.basename(target))}\\.(?:(\\d+)-)?[0-9a-f]{8}${escapeRegExp(suffix)}$`);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => pattern.test(name)).map((name) => path.join(dir, name));
}

function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Temporary siblings of `target` left by killed runs: their process is gone, or they are older than `maxAgeMs`. */
export function staleSiblings(target: string, suffix = ".tmp", maxAgeMs = 60 * 60 * 1000): string[] {
  return siblingsOf(target, suffix).filter((file) => {
    const pid = /\.(\d+)-[0-9a-f]{8}\.[^.]+$/.exec(file)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && processIsGone(Number(pid))) return true;
    try {
      return Date.now() - fs.statSync(file).mtimeMs > maxAgeMs;
    } catch {
      return false; // already gone
    }
  });
}

/** Removes what staleSiblings finds; another run may remove the same ones at the same time. */
export function removeStaleSiblings(target: string, suffix = ".tmp", maxAgeMs?: number): void {
  for (const file of staleSiblings(target, suffix, maxAgeMs)) fs.rmSync(file, { recursive: true, force: true });
}
