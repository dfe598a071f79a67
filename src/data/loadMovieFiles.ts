// Movie lists of the older releases: ml-100k's u.item ('|', 19 genre flags) and
// ml-1m's movies.dat ('::', genres joined by '|'). Both are latin-1 as published; a copy
// re-saved as UTF-8 is detected and read as such (see textEncoding).
import { DataError } from "./dataError";
import { checkFirstTime, expectFields, parseId } from "./fields";
import { forEachLine } from "./lines";
import { Movie, yearFromTitle } from "./movies";

/** u.genre: "name|index" lines, in flag order; the indices must run 0, 1, 2... without gaps or repeats. */
export function loadGenreNames(file: string): string[] {
  const names: string[] = [];
  const lineOf: number[] = [];
  forEachLine(file, "latin1", (text, line) => {
    const fields = text.split("|");
    expectFields(fields, 2, "|", { file, line });
    const index = parseId(fields[1], "genre index", { file, line });
    if (lineOf[index] !== undefined) throw new DataError(file, line, `genre index ${index} is already given on line ${lineOf[index]}`);
    if (fields[0].trim() === "") throw new DataError(file, line, `genre ${index} has no name`);
    names[index] = fields[0];
    lineOf[index] = line;
  });
  // A gap would leave a flag without a genre: movies with it would get `undefined` genres.
  const gap = Array.from(names.keys()).find((index) => names[index] === undefined);
  if (gap !== undefined) throw new DataError(file, undefined, `no genre with index ${gap}; the indices must run 0-${names.length - 1} without gaps`);
  return names;
}

/** u.item: id|title|release date|video release date|IMDb URL|19 genre flags. */
export function load100kMovies(file: string, genreNames: readonly string[]): Movie[] {
  const movies: Movie[] = [];
  const firstLine = new Map<number, number>();
  forEachLine(file, "latin1", (text, line) => {
    const at = { file, line };
    const fields = text.split("|");
    expectFields(fields, 5 + genreNames.length, "|", at);
    const flags = fields.slice(5);
    const genres: string[] = [];
    flags.forEach((flag, i) => {
      if (flag !== "0" && flag !== "1") throw new DataError(file, line, `genre flag ${i + 1} must be 0 or 1, got '${flag}'`);
      if (flag === "1") genres.push(genreNames[i]);
    });
    const title = fields[1].trim();
    const movieId = parseId(fields[0], "movie id", at);
    checkFirstTime(firstLine, movieId, "movie id", at);
    movies.push({ movieId, title, year: yearFromTitle(title), genres });
  });
  return movies;
}

/** movies.dat: MovieID::Title::Genres. */
export function load1mMovies(file: string): Movie[] {
  const movies: Movie[] = [];
  const firstLine = new Map<number, number>();
  forEachLine(file, "latin1", (text, line) => {
    const at = { file, line };
    const fields = text.split("::");
    expectFields(fields, 3, "::", at);
    const title = fields[1].trim();
    const movieId = parseId(fields[0], "MovieID", at);
    checkFirstTime(firstLine, movieId, "MovieID", at);
    movies.push({ movieId, title, year: yearFromTitle(title), genres: fields[2].split("|").filter((g) => g !== "") });
  });
  return movies;
}
