// Issue 14, parts 3 to 6 and 8: numbers that make no sense, crashes with raw errors, files that
// were read wrong, the cache, and weak messages. Each test names the finding it covers.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { strToU8, zipSync } from "fflate";
import { createHash } from "node:crypto";
import * as cf from "../src";
import { createRatings, downloadDataset, loadCsvMovies, loadCsvRatings, loadDelimitedRatings, Ratings } from "../src/data";
import { defaultDataDir } from "../src/data/paths";
import { MAX_LINE_BYTES, parseRatingsFile } from "../src/data/ratingsParser";
import { IdEncoder } from "../src/prep";
import { pca } from "../src/analysis/pca";
import { MIRROR, mirrorTest, sharedDataDir, tempDir, writeFiles } from "./helpers";
import { lowRankRatings } from "./synthetic";

const quiet = { progress: false, log: false } as const;
const scale15 = { min: 1, max: 5, step: 1 };
const halfStars = { min: 0.5, max: 5, step: 0.5 };

/** The synthetic ratings with the rating of row `row` replaced. */
function withRating(value: number, row = 7): Ratings {
  const base = lowRankRatings({ count: 400, seed: 3 });
  const ratings = Float32Array.from(base.ratings);
  ratings[row] = value;
  return createRatings({ userIds: base.userIds, movieIds: base.movieIds, ratings, timestamps: base.timestamps });
}

// Part 3: numbers that make no sense.

test("collabData refuses ratings outside the declared scale, or not finite, naming the row, user, movie and value", () => {
  for (const value of [50, -20, 1e30]) {
    assert.throws(() => cf.collabData({ name: "probe", ratings: withRating(value), ratingScale: scale15 }), new RegExp(`'probe' ratings row 7 \\(user \\d+, movie \\d+\\) has rating ${String(Math.fround(value)).replace("+", "\\+")}, outside the data set's scale 1-5`));
  }
  for (const value of [NaN, Infinity]) {
    // Without a declared scale too: the mean would become NaN.
    assert.throws(() => cf.collabData({ name: "probe", ratings: withRating(value) }), new RegExp(`'probe' ratings row 7 .* has rating ${value}; every rating must be a finite number`));
  }
});

