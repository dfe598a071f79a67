import * as fs from "node:fs";
import { DataError } from "./dataError";

/** Reads a whole file, failing clearly when it is missing or empty. */
export function readInput(file: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new DataError(file, undefined, `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!bytes.some((byte) => byte !== 32 && (byte < 9 || byte > 13))) {
    throw new DataError(file, undefined, "file is empty");
  }
  return bytes;
}

/**
 * Calls `visit` for each non-blank line with its 1-based number. Works on the bytes so
 * files larger than the biggest JavaScript string (the ml-25m ratings) can be read.
 */
export function forEachLine(file: string, encoding: BufferEncoding, visit: (text: string, line: number) => void): void {
  const bytes = readInput(file);
  let start = 0;
  let line = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(10, start);
    if (end === -1) end = bytes.length;
    line++;
    const stop = end > start && bytes[end - 1] === 13 ? end - 1 : end;
    if (stop > start) {
      const text = bytes.toString(encoding, start, stop);
      if (text.trim() !== "") visit(text, line);
    }
    start = end + 1;
  }
}
