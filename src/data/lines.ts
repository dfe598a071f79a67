import { isAscii, isUtf8 } from "node:buffer";
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

const ENCODING_NAMES: Partial<Record<BufferEncoding, string>> = { utf8: "UTF-8", latin1: "latin-1" };

/**
 * The encoding to read `bytes` with. Valid UTF-8 with non-ASCII bytes is (almost) never latin-1
 * text, so it is read as UTF-8; anything else as latin-1. When that isn't the encoding the
 * release is known to use, a warning names the file, so a re-saved file doesn't give silently
 * mangled titles.
 */
export function textEncoding(bytes: Uint8Array, file: string, expected: "utf8" | "latin1"): "utf8" | "latin1" {
  if (isAscii(bytes)) return expected;
  const actual = isUtf8(bytes) ? "utf8" : "latin1";
  if (actual !== expected) {
    const name = (e: BufferEncoding) => ENCODING_NAMES[e] ?? e;
    console.warn(`${file}: expected ${name(expected)} but it is ${actual === "utf8" ? "valid UTF-8" : "not valid UTF-8"}; reading it as ${name(actual)}`);
  }
  return actual;
}

/**
 * Calls `visit` for each non-blank line with its 1-based number. Works on the bytes so
 * files larger than the biggest JavaScript string (the ml-25m ratings) can be read.
 */
export function forEachLine(file: string, expected: "utf8" | "latin1", visit: (text: string, line: number) => void): void {
  const bytes = readInput(file);
  const encoding = textEncoding(bytes, file, expected);
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
