// A lock beside a folder (`<folder>.lock`, created exclusively) so that processes replacing the
// folder take turns, and a reader can tell a replacement in progress from a damaged folder.
// The lock file names its process; a lock whose process is gone (killed mid-save) is taken over.
import * as fs from "node:fs";
import * as os from "node:os";

export const LOCK_SUFFIX = ".lock";
/** A lock older than this is taken over even when its process can't be checked (another machine). */
const STALE_MS = 10 * 60 * 1000;

interface LockInfo {
  pid: number;
  host: string;
  since: number;
}

export const lockFileOf = (target: string) => `${target}${LOCK_SUFFIX}`;

function readLock(file: string): LockInfo | undefined {
  let text: string;
  let since: number;
  try {
    since = fs.statSync(file).mtimeMs;
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined; // gone
  }
  try {
    const info = JSON.parse(text) as Partial<LockInfo>;
    if (typeof info.pid === "number" && typeof info.host === "string") return { pid: info.pid, host: info.host, since: info.since ?? since };
  } catch {
    /* just created and not yet written, or damaged */
  }
  return { pid: -1, host: "", since }; // judged by age
}

function isAlive(info: LockInfo): boolean {
  if (info.host === os.hostname() && info.pid > 0) {
    try {
      process.kill(info.pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code !== "ESRCH";
    }
  }
  return Date.now() - info.since < STALE_MS;
}

/** The process holding the lock on `target`, when one is alive; undefined when the folder is free. */
export function lockHolder(target: string): LockInfo | undefined {
  const info = readLock(lockFileOf(target));
  return info && isAlive(info) ? info : undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the lock on `target`, waiting up to `waitMs` while another live process holds it, and
 * returns the function that releases it. `who` and the holder's pid go into the timeout message.
 */
export async function acquireFolderLock(target: string, who: string, waitMs = 60_000): Promise<() => void> {
  const file = lockFileOf(target);
  const deadline = Date.now() + waitMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      const fd = fs.openSync(file, "wx");
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname(), since: Date.now() }));
      fs.closeSync(fd);
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new Error(`${who}: cannot create the lock file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    }
    const holder = readLock(file);
    if (holder && !isAlive(holder)) {
      // Its process is gone: take the lock over. Renaming first means only one waiter removes it.
      const aside = `${file}.${process.pid}.stale`;
      try {
        fs.renameSync(file, aside);
        fs.rmSync(aside, { force: true });
      } catch {
        /* another waiter took it over first */
      }
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${who}: another process (pid ${holder?.pid ?? "?"}) has been writing ${target} for over ${Math.round(waitMs / 1000)} s; ` +
          `try again once it has finished, or delete ${file} if no process is writing there`,
      );
    }
    await sleep(delay);
  }
}
