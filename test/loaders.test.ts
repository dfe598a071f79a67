import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import {
  load100kMovies, load1mMovies, loadCsvMovies, loadCsvRatings, loadDelimitedRatings, loadGenreNames, loadMovieLens, read100kSplit, readMovieLens,
} from "../src/data";
import { assertDataError, MIRROR, mirrorTest, sharedDataDir, writeFiles } from "./helpers";

const stars = { min: 0.5, max: 5 };

test("CSV ratings land in typed arrays with the right values", () => {
  const dir = writeFiles({ "ratings.csv": "userId,movieId,rating,timestamp\r\n1,31,2.5,1260759144\r\n7,1029,3.0,1260759179\r\n" });
  const r = loadCsvRatings(path.join(dir, "ratings.csv"), stars);
  assert.equal(r.length, 2);
  assert.ok(r.userIds instanceof Int32Array && r.movieIds instanceof Int32Array && r.ratings instanceof Float32Array);
  assert.deepEqual([...r.userIds], [1, 7]);
  assert.deepEqual([...r.movieIds], [31, 1029]);
  assert.deepEqual([...r.ratings], [2.5, 3]);
  assert.deepEqual([...r.timestamps], [1260759144, 1260759179]);
});

test("CSV movies keep quoted titles with commas and split genres", () => {
  const dir = writeFiles({
    "movies.csv": 'movieId,title,genres\n11,"American President, The (1995)",Comedy|Drama|Romance\n182727,"Frankenstein (""Director\'s cut"") (2010)",(no genres listed)\n',
  });
  const movies = loadCsvMovies(path.join(dir, "movies.csv"));
  assert.deepEqual(movies[0], { movieId: 11, title: "American President, The (1995)", year: 1995, genres: ["Comedy", "Drama", "Romance"] });
  assert.equal(movies[1].title, 'Frankenstein ("Director\'s cut") (2010)');
  assert.deepEqual(movies[1].genres, []);
});

test("ml-100k: tab-separated u.data, latin-1 u.item with genre flags", () => {
  const flags = (on: number[]) => Array.from({ length: 19 }, (_, i) => (on.includes(i) ? "1" : "0")).join("|");
  const genres = ["unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
    "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western"];
  const dir = writeFiles({
    "u.data": "196\t242\t3\t881250949\n186\t302\t3\t891717742\n",
    "u.genre": genres.map((g, i) => `${g}|${i}`).join("\n") + "\n\n",
    "u.item": Buffer.from(`1|Toy Story (1995)|01-Jan-1995||http://x|${flags([3, 4, 5])}\n1626|Nobody Loves Me (Keiner liebt mich) (1994)|01-Jan-1994||http://x|${flags([5])}\n1633|\xc1 k\xf6ld (1994)|01-Jan-1994||http://x|${flags([8])}\n`, "latin1"),
  });
  const r = loadDelimitedRatings(path.join(dir, "u.data"), "\t", { min: 1, max: 5 });
  assert.deepEqual([...r.userIds], [196, 186]);
  const movies = load100kMovies(path.join(dir, "u.item"), loadGenreNames(path.join(dir, "u.genre")));
  assert.deepEqual(movies[0].genres, ["Animation", "Children's", "Comedy"]);
  assert.equal(movies[2].title, "Á köld (1994)");
  assert.equal(movies[2].year, 1994);
});

test("ml-1m: '::'-separated ratings.dat and movies.dat", () => {
  const dir = writeFiles({
    "ratings.dat": "1::1193::5::978300760\n1::661::3::978302109\n",
    "movies.dat": Buffer.from("1::Toy Story (1995)::Animation|Children's|Comedy\n73::Mis\xe9rables, Les (1995)::Drama|Musical\n", "latin1"),
  });
  const r = loadDelimitedRatings(path.join(dir, "ratings.dat"), "::", { min: 1, max: 5 });
  assert.deepEqual([...r.movieIds], [1193, 661]);
  const movies = load1mMovies(path.join(dir, "movies.dat"));
  assert.equal(movies[1].title, "Misérables, Les (1995)");
  assert.deepEqual(movies[1].genres, ["Drama", "Musical"]);
});

