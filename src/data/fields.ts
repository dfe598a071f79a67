// Field checks shared by every loader, each failing with the file, line and problem.
import { DataError } from "./dataError";

export interface Location {
  file: string;
  line: number;
}

/** Plain decimal digits only: Number() would also take '0x10', '1e3', '12.0' or '0b1' as ids. */
export function parseId(text: string | undefined, column: string, at: Location): number {
  const value = Number(text);
  if (text === undefined || !/^\s*[0-9]+\s*$/.test(text) || value > 2147483647) {
    throw new DataError(at.file, at.line, `${column} must be a non-negative integer, got '${text ?? ""}'`);
  }
  return value;
}

export function parseRating(text: string | undefined, scale: { min: number; max: number }, at: Location): number {
  const value = Number(text);
  if (text === undefined || text.trim() === "" || !Number.isFinite(value)) {
    throw new DataError(at.file, at.line, `rating must be a number, got '${text ?? ""}'`);
  }
  if (value < scale.min || value > scale.max) {
    throw new DataError(at.file, at.line, `rating ${value} is outside ${scale.min}-${scale.max}`);
  }
  return value;
}

export function parseTimestamp(text: string | undefined, at: Location): number {
  const value = Number(text);
  if (text === undefined || text.trim() === "" || !Number.isInteger(value) || value < 0 || value > 4294967295) {
    throw new DataError(at.file, at.line, `timestamp must be whole seconds since 1970, got '${text ?? ""}'`);
  }
  return value;
}

/** Names the likely cause when a line splits into the wrong number of fields. */
export function expectFields(fields: readonly string[], count: number, separator: string, at: Location): void {
  if (fields.length === count) return;
  const hint = fields.length === 1 ? ` (is the file separated by '${separator}'?)` : "";
  throw new DataError(at.file, at.line, `expected ${count} fields separated by '${separator}', found ${fields.length}${hint}`);
}
