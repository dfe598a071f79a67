// A byte-level parser for the ratings files of every release: ratings.csv (ml-latest-small,
// ml-25m, ml-32m), u.data and its splits (tab-separated) and ratings.dat ('::'). It reads the
// file in chunks and takes the numbers straight from the bytes into typed columns, so the 25M
// ratings of ml-25m load in seconds and the file is never held whole, nor as a string.
// csv-parse stays for movies.csv, whose titles need real CSV quoting.
import * as fs from "node:fs";
import { DataError } from "./dataError";
import { createRatings, Ratings } from "./ratings";

export interface RatingsScale {
  min: number;
  max: number;
  /** When given, every rating must be min + k * step (half stars: 0.5). */
  step?: number;
}

/** How strict to be beyond the format itself; the defaults suit any ratings file. */
export interface ParseOptions {
  /**
   * Refuse a file whose last line has no line break after it. MovieLens's files all end with one,
   * so a release's file without it was cut short (an interrupted copy), even when the cut line parses.
   */
  requireFinalNewline?: boolean;
  /** The longest line accepted; a longer run of bytes without a line break is not a ratings file. */
  maxLineBytes?: number;
}

/** Far above any ratings line (under 100 bytes), far below what one Buffer or read can hold. */
export const MAX_LINE_BYTES = 1 << 24;

export type RatingsFormat =
  /** A header row naming userId, movieId, rating and timestamp, in any order, among other columns. */
  | { kind: "csv" }
  /** user, movie, rating, timestamp and nothing else on each line, no header. */
  | { kind: "delimited"; separator: string };

const CSV_COLUMNS = ["userId", "movieId", "rating", "timestamp"] as const;
const DELIMITED_NAMES = ["user id", "movie id", "rating", "timestamp"] as const;
const enum Role {
  Skip,
  User,
  Movie,
  Rating,
  Timestamp,
}

const LF = 10;
const CR = 13;
const ZERO = 48;
const NINE = 57;
const DOT = 46;
const QUOTE = 34;
const MINUS = 45;
const MAX_ID = 2147483647;
const MAX_TIMESTAMP = 4294967295;
const CHUNK_BYTES = 1 << 22;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** Typed columns that grow by half when full, sized at the start from the file's length. */
class Columns {
  userIds: Int32Array;
  movieIds: Int32Array;
  ratings: Float32Array;
  timestamps: Uint32Array;
  size = 0;

  constructor(capacity: number) {
    this.userIds = new Int32Array(capacity);
    this.movieIds = new Int32Array(capacity);
    this.ratings = new Float32Array(capacity);
    this.timestamps = new Uint32Array(capacity);
  }

  grow(): void {
    const capacity = Math.ceil(this.userIds.length * 1.5) + 1024;
    const bigger = <T extends Int32Array | Float32Array | Uint32Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.userIds = bigger(this.userIds, new Int32Array(capacity));
    this.movieIds = bigger(this.movieIds, new Int32Array(capacity));
    this.ratings = bigger(this.ratings, new Float32Array(capacity));
    this.timestamps = bigger(this.timestamps, new Uint32Array(capacity));
  }

  /** The rows kept (all when `drop` is undefined), in file order, in arrays of exactly that length. */
  build(drop?: Uint8Array): Ratings {
    if (!drop) {
      const n = this.size;
      return createRatings({ userIds: this.userIds.slice(0, n), movieIds: this.movieIds.slice(0, n), ratings: this.ratings.slice(0, n), timestamps: this.timestamps.slice(0, n) });
    }
    let kept = 0;
    for (let i = 0; i < this.size; i++) kept += 1 - drop[i];
    const out = new Columns(kept);
    for (let i = 0; i < this.size; i++) {
      if (drop[i]) continue;
      const j = out.size++;
      out.userIds[j] = this.userIds[i];
      out.movieIds[j] = this.movieIds[i];
      out.ratings[j] = this.ratings[i];
      out.timestamps[j] = this.timestamps[i];
    }
    return out.build();
  }
}

