// Movie lists that used to be mis-read without a word: merged rows, the wrong encoding, gaps in
// u.genre, ids in other notations.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { load100kMovies, load1mMovies, loadCsvMovies, loadGenreNames } from "../src/data";
import { assertDataError, captureWarnings, writeFiles } from "./helpers";

const GENRES = ["unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
  "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western"];
const genreFile = (genres: string[]) => genres.map((g, i) => `${g}|${i}`).join("\n") + "\n";
const flags = (on: number[]) => Array.from({ length: 19 }, (_, i) => (on.includes(i) ? "1" : "0")).join("|");

test("an unclosed quote that a stray quote closes lines later is an error at the line it opened, not one merged movie", () => {
  const dir = writeFiles({
    "movies.csv": 'movieId,title,genres\n1,Toy Story (1995),Adventure\n2,"Jumanji (1995),Adventure\n3,Grumpier Old Men (1995),Comedy\n4,Waiting to Exhale",Comedy\n5,Heat (1995),Action\n',
  });
  const file = path.join(dir, "movies.csv");
  assertDataError(() => loadCsvMovies(file), file, 3, /a quoted field opened on this line runs on to line 5, merging 3 lines into one row \(an unclosed quote\?\)/);
});

test("a latin-1 movies.csv is read as latin-1 with a warning naming the file, not as mangled UTF-8", () => {
  const dir = writeFiles({ "movies.csv": Buffer.from("movieId,title,genres\n73,\"Mis\xe9rables, Les (1995)\",Drama|War\n", "latin1") });
  const file = path.join(dir, "movies.csv");
  const { result, warnings } = captureWarnings(() => loadCsvMovies(file));
  assert.equal(result[0].title, "Misérables, Les (1995)");
  assert.deepEqual(warnings, [`${file}: expected UTF-8 but it is not valid UTF-8; reading it as latin-1`]);
});

test("a u.item or movies.dat re-saved as UTF-8 is read as UTF-8 with a warning; the published latin-1 reads silently", () => {
  const dir = writeFiles({
    "u.genre": genreFile(GENRES),
    "utf8/u.item": `1633|Á köld (1994)|01-Jan-1994||http://x|${flags([8])}\n`,
    "latin1/u.item": Buffer.from(`1633|\xc1 k\xf6ld (1994)|01-Jan-1994||http://x|${flags([8])}\n`, "latin1"),
    "movies.dat": "73::Misérables, Les (1995)::Drama|Musical\n",
  });
  const genres = loadGenreNames(path.join(dir, "u.genre"));
  const utf8 = captureWarnings(() => load100kMovies(path.join(dir, "utf8/u.item"), genres));
  assert.equal(utf8.result[0].title, "Á köld (1994)");
  assert.deepEqual(utf8.warnings, [`${path.join(dir, "utf8/u.item")}: expected latin-1 but it is valid UTF-8; reading it as UTF-8`]);
  const latin1 = captureWarnings(() => load100kMovies(path.join(dir, "latin1/u.item"), genres));
  assert.equal(latin1.result[0].title, "Á köld (1994)");
  assert.deepEqual(latin1.warnings, []);
  assert.equal(captureWarnings(() => load1mMovies(path.join(dir, "movies.dat"))).result[0].title, "Misérables, Les (1995)");
});

test("u.genre with a gap or a repeated index is an error, not undefined genres", () => {
  const gap = GENRES.map((g, i) => `${g}|${i < 5 ? i : i + 1}`).join("\n") + "\n";
  const repeated = "unknown|0\nAction|1\nAdventure|1\n";
  const dir = writeFiles({ "gap/u.genre": gap, "repeated/u.genre": repeated, "noname/u.genre": "unknown|0\n|1\n" });
  const file = (name: string) => path.join(dir, name, "u.genre");
  assertDataError(() => loadGenreNames(file("gap")), file("gap"), undefined, /no genre with index 5; the indices must run 0-19 without gaps/);
  assertDataError(() => loadGenreNames(file("repeated")), file("repeated"), 3, /genre index 1 is already given on line 2/);
  assertDataError(() => loadGenreNames(file("noname")), file("noname"), 2, /genre 1 has no name/);
});

test("ids are plain decimal digits: hexadecimal, exponents, signs and decimals are errors", () => {
  for (const id of ["0x10", "1e3", "12.0", "+5", "0b1", "-3", "Infinity"]) {
    const dir = writeFiles({
      "movies.csv": `movieId,title,genres\n${id},Toy Story (1995),Adventure\n`,
      "movies.dat": `${id}::Toy Story (1995)::Adventure\n`,
    });
    assertDataError(() => loadCsvMovies(path.join(dir, "movies.csv")), path.join(dir, "movies.csv"), 2, new RegExp(`movieId must be a non-negative integer, got '${id.replace(/[.+]/g, "\\$&")}'`));
    assertDataError(() => load1mMovies(path.join(dir, "movies.dat")), path.join(dir, "movies.dat"), 1, /MovieID must be a non-negative integer/);
  }
  const dir = writeFiles({ "movies.csv": "movieId,title,genres\n007,Toy Story (1995),Adventure\n" });
  assert.equal(loadCsvMovies(path.join(dir, "movies.csv"))[0].movieId, 7);
});
