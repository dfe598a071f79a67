import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "csv-parse/sync";
import { downloadDataset, loadCsvRatings, loadDelimitedRatings, Ratings } from "../src/data";
import { assertDataError, captureWarnings, MIRROR, mirrorTest, sharedDataDir, writeFiles } from "./helpers";

const halfStars = { min: 0.5, max: 5, step: 0.5 };
const wholeStars = { min: 1, max: 5, step: 1 };

/** What the csv-parse path made of a ratings file: the oracle the byte parser must agree with. */
function csvParseRatings(file: string, delimiter = ",", header = true): Ratings {
  const records = parse(fs.readFileSync(file), { bom: true, skip_empty_lines: true, delimiter, from_line: header ? 2 : 1 }) as string[][];
  const column = (i: number) => records.map((r) => Number(r[i]));
  return {
    userIds: Int32Array.from(column(0)),
    movieIds: Int32Array.from(column(1)),
    ratings: Float32Array.from(column(2)),
    timestamps: Uint32Array.from(column(3)),
    length: records.length,
  };
}

function assertSameRatings(actual: Ratings, expected: Ratings): void {
  assert.equal(actual.length, expected.length);
  assert.ok(actual.userIds instanceof Int32Array && actual.ratings instanceof Float32Array && actual.timestamps instanceof Uint32Array);
  assert.deepEqual(actual.userIds, expected.userIds);
  assert.deepEqual(actual.movieIds, expected.movieIds);
  assert.deepEqual(actual.ratings, expected.ratings);
  assert.deepEqual(actual.timestamps, expected.timestamps);
}

mirrorTest("the real ratings files parse to exactly what csv-parse reads", async () => {
  const small = await downloadDataset("ml-latest-small", { baseUrl: MIRROR, dataDir: sharedDataDir(), progress: false });
  const csv = path.join(small, "ratings.csv");
  const { result, warnings } = captureWarnings(() => loadCsvRatings(csv, halfStars));
  assert.equal(result.length, 100836);
  assertSameRatings(result, csvParseRatings(csv));
  assert.deepEqual(warnings, []);

  const ml100k = await downloadDataset("ml-100k", { baseUrl: MIRROR, dataDir: sharedDataDir(), progress: false });
  for (const name of ["u.data", "u1.base", "u1.test"]) {
    const file = path.join(ml100k, name);
    assertSameRatings(loadDelimitedRatings(file, "\t", wholeStars), csvParseRatings(file, "\t", false));
  }
});

test("lines across read chunks, CRLF, a BOM, blank lines, no final newline, columns in any order", () => {
  // About 6 MB: more than one 4 MB read, so lines straddle a chunk boundary.
  const lines = Array.from({ length: 240_000 }, (_, i) => `${1 + (i >> 7)},${(i * 7919) % 100_003},${0.5 + (i % 10) * 0.5},${1_000_000_000 + i}`);
  const dir = writeFiles({
    "big.csv": `userId,movieId,rating,timestamp\r\n${lines.join("\r\n")}\r\n\r\n`,
    "odd.csv": "\ufefftimestamp,rating,extra,movieId,userId\n\n5,4.5,x,2,1\n  \n7,1,y,3,1",
    "odd-expected.csv": "userId,movieId,rating,timestamp\n1,2,4.5,5\n1,3,1,7\n",
  });
  const big = path.join(dir, "big.csv");
  assertSameRatings(loadCsvRatings(big, halfStars), csvParseRatings(big));
  assertSameRatings(loadCsvRatings(path.join(dir, "odd.csv"), halfStars), csvParseRatings(path.join(dir, "odd-expected.csv")));
});