/** Reads, checks and parses one ratings file; see RatingsFormat for the layouts. */
export function parseRatingsFile(file: string, format: RatingsFormat, scale: RatingsScale, options: ParseOptions = {}): Ratings {
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (error) {
    throw new DataError(file, undefined, `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    const parser = new LineParser(file, format, scale, fs.fstatSync(fd).size);
    let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let filled = 0;
    for (;;) {
      if (filled === buffer.length) {
        // A line longer than the buffer: make room for it, up to a limit (a file without line
        // breaks would otherwise grow the buffer past what one read can fill).
        if (filled >= maxLineBytes) parser.tooLong(maxLineBytes);
        const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxLineBytes + 1));
        buffer.copy(bigger, 0, 0, filled);
        buffer = bigger;
      }
      const read = fs.readSync(fd, buffer, filled, buffer.length - filled, null);
      filled += read;
      if (read > 0 && parser.lineBreak === undefined) parser.detectLineBreak(buffer, filled);
      const end = read === 0 ? filled : buffer.lastIndexOf(parser.lineBreak ?? LF, filled - 1) + 1;
      if (read === 0 && options.requireFinalNewline) parser.checkFinalLine(buffer, filled);
      if (end > 0) parser.lines(buffer, 0, end);
      if (read === 0) break;
      buffer.copy(buffer, 0, end, filled); // the unfinished last line goes to the front
      filled -= end;
    }
    return parser.finish();
  } finally {
    fs.closeSync(fd);
  }
}

class LineParser {
  private readonly columns: Columns;
  private readonly encoding: BufferEncoding;
  private readonly separator: Buffer;
  private readonly separatorName: string;
  /** The role of each field on a line; undefined until the CSV header has been read. */
  private roles: Role[] | undefined;
  private readonly names: readonly string[];
  /** Start and end of each field of the current line, and room for one more to count extras. */
  private bounds = new Int32Array(10);
  private line = 0;
  private sawContent = false;
  /** LF (with or without CR before it), or CR alone for classic Mac files; set from the first chunk. */
  lineBreak: number | undefined;

  constructor(
    private readonly file: string,
    private readonly format: RatingsFormat,
    private readonly scale: RatingsScale,
    fileBytes: number,
  ) {
    // A MovieLens rating line takes 15 to 30 bytes: start near the larger count, grow if needed.
    this.columns = new Columns(Math.max(1024, Math.ceil(fileBytes / 24)));
    const csv = format.kind === "csv";
    this.encoding = csv ? "utf8" : "latin1";
    this.separator = Buffer.from(csv ? "," : format.separator, "latin1");
    this.separatorName = csv ? "," : format.separator === "\t" ? "\\t" : format.separator;
    this.names = csv ? CSV_COLUMNS : DELIMITED_NAMES;
    if (!csv) this.roles = [Role.User, Role.Movie, Role.Rating, Role.Timestamp];
  }

  /** CR-only files (old Mac exports, which pandas and csv-parse read) have no LF at all. */
  detectLineBreak(bytes: Buffer, filled: number): void {
    const lf = bytes.indexOf(LF);
    const cr = bytes.indexOf(CR);
    if (lf >= 0 && lf < filled) this.lineBreak = LF;
    else if (cr >= 0 && cr < filled) this.lineBreak = CR;
  }

  tooLong(maxLineBytes: number): never {
    throw new DataError(this.file, this.line + 1, `line ${this.line + 1} runs over ${maxLineBytes} bytes without a line break; this is not a ratings file (or it is damaged)`);
  }

  /** The bytes after the last line break, when a release's file must end with one. */
  checkFinalLine(bytes: Buffer, filled: number): void {
    if (filled > 0 && !isBlank(bytes, 0, filled)) {
      const text = bytes.toString(this.encoding, 0, Math.min(filled, 80));
      throw new DataError(this.file, this.line + 1, `the file ends inside line ${this.line + 1} ('${text}') with no line break after it: it was cut short (an interrupted copy or download?); get the file again`);
    }
  }

  /** Parses the complete lines in bytes [start, end). */
  lines(bytes: Buffer, start: number, end: number): void {
    let from = start;
    while (from < end) {
      let stop = bytes.indexOf(this.lineBreak ?? LF, from);
      if (stop === -1 || stop >= end) stop = end;
      this.line++;
      let to = stop;
      if (to > from && bytes[to - 1] === CR) to--;
      if (this.line === 1 && to - from >= 3 && bytes[from] === 0xef && bytes[from + 1] === 0xbb && bytes[from + 2] === 0xbf) from += 3;
      if (!isBlank(bytes, from, to)) {
        this.sawContent = true;
        if (this.roles) this.row(bytes, from, to);
        else this.header(bytes.toString(this.encoding, from, to));
      }
      from = stop + 1;
    }
  }

  private header(text: string): void {
    const names = text.split(",").map((name) => unquote(name.trim()));
    for (const column of CSV_COLUMNS) {
      const first = names.indexOf(column);
      const again = names.indexOf(column, first + 1);
      if (first >= 0 && again >= 0) {
        throw new DataError(this.file, this.line, `column ${column} appears twice in the header (fields ${first + 1} and ${again + 1}) of '${text}'; which one holds the ${column}s is ambiguous`);
      }
    }
    const missing = CSV_COLUMNS.filter((column) => !names.includes(column));
    if (missing.length > 0) {
      const hint = names.length === 1 && /[\t;|]/.test(text) ? " (the file is not comma-separated?)" : "";
      throw new DataError(this.file, this.line, `missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} in header '${text}'${hint}`);
    }
    this.roles = names.map((name) => (CSV_COLUMNS as readonly string[]).indexOf(name) + 1);
    this.bounds = new Int32Array(2 * names.length + 2);
  }

  /** Splits a line at the separator into `bounds` (start, end pairs) and returns the field count. */
  private split(bytes: Buffer, from: number, to: number): number {
    const s0 = this.separator[0];
    const wide = this.separator.length === 2;
    const s1 = wide ? this.separator[1] : 0;
    const bounds = this.bounds;
    const room = bounds.length >> 1;
    let fields = 0;
    let start = from;
    for (let i = from; i <= to; i++) {
      if (i === to || (bytes[i] === s0 && (!wide || (i + 1 < to && bytes[i + 1] === s1)))) {
        if (fields < room) {
          bounds[2 * fields] = start;
          bounds[2 * fields + 1] = i;
        }
        fields++;
        if (wide) i++;
        start = i + 1;
      }
    }
    return fields;
  }

  /**
   * The common line in one pass: plain unquoted numbers, each role once, one-byte separator,
   * every value valid. Returns false, having stored nothing, for anything else, and row() then
   * parses the line the careful way and names the problem. Same arithmetic as integer() and
   * rating(), so the same values; twice the speed of splitting first.
   */
  private fastRow(bytes: Buffer, from: number, to: number): boolean {
    const roles = this.roles!;
    if (this.separator.length !== 1) return false;
    const separator = this.separator[0];
    let user = 0, movie = 0, rating = 0, timestamp = 0;
    let i = from;
    for (let f = 0; f < roles.length; f++) {
      let whole = 0;
      const start = i;
      while (i < to) {
        const d = bytes[i] - ZERO;
        if (d < 0 || d > 9) break;
        whole = whole * 10 + d;
        i++;
      }
      if (i === start || i - start > 10) return false;
      const role = roles[f];
      if (role === Role.Rating) {
        let fraction = 0;
        let places = 0;
        if (i < to && bytes[i] === DOT) {
          i++;
          while (i < to && places < 15) {
            const d = bytes[i] - ZERO;
            if (d < 0 || d > 9) break;
            fraction = fraction * 10 + d;
            places++;
            i++;
          }
          if (places === 0) return false;
        }
        rating = whole + fraction / POW10[places];
      } else if (role === Role.User) user = whole;
      else if (role === Role.Movie) movie = whole;
      else if (role === Role.Timestamp) timestamp = whole;
      else return false;
      if (f < roles.length - 1) {
        if (i >= to || bytes[i] !== separator) return false;
        i++;
      } else if (i !== to) return false;
    }
    const { min, max, step } = this.scale;
    if (user > MAX_ID || movie > MAX_ID || timestamp > MAX_TIMESTAMP || rating < min || rating > max) return false;
    if (step !== undefined) {
      const k = (rating - min) / step;
      if (Math.abs(k - Math.round(k)) > 1e-6) return false;
    }
    const c = this.columns;
    if (c.size === c.userIds.length) c.grow();
    const row = c.size++;
    c.userIds[row] = user;
    c.movieIds[row] = movie;
    c.ratings[row] = rating;
    c.timestamps[row] = timestamp;
    return true;
  }

  private row(bytes: Buffer, from: number, to: number): void {
    if (this.fastRow(bytes, from, to)) return;
    const roles = this.roles!;
    const fields = this.split(bytes, from, to);
    if (fields !== roles.length) this.fieldCountError(fields);
    const c = this.columns;
    if (c.size === c.userIds.length) c.grow();
    const i = c.size;
    const bounds = this.bounds;
    for (let f = 0; f < fields; f++) {
      let s = bounds[2 * f];
      let e = bounds[2 * f + 1];
      if (e - s >= 2 && bytes[s] === QUOTE && bytes[e - 1] === QUOTE) {
        s++; // a fully quoted field, "4.5", as spreadsheets and csv writers that quote all fields save it
        e--;
      }
      switch (roles[f]) {
        case Role.User:
          c.userIds[i] = this.integer(bytes, s, e, MAX_ID, this.names[0]);
          break;
        case Role.Movie:
          c.movieIds[i] = this.integer(bytes, s, e, MAX_ID, this.names[1]);
          break;
        case Role.Rating:
          c.ratings[i] = this.rating(bytes, s, e);
          break;
        case Role.Timestamp:
          c.timestamps[i] = this.integer(bytes, s, e, MAX_TIMESTAMP, "timestamp");
          break;
      }
    }
    c.size++;
  }

  private fieldCountError(fields: number): never {
    const expected = this.roles!.length;
    if (this.format.kind === "csv") throw new DataError(this.file, this.line, `expected ${expected} comma-separated fields, found ${fields}`);
    const hint = fields === 1 ? ` (is the file separated by '${this.separatorName}'?)` : "";
    throw new DataError(this.file, this.line, `expected ${expected} fields separated by '${this.separatorName}', found ${fields}${hint}`);
  }

  /** Plain decimal digits only: no sign, exponent, fraction, hex or spaces. */
  private integer(bytes: Buffer, s: number, e: number, max: number, name: string): number {
    let value = 0;
    for (let i = s; i < e; i++) {
      const d = bytes[i] - ZERO;
      if (d < 0 || d > 9) return this.badInteger(bytes, s, e, name);
      value = value * 10 + d;
    }
    if (e === s || value > max) return this.badInteger(bytes, s, e, name);
    return value;
  }

  private badInteger(bytes: Buffer, s: number, e: number, name: string): never {
    const text = bytes.toString(this.encoding, s, e);
    if (name === "timestamp") throw new DataError(this.file, this.line, `timestamp must be whole seconds since 1970, got '${text}'`);
    throw new DataError(this.file, this.line, `${name} must be a non-negative integer, got '${text}'`);
  }

  /** [-]digits[.digits], inside the scale and on its grid. */
  private rating(bytes: Buffer, s: number, e: number): number {
    let i = s;
    const negative = i < e && bytes[i] === MINUS;
    if (negative) i++;
    let whole = 0;
    let digits = 0;
    while (i < e && bytes[i] >= ZERO && bytes[i] <= NINE) {
      whole = whole * 10 + bytes[i++] - ZERO;
      digits++;
    }
    let fraction = 0;
    let places = 0;
    if (i < e && bytes[i] === DOT) {
      i++;
      while (i < e && bytes[i] >= ZERO && bytes[i] <= NINE && places < 15) {
        fraction = fraction * 10 + bytes[i++] - ZERO;
        places++;
      }
    }
    if (i !== e || digits + places === 0) throw new DataError(this.file, this.line, `rating must be a number, got '${bytes.toString(this.encoding, s, e)}'`);
    const magnitude = whole + fraction / POW10[places];
    const value = negative ? -magnitude : magnitude;
    const { min, max, step } = this.scale;
    if (value < min || value > max) throw new DataError(this.file, this.line, `rating ${value} is outside ${min}-${max}`);
    if (step !== undefined) {
      const k = (value - min) / step;
      if (Math.abs(k - Math.round(k)) > 1e-6) throw new DataError(this.file, this.line, `rating ${bytes.toString(this.encoding, s, e)} is not on the ${step}-star grid of ${min}-${max}`);
    }
    return value;
  }

  finish(): Ratings {
    if (!this.sawContent) throw new DataError(this.file, undefined, "file is empty");
    const drop = markDuplicates(this.file, this.columns);
    return this.columns.build(drop);
  }
}

function unquote(name: string): string {
  return name.length >= 2 && name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1).trim() : name;
}

function isBlank(bytes: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const b = bytes[i];
    if (b !== 32 && (b < 9 || b > 13)) return false;
  }
  return true;
}

/** Dense 0..n-1 numbers for ids: a lookup array when the ids are small, else a Map. */
function denseIndex(ids: Int32Array, size: number): { index: Int32Array; count: number } {
  let maxId = 0;
  for (let i = 0; i < size; i++) if (ids[i] > maxId) maxId = ids[i];
  const index = new Int32Array(size);
  let count = 0;
  if (maxId < 1 << 25) {
    const slot = new Int32Array(maxId + 1).fill(-1);
    for (let i = 0; i < size; i++) {
      const id = ids[i];
      if (slot[id] < 0) slot[id] = count++;
      index[i] = slot[id];
    }
  } else {
    const slot = new Map<number, number>();
    for (let i = 0; i < size; i++) {
      let s = slot.get(ids[i]);
      if (s === undefined) slot.set(ids[i], (s = count++));
      index[i] = s;
    }
  }
  return { index, count };
}

/**
 * Finds repeated (user, movie) pairs, keeps each pair's last rating (a later rating overwrites an
 * earlier one, as re-rating does on MovieLens) and warns once. Returns the rows to drop, if any.
 */
function markDuplicates(file: string, c: Columns): Uint8Array | undefined {
  const n = c.size;
  if (n === 0) return undefined;
  let grouped = true;
  for (let i = 1; i < n && grouped; i++) grouped = c.userIds[i] >= c.userIds[i - 1];
  // Rows grouped by user: in file order when the file is sorted by user (as the CSV releases are),
  // else by a counting sort on the user.
  let order: Int32Array | undefined;
  let userOf: Int32Array | undefined;
  if (!grouped) {
    const users = denseIndex(c.userIds, n);
    userOf = users.index;
    const offsets = new Int32Array(users.count + 1);
    for (let i = 0; i < n; i++) offsets[userOf[i] + 1]++;
    for (let u = 0; u < users.count; u++) offsets[u + 1] += offsets[u];
    order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[offsets[userOf[i]]++] = i;
  }
  const movies = denseIndex(c.movieIds, n);
  const lastRow = new Int32Array(movies.count);
  const lastGroup = new Int32Array(movies.count).fill(-1);
  let drop: Uint8Array | undefined;
  let count = 0;
  let example: [number, number] | undefined; // [earlier row, later row] with the earliest later row
  let group = -1;
  let previousUser = NaN;
  for (let k = 0; k < n; k++) {
    const row = order ? order[k] : k;
    const user = userOf ? userOf[row] : c.userIds[row];
    if (user !== previousUser) {
      group++;
      previousUser = user;
    }
    const m = movies.index[row];
    if (lastGroup[m] === group) {
      drop ??= new Uint8Array(n);
      drop[lastRow[m]] = 1;
      count++;
      if (!example || row < example[1]) example = [lastRow[m], row];
    }
    lastGroup[m] = group;
    lastRow[m] = row;
  }
  if (example) {
    const [a, b] = example;
    console.warn(
      `${file}: ${count} duplicate (user, movie) rating${count > 1 ? "s" : ""}, e.g. user ${c.userIds[b]} rated movie ${c.movieIds[b]} ` +
        `${c.ratings[a]} then ${c.ratings[b]}; keeping the last rating of each pair (later ratings overwrite earlier ones)`,
    );
  }
  return drop;
}
