// What collabData refuses before it splits anything: a source that isn't one, ratings that are not
// typed columns, and numbers outside the scale the data says it has. Each error names the value
// and where it came from, so the first error is not a NaN mean deep inside a model builder.
import { Ratings } from "../data/ratings";

const COLUMNS = [
  ["userIds", "Int32Array"],
  ["movieIds", "Int32Array"],
  ["ratings", "Float32Array"],
  ["timestamps", "Uint32Array"],
] as const;

const HOW = "load one with loadMovieLens/readMovieLens, or build the table with createRatings({ userIds, movieIds, ratings, timestamps }) from typed arrays";

/** Throws unless `ratings` is a Ratings table: four typed columns of one length. */
export function checkRatingsTable(ratings: unknown, where: string): asserts ratings is Ratings {
  if (Array.isArray(ratings)) throw new Error(`${where}: ratings is a plain array of ${ratings.length} values, not a ratings table; ${HOW}`);
  if (typeof ratings !== "object" || ratings === null) throw new Error(`${where}: ratings must be a ratings table, got ${ratings === null ? "null" : typeof ratings}; ${HOW}`);
  const table = ratings as Record<string, unknown>;
  for (const [column, type] of COLUMNS) {
    const value = table[column];
    if (!ArrayBuffer.isView(value) || value.constructor.name !== type) {
      const got = value === undefined ? "missing" : Array.isArray(value) ? "a plain array" : ArrayBuffer.isView(value) ? `a ${value.constructor.name}` : typeof value;
      throw new Error(`${where}: ratings.${column} must be an ${type}, got ${got}; ${HOW}`);
    }
    if ((value as Int32Array).length !== table.length) {
      throw new Error(`${where}: ratings.${column} has ${(value as Int32Array).length} rows but ratings.length is ${String(table.length)}`);
    }
  }
}

/** Throws unless `source` is an object holding a ratings table. */
export function checkSourceShape(source: unknown): void {
  if (typeof source !== "object" || source === null) {
    throw new Error(`collabData: expected a loaded data set (await loadMovieLens("ml-100k")) or { ratings }, got ${source === null ? "null" : typeof source}`);
  }
  if (!("ratings" in source)) throw new Error("collabData: the source has no ratings; pass a loaded data set (await loadMovieLens(...)) or { name, ratings }");
}

/**
 * Every rating must be a finite number and, when the source declares its scale, lie inside it: a
 * rating of 50 in a 1-5 set (a typo, a percentage) would otherwise shift the mean and every model.
 */
export function checkRatingValues(ratings: Ratings, name: string, scale: { min: number; max: number } | undefined, part = "ratings"): void {
  if (scale && !(Number.isFinite(scale.min) && Number.isFinite(scale.max) && scale.min < scale.max)) {
    throw new Error(`collabData: '${name}' declares the rating scale ${scale.min}-${scale.max}, which is not an interval`);
  }
  const values = ratings.ratings;
  for (let i = 0; i < values.length; i++) {
    const r = values[i];
    if (!Number.isFinite(r)) {
      throw new Error(`collabData: '${name}' ${part} row ${i} (user ${ratings.userIds[i]}, movie ${ratings.movieIds[i]}) has rating ${r}; every rating must be a finite number`);
    }
    // Float32 holds 0.1 steps inexactly: allow that much rounding at the ends.
    if (scale && (r < scale.min - 1e-6 || r > scale.max + 1e-6)) {
      throw new Error(
        `collabData: '${name}' ${part} row ${i} (user ${ratings.userIds[i]}, movie ${ratings.movieIds[i]}) has rating ${r}, outside the data set's scale ${scale.min}-${scale.max} (ratingScale)`,
      );
    }
  }
}

/**
 * A fixed split reads its parts from files: they must be the source's ratings, or the ratings the
 * caller gave (a subset, an edited copy) would be silently replaced by the whole release.
 */
export function checkSplitCoversSource(source: Ratings, parts: Ratings[], name: string, split: string): void {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const mismatch = () =>
    new Error(
      `collabData: split '${split}' reads ${name}'s fixed files (${total} ratings), but the ratings given hold ${source.length} ratings that differ from them; ` +
        `the given ratings would be ignored. Pass the whole release from loadMovieLens("ml-100k"), or split these ratings with split: "random" or { train, valid }`,
    );
  if (total !== source.length) throw mismatch();
  const whole = rowsFingerprint([source]);
  const fromParts = rowsFingerprint(parts);
  if (whole[0] !== fromParts[0] || whole[1] !== fromParts[1]) throw mismatch();
}

/** 32-bit finaliser of MurmurHash3: spreads every input bit over the output. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * An order-free fingerprint of the (user, movie, rating) rows: two sums of row hashes (64 bits),
 * so the split's parts are compared with the whole in one pass, without a table of 100,000 keys.
 */
function rowsFingerprint(tables: Ratings[]): [number, number] {
  const bits = new Int32Array(1);
  const float = new Float32Array(bits.buffer);
  let a = 0;
  let b = 0;
  for (const table of tables) {
    for (let i = 0; i < table.length; i++) {
      float[0] = table.ratings[i];
      const row = mix(mix(table.userIds[i] ^ 0x9e3779b9) ^ Math.imul(table.movieIds[i], 0x01000193) ^ mix(bits[0]));
      a = (a + row) >>> 0;
      b = (b + mix(row ^ 0x5bd1e995)) >>> 0;
    }
  }
  return [a, b];
}

/** validFraction only means something to the random, temporal, per-user and per-movie splits. */
export function checkValidFraction(options: { validFraction?: unknown; split?: unknown }): void {
  const { validFraction, split = "random" } = options;
  if (validFraction === undefined) return;
  if (split !== "random" && split !== "temporal" && split !== "per-user" && split !== "per-movie") {
    const which = typeof split === "object" ? "explicit { train, valid }" : `'${String(split)}'`;
    throw new Error(`collabData: validFraction ${String(validFraction)} has no effect with the ${which} split, which decides the validation set itself; remove validFraction or use split: "random"`);
  }
  if (!(typeof validFraction === "number" && validFraction > 0 && validFraction < 1)) {
    throw new Error(`collabData: validFraction must be a number between 0 and 1 (exclusive), got ${JSON.stringify(validFraction) ?? String(validFraction)}`);
  }
}
