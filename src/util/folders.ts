import * as fs from "node:fs";
import * as path from "node:path";

const CAUSES: Record<string, string> = {
  EEXIST: "a file (not a folder) is in the way",
  ENOTDIR: "a file (not a folder) is in the way",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "the disk is full",
};

/** Creates `dir` and its parents; a failure names the folder, what asked for it (`origin`) and the cause. */
export function ensureFolder(dir: string, origin: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const blocker = code === "EEXIST" || code === "ENOTDIR" ? firstFileOnPath(dir) : undefined;
    const cause = CAUSES[code] ? `${CAUSES[code]}${blocker ? ` (${blocker})` : ""}` : (error as Error).message;
    throw new Error(`${origin}: cannot create the folder ${path.resolve(dir)}: ${cause}${code ? ` [${code}]` : ""}`);
  }
}

/** The first path from the root down to `dir` that exists and is not a folder. */
function firstFileOnPath(dir: string): string | undefined {
  const parts = path.resolve(dir).split(path.sep);
  for (let i = 2; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join(path.sep) || path.sep;
    try {
      if (!fs.statSync(prefix).isDirectory()) return prefix;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