test("ids must be plain decimal integers and ratings on the data set's grid, else file:line", () => {
  const header = "userId,movieId,rating,timestamp\n";
  const cases: [string, string, number, RegExp][] = [
    ["hex.csv", `${header}1,2,4,5\n0x10,2,4,5\n`, 3, /userId must be a non-negative integer, got '0x10'/],
    ["exp.csv", `${header}1,1e3,4,5\n`, 2, /movieId must be a non-negative integer, got '1e3'/],
    ["neg.csv", `${header}-1,2,4,5\n`, 2, /userId must be a non-negative integer, got '-1'/],
    ["frac.csv", `${header}1.5,2,4,5\n`, 2, /userId must be a non-negative integer, got '1.5'/],
    ["space.csv", `${header}1, 2,4,5\n`, 2, /movieId must be a non-negative integer, got ' 2'/],
    ["big.csv", `${header}2147483648,2,4,5\n`, 2, /userId must be a non-negative integer, got '2147483648'/],
    ["grid.csv", `${header}1,2,4.5,5\n1,3,3.25,5\n`, 3, /rating 3\.25 is not on the 0\.5-star grid of 0\.5-5/],
    ["range.csv", `${header}1,2,-1,5\n`, 2, /rating -1 is outside 0\.5-5/],
    ["word.csv", `${header}1,2,4.,5\n1,2,.,5\n`, 3, /rating must be a number, got '\.'/],
    ["time.csv", `${header}1,2,4,12.5\n`, 2, /timestamp must be whole seconds since 1970, got '12\.5'/],
    ["long.csv", `${header}1,2,4,5,6\n`, 2, /expected 4 comma-separated fields, found 5/],
  ];
  const dir = writeFiles(Object.fromEntries(cases.map(([name, text]) => [name, text])));
  for (const [name, , line, problem] of cases) assertDataError(() => loadCsvRatings(path.join(dir, name), halfStars), path.join(dir, name), line, problem);

  const dat = writeFiles({ "u.data": "1\t2\t3\t4\n1\t3\t3.5\t4\n", "ratings.dat": "1::2::5::4\n1::2::5\n" });
  assertDataError(() => loadDelimitedRatings(path.join(dat, "u.data"), "\t", wholeStars), path.join(dat, "u.data"), 2, /rating 3\.5 is not on the 1-star grid of 1-5/);
  assertDataError(() => loadDelimitedRatings(path.join(dat, "ratings.dat"), "::", wholeStars), path.join(dat, "ratings.dat"), 2, /expected 4 fields separated by '::', found 3/);
});

test("a repeated (user, movie) pair keeps the last rating and warns once with the count and an example", () => {
  const dir = writeFiles({
    "sorted.csv": "userId,movieId,rating,timestamp\n1,10,2,100\n1,11,3,101\n1,10,4.5,102\n2,10,1,103\n2,12,5,104\n2,12,3,105\n",
    "u.data": "5\t10\t2\t1\n6\t10\t3\t2\n5\t11\t4\t3\n5\t10\t5\t4\n6\t11\t1\t5\n",
  });
  const sorted = captureWarnings(() => loadCsvRatings(path.join(dir, "sorted.csv"), halfStars));
  assert.deepEqual([...sorted.result.movieIds], [11, 10, 10, 12]);
  assert.deepEqual([...sorted.result.ratings], [3, 4.5, 1, 3]);
  assert.deepEqual([...sorted.result.timestamps], [101, 102, 103, 105]);
  assert.equal(sorted.warnings.length, 1);
  assert.match(sorted.warnings[0], /sorted\.csv: 2 duplicate \(user, movie\) ratings, e\.g\. user 1 rated movie 10 2 then 4\.5; keeping the last rating/);

  // Not grouped by user, as u.data isn't.
  const unsorted = captureWarnings(() => loadDelimitedRatings(path.join(dir, "u.data"), "\t", wholeStars));
  assert.deepEqual([...unsorted.result.userIds], [6, 5, 5, 6]);
  assert.deepEqual([...unsorted.result.ratings], [3, 4, 5, 1]);
  assert.equal(unsorted.warnings.length, 1);
  assert.match(unsorted.warnings[0], /u\.data: 1 duplicate \(user, movie\) rating, e\.g\. user 5 rated movie 10 2 then 5;/);
});
