import { test } from "node:test";
import * as assert from "node:assert/strict";
import { compile } from "vega-lite";
import { renderSvg, predictionsByRating, predictionsByRatingChart } from "../src";

const predictions = [
  { actual: 5, estimate: 4 },
  { actual: 1, estimate: 3 },
  { actual: 5, estimate: 4.5 },
  { actual: 1, estimate: 2 },
  { actual: 3, estimate: 3.25 },
];

test("one group per true rating, lowest first, with the mean and spread of the estimates", () => {
  const groups = predictionsByRating(predictions);
  assert.deepEqual(groups.map((g) => [g.actual, g.count, g.mean]), [[1, 2, 2.5], [3, 1, 3.25], [5, 2, 4.25]]);
  assert.deepEqual(groups.map((g) => g.std), [0.5, 0, 0.25]);
});

test("no predictions, or an estimate that is not a number, is an error", () => {
  assert.throws(() => predictionsByRating([]), /no predictions/);
  assert.throws(() => predictionsByRating([{ actual: 4, estimate: NaN }]), /estimate NaN for a rating of 4/);
});

test("the chart draws the diagonal, a bar and a point per rating, with axis titles in stars", async () => {
  const spec = predictionsByRatingChart(predictionsByRating(predictions), { title: "NN on ml-100k" });
  compile(spec);
  const svg = await renderSvg(spec);
  assert.match(svg, /true rating \(stars\)/);
  assert.match(svg, /predicted rating \(stars\)/);
  assert.match(svg, /NN on ml-100k/);
  assert.equal((svg.match(/aria-roledescription="line mark"/g) ?? []).length, 1, "one dashed diagonal");
  assert.equal((svg.match(/aria-roledescription="rule mark"/g) ?? []).length, 3, "one std bar per rating");
  assert.equal((svg.match(/aria-roledescription="point"/g) ?? []).length, 6, "a mean and a perfect point per rating");
});