test("a declared 1-5 scale over ratings holding 0.5 and 5.5 is refused", () => {
  assert.throws(() => cf.collabData({ name: "probe", ratings: withRating(0.5), ratingScale: scale15 }), /rating 0\.5, outside the data set's scale 1-5/);
  assert.throws(() => cf.collabData({ name: "probe", ratings: withRating(5.5), ratingScale: scale15 }), /rating 5\.5, outside the data set's scale 1-5/);
});

test("explicit train/valid ratings are checked against the scale too", () => {
  const good = lowRankRatings({ count: 400, seed: 3 });
  assert.throws(() => cf.collabData({ name: "probe", ratings: good, ratingScale: scale15 }, { split: { train: good, valid: withRating(9) } }), /'probe' split\.valid row 7 .* has rating 9, outside/);
});

mirrorTest("collabData with ratings of its own plus split 'u1' is refused instead of ignoring them", async () => {
  const ml = await cf.loadMovieLens("ml-100k", { baseUrl: MIRROR, dataDir: sharedDataDir(), progress: false });
  const keep = Array.from({ length: 5000 }, (_, i) => i * 3);
  const subset = cf.data.selectRatings(ml.ratings, keep);
  assert.throws(() => cf.collabData({ ...ml, ratings: subset }, { split: "u1" }), /split 'u1' reads ml-100k's fixed files \(100000 ratings\), but the ratings given hold 5000 ratings/);
  // Same length, one rating edited: still not the ratings the split's files hold.
  const edited = Float32Array.from(ml.ratings.ratings);
  edited[123] = edited[123] === 5 ? 4 : 5;
  const changed = createRatings({ userIds: ml.ratings.userIds, movieIds: ml.ratings.movieIds, ratings: edited, timestamps: ml.ratings.timestamps });
  assert.throws(() => cf.collabData({ ...ml, ratings: changed }, { split: "u1" }), /but the ratings given hold 100000 ratings that differ from them/);
  // The whole release still works.
  assert.equal(cf.collabData(ml, { split: "u1" }).ratings.length, 100_000);
});

test("validFraction that the split would ignore, or out of range, is refused under its own name", () => {
  const ratings = lowRankRatings({ count: 400, seed: 3 });
  assert.throws(() => cf.collabData({ ratings }, { split: "none", validFraction: 0.1 }), /validFraction 0\.1 has no effect with the 'none' split/);
  assert.throws(() => cf.collabData({ ratings }, { split: { train: ratings, valid: ratings }, validFraction: 0.3 }), /validFraction 0\.3 has no effect with the explicit \{ train, valid \} split/);
  assert.throws(() => cf.collabData({ ratings }, { validFraction: 1.5 }), (error: Error) => /validFraction must be a number between 0 and 1 \(exclusive\), got 1\.5/.test(error.message) && !/testFraction/.test(error.message));
});

test("a random split that holds out nothing is refused", () => {
  const ratings = lowRankRatings({ count: 40, users: 8, movies: 10, seed: 3 });
  assert.throws(() => cf.collabData({ name: "tiny", ratings }, { validFraction: 0.01 }), /validFraction 0\.01 of the 40 ratings of 'tiny' holds out none/);
});

test("a learning rate that makes training diverge stops at the first exploding loss, naming the epoch and the option", async () => {
  const data = cf.collabData({ name: "synthetic", ratings: lowRankRatings({ seed: 5 }) }, { seed: 1 });
  const model = cf.dotBiasModel(data, { factors: 8, seed: 1 });
  await assert.rejects(cf.train(model, data, { epochs: 3, learningRate: 1e6, batchSize: 64, ...quiet }), /train: the loss (exploded to .*|became (NaN|Infinity)) at epoch 1, batch \d+: training diverged with learningRate 1000000; lower learningRate/);
  const staged = cf.dotBiasModel(data, { factors: 8, seed: 1 });
  await assert.rejects(
    cf.train(staged, data, { stages: [{ epochs: 1, learningRate: 1e-3 }, { epochs: 2, learningRate: 1e6 }], batchSize: 64, ...quiet }),
    /at epoch 2, batch \d+: training diverged with stages\[1\]\.learningRate 1000000/,
  );
});

test("a sensible learning rate is not taken for divergence", async () => {
  const data = cf.collabData({ name: "synthetic", ratings: lowRankRatings({ seed: 5 }) }, { seed: 1 });
  const model = cf.dotProductModel(data, { factors: 8, seed: 1 });
  const history = await cf.train(model, data, { epochs: 3, learningRate: 0.05, batchSize: 64, ...quiet });
  assert.equal(history.length, 3);
});

test("batchSize larger than the training set trains on all of it in one step instead of 'Invalid typed array length'", async () => {
  const data = cf.collabData({ name: "synthetic", ratings: lowRankRatings({ count: 500, seed: 5 }) }, { seed: 1 });
  const whole = cf.dotBiasModel(data, { factors: 4, seed: 1 });
  const exact = cf.dotBiasModel(data, { factors: 4, seed: 1 });
  const a = await cf.train(whole, data, { epochs: 2, batchSize: 1e12, learningRate: 1e-2, ...quiet });
  const b = await cf.train(exact, data, { epochs: 2, batchSize: data.train.length, learningRate: 1e-2, ...quiet });
  assert.equal(a.final.valRmse, b.final.valRmse, "a batch of 1e12 is one batch of the whole training set");
  await assert.rejects(cf.train(whole, data, { epochs: 1, batchSize: 2.5, ...quiet }), /train: batchSize must be a positive integer, got 2.5/);
});

test("CF_LESSON_EPOCHS that isn't a positive whole number is an error naming it and its value", async () => {
  const data = cf.collabData({ name: "synthetic", ratings: lowRankRatings({ count: 500, seed: 5 }) }, { seed: 1 });
  const model = cf.dotBiasModel(data, { factors: 4, seed: 1 });
  const saved = process.env.CF_LESSON_EPOCHS;
  try {
    for (const value of ["0", "-1", "abc", "2.5", ""]) {
      process.env.CF_LESSON_EPOCHS = value;
      await assert.rejects(cf.train(model, data, { epochs: 1, ...quiet }), new RegExp(`CF_LESSON_EPOCHS must be a positive whole number of epochs, got ${JSON.stringify(JSON.stringify(value)).slice(1, -1).replace(/[.]/g, "\\.")}`));
    }
  } finally {
    if (saved === undefined) delete process.env.CF_LESSON_EPOCHS;
    else process.env.CF_LESSON_EPOCHS = saved;
  }
});

test("CF_DATA_DIR set but empty is an error, not a cache in the working folder", () => {
  const saved = process.env.CF_DATA_DIR;
  try {
    process.env.CF_DATA_DIR = "";
    assert.throws(() => defaultDataDir(), /CF_DATA_DIR is set but empty/);
  } finally {
    if (saved === undefined) delete process.env.CF_DATA_DIR;
    else process.env.CF_DATA_DIR = saved;
  }
});

// Part 4: crashes with raw errors.

test("readMovieLens with an unknown release names it and the known ones, not a TypeError", () => {
  assert.throws(() => cf.readMovieLens("ml-10m" as cf.DatasetName, tempDir()), /unknown dataset 'ml-10m'; known: ml-latest-small, ml-100k/);
});

test("a ratings file with no line break is refused at the line limit, naming the file, before any RangeError", () => {
  // The 2.5 GB probe takes the same path with the default limit; a 5 MB file and a 4 MiB limit test it cheaply.
  const dir = writeFiles({ "flat.csv": Buffer.alloc(5 << 20, "1,2,3,4 ".charCodeAt(0)) });
  const file = path.join(dir, "flat.csv");
  assert.throws(() => parseRatingsFile(file, { kind: "csv" }, halfStars, { maxLineBytes: 1 << 22 }), new RegExp(`${file.replace(/[.]/g, "\\.")}:1: line 1 runs over 4194304 bytes without a line break; this is not a ratings file`));
  // The default stays far under what one Buffer and one read can hold (2 GiB - 1).
  assert.ok(MAX_LINE_BYTES < 2 ** 31 - 1 - 4 * 2 ** 20);
});

test("collabData(undefined), plain number[] ratings and builders given bare encoders say what they take", () => {
  assert.throws(() => cf.collabData(undefined as unknown as cf.RatingSource), /collabData: expected a loaded data set .* got undefined/);
  assert.throws(() => cf.collabData({ ratings: [4, 5, 3] as unknown as Ratings }), /collabData: 'ratings': ratings is a plain array of 3 values, not a ratings table; .*createRatings/);
  const columns = { userIds: [1, 2], movieIds: [3, 4], ratings: [4, 5], timestamps: [0, 0], length: 2 };
  assert.throws(() => cf.collabData({ ratings: columns as unknown as Ratings }), /ratings\.userIds must be an Int32Array, got a plain array/);
  const data = cf.collabData({ ratings: lowRankRatings({ count: 300, seed: 2 }) }, { split: "none" });
  assert.throws(() => cf.dotBiasModel(data.encoders as unknown as cf.CollabData), /model builder: its first argument must be the data object from collabData .* got an encoders object \{ users, movies \} \(the old way\)/);
  assert.throws(() => cf.oneHotNetModel(data.encoders as unknown as cf.CollabData), /oneHotNetModel: its first argument must be the data object/);
});

// Part 5: files.

test("a duplicated column in a ratings or movies header is refused, naming both fields", () => {
  const dir = writeFiles({
    "ratings.csv": "userId,movieId,rating,timestamp,rating\n1,2,4,5,1\n",
    "movies.csv": "movieId,title,genres,title\n1,A (1995),Drama,B\n",
  });
  assert.throws(() => loadCsvRatings(path.join(dir, "ratings.csv"), halfStars), /ratings\.csv:1: column rating appears twice in the header \(fields 3 and 5\)/);
  assert.throws(() => loadCsvMovies(path.join(dir, "movies.csv")), /movies\.csv:1: column title appears twice in the header \(fields 2 and 4\)/);
});

test("a movie id given twice in movies.csv, u.item or movies.dat is refused, naming both lines", () => {
  const dir = writeFiles({
    "movies.csv": "movieId,title,genres\n1,Toy Story (1995),Comedy\n2,Jumanji (1995),Adventure\n1,Usual Suspects (1995),Crime\n",
    "movies.dat": "1::Toy Story (1995)::Comedy\n1::Heat (1995)::Crime\n",
  });
  assert.throws(() => loadCsvMovies(path.join(dir, "movies.csv")), /movies\.csv:4: movieId 1 is already given on line 2/);
  assert.throws(() => cf.data.load1mMovies(path.join(dir, "movies.dat")), /movies\.dat:2: MovieID 1 is already given on line 1/);
});

test("readMovieLens refuses a ratings file cut inside its last line, which still parses", () => {
  const dir = writeFiles({
    "ratings.csv": "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.0,96498",
    "movies.csv": "movieId,title,genres\n1,Toy Story (1995),Comedy\n3,Grumpier Old Men (1995),Comedy\n",
  });
  assert.throws(() => cf.readMovieLens("ml-latest-small", dir), /ratings\.csv:3: the file ends inside line 3 \('1,3,4\.0,96498'\) with no line break after it: it was cut short/);
  // A file of one's own without a final line break is still read.
  assert.equal(loadCsvRatings(path.join(dir, "ratings.csv"), halfStars).length, 2);
});

test("CR-only line endings and fully quoted fields are read, as pandas reads them", () => {
  const expected = "userId,movieId,rating,timestamp\n1,2,4.5,100\n1,3,3,200\n2,2,1,300\n";
  const dir = writeFiles({
    "cr.csv": expected.replace(/\n/g, "\r"),
    "quoted.csv": '"userId","movieId","rating","timestamp"\n"1","2","4.5","100"\n"1","3","3","200"\n"2","2","1","300"\n',
    "cr.data": "1\t2\t4\t100\r1\t3\t3\t200\r",
    "plain.csv": expected,
  });
  const want = loadCsvRatings(path.join(dir, "plain.csv"), halfStars);
  for (const name of ["cr.csv", "quoted.csv"]) {
    const got = loadCsvRatings(path.join(dir, name), halfStars);
    assert.deepEqual([got.userIds, got.movieIds, got.ratings, got.timestamps], [want.userIds, want.movieIds, want.ratings, want.timestamps], name);
  }
  assert.deepEqual(Array.from(loadDelimitedRatings(path.join(dir, "cr.data"), "\t", scale15).movieIds), [2, 3]);
});

// Part 6: the cache.

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");
const RATINGS = Array.from({ length: 50 }, (_, i) => `${1 + (i % 7)}::${10 + i}::${1 + (i % 5)}::978300760\n`).join("");
const MOVIES = Array.from({ length: 50 }, (_, i) => `${10 + i}::Movie ${i} (1995)::Drama\n`).join("");
const mirrorOf = (zip: Uint8Array) => writeFiles({ "ml-1m.zip": Buffer.from(zip), "ml-1m.zip.md5": `${md5(zip)}\n` });

test("a cached zip that matches its md5 but can't be used is removed and fetched again from the (fixed) source, with a warning", async () => {
  const good = zipSync({ "ml-1m/ratings.dat": strToU8(RATINGS), "ml-1m/movies.dat": strToU8(MOVIES) });
  const cases: [string, Uint8Array, RegExp][] = [
    ["cut", good.subarray(0, good.length - 30), /not a readable zip/],
    ["wrong folder inside", zipSync({ "ml-1m-old/ratings.dat": strToU8(RATINGS), "ml-1m-old/movies.dat": strToU8(MOVIES) }), /expected ratings\.dat, movies\.dat in the zip under ml-1m\/; it holds ml-1m-old/],
    ["an entry pointing outside", zipSync({ "ml-1m/ratings.dat": strToU8(RATINGS), "ml-1m/movies.dat": strToU8(MOVIES), "../evil.txt": strToU8("x") }), /entry '\.\.\/evil\.txt' points outside the folder/],
  ];
  for (const [what, bad, cause] of cases) {
    const dataDir = tempDir();
    await assert.rejects(downloadDataset("ml-1m", { baseUrl: mirrorOf(bad), dataDir, progress: false }), cause, what);
    assert.deepEqual(fs.readdirSync(dataDir), [], `${what}: the unusable zip is not kept as verified`);
    // The same bad zip already in the cache, verified by an earlier call; the source is fixed since.
    fs.writeFileSync(path.join(dataDir, "ml-1m.zip"), bad);
    fs.writeFileSync(path.join(dataDir, "ml-1m.zip.md5"), `${md5(bad)}\n`);
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => void warnings.push(message);
    try {
      const dir = await downloadDataset("ml-1m", { baseUrl: mirrorOf(good), dataDir, progress: false });
      assert.equal(fs.readFileSync(path.join(dir, "ratings.dat"), "latin1"), RATINGS, what);
    } finally {
      console.warn = warn;
    }
    assert.match(warnings.join("\n"), /ml-1m\.zip matched its MD5 but cannot be used; removed it from the cache and downloading it again/, what);
  }
});

test("offline with a cache from an earlier version (no .md5) or a folder unzipped by hand, the error says the copy is there and how to use it", async () => {
  const offline = path.join(tempDir(), "no-such-mirror");
  const zip = zipSync({ "ml-latest-small/ratings.csv": strToU8("userId,movieId,rating,timestamp\n1,1,4,5\n"), "ml-latest-small/movies.csv": strToU8("movieId,title,genres\n1,A (1995),Drama\n") });
  const oldCache = writeFiles({ "ml-latest-small.zip": Buffer.from(zip), "ml-latest-small/ratings.csv": "x", "ml-latest-small/movies.csv": "y" });
  await assert.rejects(downloadDataset("ml-latest-small", { baseUrl: offline, dataDir: oldCache, progress: false }), (error: Error) => {
    assert.match(error.message, /ml-latest-small\.zip is there but has no ml-latest-small\.zip\.md5 beside it .* md5sum ml-latest-small\.zip > ml-latest-small\.zip\.md5/);
    assert.match(error.message, /holds an unpacked copy of ml-latest-small that was never verified .* readMovieLens\("ml-latest-small", /);
    return true;
  });
  const byHand = writeFiles({ "ml-25m/ratings.csv": "userId,movieId,rating,timestamp\n1,1,4,5\n", "ml-25m/movies.csv": "movieId,title,genres\n1,A (1995),Drama\n" });
  await assert.rejects(downloadDataset("ml-25m", { baseUrl: offline, dataDir: byHand, progress: false }), /ml-25m holds an unpacked copy of ml-25m that was never verified \(no \.verified\.json\); to use it as it is: readMovieLens\("ml-25m", /);
  assert.equal(cf.readMovieLens("ml-25m", path.join(byHand, "ml-25m")).ratings.length, 1); // and that works
});

test("a dataDir blocked by a file names the option and the cause, not a raw EEXIST", async () => {
  const parent = tempDir();
  fs.writeFileSync(path.join(parent, "cache"), "a file");
  await assert.rejects(downloadDataset("ml-1m", { baseUrl: tempDir(), dataDir: path.join(parent, "cache"), progress: false }), /the dataDir option: cannot create the folder .*cache: a file \(not a folder\) is in the way/);
});

// Part 8: weak messages.

test("show() into a folder blocked by a file names the dir option and the cause, not a raw EEXIST", async () => {
  const parent = tempDir();
  fs.writeFileSync(path.join(parent, "plots"), "a file");
  const spec = { mark: "point", data: { values: [{ x: 1 }] }, encoding: { x: { field: "x", type: "quantitative" } } } as unknown as cf.Spec;
  await assert.rejects(cf.show(spec, { dir: path.join(parent, "plots", "lesson1") }), /show: the dir option: cannot create the folder .*plots\/lesson1: a file \(not a folder\) is in the way .*\[(EEXIST|ENOTDIR)\]/);
});

test("an id passed as a string says so, rather than 'unknown user 1'", () => {
  const users = new IdEncoder([1, 2, 3], "user", "ml-100k");
  assert.throws(() => users.index("1" as unknown as number), /user id "1" is a string, not a number: ids are numbers; pass the number 1/);
  assert.throws(() => users.index(7), /unknown user id 7: not among the 3 users in ml-100k/);
});

test("PCA of rows holding NaN or of ragged rows names the row and the cause, not 'identical rows' or a RangeError", () => {
  const rows = [[1, 2, 3], [2, 1, 0], [0, 5, 1], [3, 3, 3]];
  assert.throws(() => pca([...rows, [1, NaN, 2]], 2), /pca: row 4 holds NaN at position 1; the embeddings are not finite numbers \(did training diverge\?\)/);
  assert.throws(() => pca([...rows, [1, 2]], 2), /pca: row 4 has 2 values, but row 0 has 3/);
  assert.equal(pca(rows, 2).components.length, 2);
});
