import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { compile } from "vega-lite";
import { historyChart, scatterWithLabels, biasBarChart, ratingHistogram, grid, renderSvg, displayBundle, show, VEGA_LITE_MIME, tableText, tableHtml, Spec, emptyHistory } from "../src";
import { tempDir } from "./helpers";

const schema = JSON.parse(fs.readFileSync(require.resolve("vega-lite/build/vega-lite-schema.json"), "utf8"));
const validate = new Ajv({ allowUnionTypes: true, strict: false }).compile(schema);

const history = { ...emptyHistory(), epoch: [1, 2, 3], learningRate: [1e-3, 1e-3, 1e-3], loss: [1.2, 0.9, 0.8], valLoss: [1.1, 0.95, 0.9], valRmse: [1.05, 0.97, 0.95], valMae: [0.8, 0.75, 0.74], seconds: [1, 1, 1] };
const specs: [string, Spec][] = [
  ["loss history", historyChart(history)],
  ["MAE history", historyChart(history, { metric: "mae" })],
  ["PCA scatter", scatterWithLabels([{ x: 0.1, y: 0.2, label: "Toy Story (1995)" }, { x: -0.3, y: 0.5, label: "Heat (1995)" }], { xTitle: "PC1", yTitle: "PC3" })],
  ["bias bars", biasBarChart([{ label: "Shawshank Redemption, The (1994)", bias: 0.9 }, { label: "Battlefield Earth (2000)", bias: -0.7 }])],
  ["rating histogram", ratingHistogram([4, 4, 5, 3.5, 1])],
];

for (const [name, spec] of specs) {
  test(`${name}: valid against the Vega-Lite 5 schema and compiles`, () => {
    assert.ok(validate(spec), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.equal(spec.$schema, "https://vega.github.io/schema/vega-lite/v5.json");
    const warnings: string[] = [];
    compile(spec, { logger: { level: () => 0, warn: (...m: unknown[]) => (warnings.push(m.join(" ")), undefined), info: () => undefined, debug: () => undefined, error: (...m: unknown[]) => { throw new Error(m.join(" ")); } } as never });
    assert.deepEqual(warnings, []);
  });
}

test("a 2x2 grid of charts is valid too", () => {
  const g = grid(specs.slice(0, 4).map(([, s]) => s), { columns: 2 });
  assert.ok(validate(g), JSON.stringify(validate.errors?.slice(0, 3)));
  assert.equal((g as { concat: unknown[] }).concat.length, 4);
});

const count = (svg: string, pattern: RegExp) => (svg.match(pattern) ?? []).length;

test("SVGs hold the expected marks and labels", async () => {
  const scatter = await renderSvg(specs[2][1]);
  assert.match(scatter, /^<svg/);
  assert.match(scatter, /Toy Story \(1995\)/);
  assert.match(scatter, /Heat \(1995\)/);
  assert.match(scatter, />PC1</);
  const bars = await renderSvg(specs[3][1]);
  assert.match(bars, /Shawshank Redemption, The \(1994\)/);
  assert.equal(count(bars, /aria-roledescription="bar"/g), 2, "one bar per entry");
  const lines = await renderSvg(specs[0][1]);
  assert.match(lines, /val loss/);
  assert.equal(count(lines, /aria-roledescription="line mark"/g), 2, "a line each for loss and val loss");
  const histogram = await renderSvg(specs[4][1]);
  assert.equal(count(histogram, /aria-roledescription="bar"/g), 4, "one bar per distinct star value");
});

test("the display bundle carries the v5 spec, the SVG and text", async () => {
  const bundle = await displayBundle(specs[0][1]);
  assert.deepEqual(Object.keys(bundle).sort(), ["application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"]);
  assert.equal(bundle[VEGA_LITE_MIME], specs[0][1]);
  assert.match(bundle["image/svg+xml"] as string, /<svg/);
});

test("outside a notebook show() writes the SVG and an HTML page", async () => {
  const dir = tempDir();
  const files = await show(specs[3][1], { dir, name: "biases" });
  assert.deepEqual(files, [path.join(dir, "biases.svg"), path.join(dir, "biases.html")]);
  assert.match(fs.readFileSync(files[1], "utf8"), /<svg[\s\S]*Battlefield Earth/);
  assert.deepEqual(fs.readdirSync(dir).sort(), ["biases.html", "biases.svg"]);
});

test("tables render as aligned text and escaped HTML", () => {
  assert.equal(tableText(["title", "bias"], [["Heat", 0.12345], ["<b>", null]]), "title  bias\nHeat   0.123\n<b>");
  assert.match(tableHtml(["t"], [["<b>"]]), /<td>&lt;b&gt;<\/td>/);
});
