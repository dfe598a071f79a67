// Lesson 5 wants ml-1m but must still run offline, where only smaller releases are mirrored.
import { DatasetName } from "./datasets";
import { downloadDataset, DownloadOptions } from "./download";
import { MovieLens, readMovieLens } from "./loadMovieLens";

export interface LoadFirstOptions extends DownloadOptions {
  /** Where the note about a release that could not be fetched goes (default console.log). */
  note?: (message: string) => void;
}

/**
 * Loads the first release in `names` that can be fetched (or is cached), printing a note for
 * each one skipped and why. Only fetching falls back: a release that downloads but fails to
 * parse is a real error and is thrown as it is.
 */
export async function loadMovieLensOr(names: readonly DatasetName[], options: LoadFirstOptions = {}): Promise<MovieLens> {
  if (names.length === 0) throw new Error("loadMovieLensOr: give at least one dataset name, e.g. ['ml-1m', 'ml-100k']");
  const { note = console.log, ...download } = options;
  const reasons: string[] = [];
  for (const name of names) {
    let dir: string;
    try {
      dir = await downloadDataset(name, download);
    } catch (error) {
      const reason = (error as Error).message;
      reasons.push(`${name}: ${reason}`);
      const next = names[names.indexOf(name) + 1];
      if (next) note(`note: ${name} is not available (${reason}); falling back to ${next}`);
      continue;
    }
    return readMovieLens(name, dir);
  }
  throw new Error(`none of ${names.join(", ")} could be fetched:\n  ${reasons.join("\n  ")}`);
}
