// The CSV releases (ml-latest-small, ml-25m, ml-32m). csv-parse handles the quoted titles
// ("American President, The (1995)") and reports line numbers for malformed rows.
import { parse } from "csv-parse/sync";
import { DataError } from "./dataError";
import { checkFirstTime, parseId } from "./fields";
import { readInput, textEncoding } from "./lines";
import { Movie, yearFromTitle } from "./movies";
import { Ratings } from "./ratings";
import { parseRatingsFile, ParseOptions, RatingsScale } from "./ratingsParser";

interface CsvContext {
  lines: number;
}

/**
 * Parses a CSV with a header row, handing each data row to `visit` as an object of the named
 * columns. Missing columns and other-delimiter files are reported before any row is read.
 * MovieLens CSVs are UTF-8 and have no line breaks inside fields: a file in another encoding is
 * read as latin-1 with a warning, and a field spanning lines (an unclosed quote that a stray
 * quote further down closed, merging rows) is an error at the line where it opened.
 */
export function forEachCsvRow<C extends string>(file: string, columns: readonly C[], visit: (row: Record<C, string>, line: number) => void): void {
  const bytes = readInput(file);
  let header: Map<string, number> | undefined;
  let previousEnd = 0; // the line the previous record ended on
  try {
    parse(bytes, {
      bom: true,
      encoding: textEncoding(bytes, file, "utf8"),
      skip_empty_lines: true,
      relax_column_count: true, // counted below, with a clearer message
      on_record: (record: string[], context: CsvContext) => {
        const start = previousEnd + 1;
        previousEnd = context.lines;
        if (record.some((field) => /[\r\n]/.test(field))) {
          throw new DataError(file, start, `a quoted field opened on this line runs on to line ${context.lines}, merging ${context.lines - start + 1} lines into one row (an unclosed quote?)`);
        }
        if (!header) {
          header = checkHeader(file, record, columns);
          return null;
        }
        if (record.length !== header.size) {
          throw new DataError(file, context.lines, `expected ${header.size} comma-separated fields, found ${record.length}`);
        }
        const row = {} as Record<C, string>;
        for (const column of columns) row[column] = record[header.get(column)!];
        visit(row, context.lines);
        return null; // nothing is kept: rows go straight into typed arrays
      },
    });
  } catch (error) {
    if (error instanceof DataError) throw error;
    const lines = (error as { lines?: number }).lines;
    throw new DataError(file, lines, (error as Error).message.replace(/^Invalid \w+ ?\w*: /, ""));
  }
}

function checkHeader(file: string, record: string[], columns: readonly string[]): Map<string, number> {
  const header = new Map(record.map((name, i) => [name.trim(), i]));
  for (const column of columns) {
    const fields = record.flatMap((name, i) => (name.trim() === column ? [i + 1] : []));
    if (fields.length > 1) throw new DataError(file, 1, `column ${column} appears twice in the header (fields ${fields.join(" and ")}) of '${record.join(",")}'; which one holds the ${column}s is ambiguous`);
  }
  const missing = columns.filter((column) => !header.has(column));
  if (missing.length > 0) {
    const hint = record.length === 1 && /[\t;|]/.test(record[0]) ? " (the file is not comma-separated?)" : "";
    throw new DataError(file, 1, `missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} in header '${record.join(",")}'${hint}`);
  }
  return header;
}

/** ratings.csv of the CSV releases, parsed from the bytes (see ratingsParser.ts). */
export function loadCsvRatings(file: string, scale: RatingsScale, options?: ParseOptions): Ratings {
  return parseRatingsFile(file, { kind: "csv" }, scale, options);
}

export function loadCsvMovies(file: string): Movie[] {
  const movies: Movie[] = [];
  const firstLine = new Map<number, number>();
  forEachCsvRow(file, ["movieId", "title", "genres"] as const, (row, line) => {
    const title = row.title.trim();
    const genres = row.genres === "(no genres listed)" ? [] : row.genres.split("|").filter((g) => g !== "");
    const movieId = parseId(row.movieId, "movieId", { file, line });
    checkFirstTime(firstLine, movieId, "movieId", { file, line });
    movies.push({ movieId, title, year: yearFromTitle(title), genres });
  });
  return movies;
}