test("bad input names the file, the line and the problem", () => {
  const dir = writeFiles({
    "tabs.csv": "userId\tmovieId\trating\ttimestamp\n1\t2\t3\t4\n",
    "nocol.csv": "userId,movieId,timestamp\n1,2,3\n",
    "text.csv": "userId,movieId,rating,timestamp\n1,2,4.0,5\n1,3,good,5\n",
    "range.csv": "userId,movieId,rating,timestamp\n1,2,4.0,5\n\n1,3,7,5\n",
    "short.csv": "userId,movieId,rating,timestamp\n1,2,4.0\n",
    "empty.csv": "",
    "blank.dat": "\n  \n",
    "u.data": "1 2 3 4\n",
    "ratings.dat": "1::2::3::4\n1::x::3::4\n",
  });
  const f = (name: string) => path.join(dir, name);
  assertDataError(() => loadCsvRatings(f("tabs.csv"), stars), f("tabs.csv"), 1, /missing columns userId, movieId, rating, timestamp.*not comma-separated/);
  assertDataError(() => loadCsvRatings(f("nocol.csv"), stars), f("nocol.csv"), 1, /missing column rating in header 'userId,movieId,timestamp'/);
  assertDataError(() => loadCsvRatings(f("text.csv"), stars), f("text.csv"), 3, /rating must be a number, got 'good'/);
  assertDataError(() => loadCsvRatings(f("range.csv"), stars), f("range.csv"), 4, /rating 7 is outside 0\.5-5/);
  assertDataError(() => loadCsvRatings(f("short.csv"), stars), f("short.csv"), 2, /expected 4 comma-separated fields, found 3/);
  assertDataError(() => loadCsvRatings(f("empty.csv"), stars), f("empty.csv"), undefined, /file is empty/);
  assertDataError(() => loadDelimitedRatings(f("blank.dat"), "::", stars), f("blank.dat"), undefined, /file is empty/);
  assertDataError(() => loadDelimitedRatings(f("u.data"), "\t", stars), f("u.data"), 1, /expected 4 fields separated by '\\t', found 1 \(is the file separated by/);
  assertDataError(() => loadDelimitedRatings(f("ratings.dat"), "::", stars), f("ratings.dat"), 2, /movie id must be a non-negative integer, got 'x'/);
  assertDataError(() => loadDelimitedRatings(f("missing.dat"), "::", stars), f("missing.dat"), undefined, /cannot read: ENOENT/);
});

mirrorTest("ml-latest-small from the mirror: 100,836 ratings of 9,742 movies by 610 users", async () => {
  const ml = await loadMovieLens("ml-latest-small", { baseUrl: MIRROR, dataDir: sharedDataDir(), progress: false });
  assert.equal(ml.ratings.length, 100836);
  assert.equal(ml.movies.length, 9742);
  assert.equal(new Set(ml.ratings.userIds).size, 610);
  assert.deepEqual(ml.ratingScale, { min: 0.5, max: 5, step: 0.5 });
  assert.equal(ml.movieById.get(11)?.title, "American President, The (1995)");
  const mean = ml.ratings.ratings.reduce((a, b) => a + b, 0) / ml.ratings.length;
  assert.ok(Math.abs(mean - 3.5016) < 1e-3, `mean rating ${mean}`);
});

mirrorTest("ml-100k from the mirror with its fixed u1 split", async () => {
  const ml = await loadMovieLens("ml-100k", { baseUrl: MIRROR, dataDir: sharedDataDir(), progress: false });
  assert.equal(ml.ratings.length, 100000);
  assert.equal(ml.movies.length, 1682);
  assert.equal(new Set(ml.ratings.userIds).size, 943);
  const { train, test: held } = read100kSplit(ml.dir, "u1");
  assert.equal(train.length, 80000);
  assert.equal(held.length, 20000);
  assert.equal(readMovieLens("ml-100k", ml.dir).movies[0].title, "Toy Story (1995)");
});
