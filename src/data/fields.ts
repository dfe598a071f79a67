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

/** Names the likely cause when a line splits into the wrong number of fields. */
export function expectFields(fields: readonly string[], count: number, separator: string, at: Location): void {
  if (fields.length === count) return;
  const hint = fields.length === 1 ? ` (is the file separated by '${separator}'?)` : "";
  throw new DataError(at.file, at.line, `expected ${count} fields separated by '${separator}', found ${fields.length}${hint}`);
}

/**
 * Records `id` as given on `at.line`; a second row with the same id is an error naming both lines,
 * since keeping either row would silently drop the other's title and genres.
 */
export function checkFirstTime(firstLine: Map<number, number>, id: number, column: string, at: Location): void {
  const earlier = firstLine.get(id);
  if (earlier !== undefined) throw new DataError(at.file, at.line, `${column} ${id} is already given on line ${earlier}; each movie must appear once`);
  firstLine.set(id, at.line);
}
