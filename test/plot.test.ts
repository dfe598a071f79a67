import * as cfPlot from "../src/plot";
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { compile } from "vega-lite";
import { Resvg } from "@resvg/resvg-js";
import {
  historyChart,
  headLossChart,
  comparisonChart,
  scatterWithLabels,
  placeLabels,
  biasBarChart,
  ratingHistogram,
  explainedVarianceChart,
  grid,
  renderSvg,
  svgToPng,
  chartFontFamily,
  chartOutput,
  displayBundle,
  show,
  VEGA_LITE_MIME,
  VEGA_LITE_SCHEMA,
  tableText,
  tableHtml,
  metricAtKChart,
  distributionChart,
  barChart,
  showRecommendationLists,
  seriesColors,
  resetSeriesColors,
  textWidth,
  TRAIN_COLOUR,
  VALIDATION_COLOUR,
  SERIES_PALETTE,
  Spec,
  History,
  LabelledPoint,
} from "../src";
import { tempDir } from "./helpers";

const schema = JSON.parse(fs.readFileSync(require.resolve("vega-lite/build/vega-lite-schema.json"), "utf8"));
const validate = new Ajv({ allowUnionTypes: true, strict: false }).compile(schema);

function makeHistory(scale = 1, epochs = 3): History {
  const h = new History();
  const curve = (start: number, step: number) => Array.from({ length: epochs }, (_, i) => scale * (start - step * i));
  Object.assign(h, {
    epoch: Array.from({ length: epochs }, (_, i) => i + 1),
    learningRate: Array(epochs).fill(1e-3),
    loss: curve(1.2, 0.1),
    valLoss: curve(1.1, 0.05),
    trainRmse: curve(1.0, 0.08),
    trainMae: curve(0.8, 0.05),
    valRmse: curve(1.05, 0.03),
    valMae: curve(0.82, 0.02),
    seconds: Array(epochs).fill(1),
  });
  return h;
}

const history = makeHistory();
const hybrid = Object.assign(makeHistory(), { headLoss: { linear: [1.3, 1.1, 1.0], dot: [1.2, 0.9, 0.8] }, valHeadLoss: { linear: [1.2, 1.1, 1.1], dot: [1.1, 0.95, 0.9] } });
const moviePoints: LabelledPoint[] = Array.from({ length: 80 }, (_, i) => ({
  x: Math.sin(i * 1.7) * (1 + i / 40),
  y: Math.cos(i * 2.3) * (1 + (i % 7) / 5),
  label: `Film number ${i} (19${50 + i})`,
}));
/** Six epochs of a training sequence (learning rate per epoch) that early stopping took back to epoch 4. */
function sequence(rates = [1e-3, 1e-3, 1e-2, 1e-2, 1e-3, 1e-3], restored: number | undefined = 4): History {
  const h = makeHistory(1, rates.length);
  h.learningRate = rates;
  h.restoredEpoch = restored;
  return h;
}
const atK = ["popularity", "MF + bias", "BPR"].flatMap((model, m) => [1, 5, 10, 20].flatMap((k) => [
  { model, k, metric: "precision@k", value: (0.2 - m * 0.03) / Math.sqrt(k) },
  { model, k, metric: "recall@k", value: (0.02 + m * 0.01) * Math.sqrt(k) },
]));
const perUser = { popularity: Array.from({ length: 50 }, (_, i) => (i % 3) / 10), BPR: Array.from({ length: 50 }, (_, i) => (i % 5) / 10) };
const longTitles = Array.from({ length: 12 }, (_, i) => ({ label: `${"Some Long Movie Title".slice(0, 10 + i)} (${1990 + i})`, bias: (i - 6) / 10 }));

const specs: [string, Spec][] = [
  ["loss history", historyChart(history)],
  ["MAE history on a 0-1 axis", historyChart(history, { metric: "mae", yDomain: [0, 1] })],
  ["several runs", historyChart({ dot: history, "dot + bias": makeHistory(0.9) }, { metric: "rmse", title: "RMSE by model" })],
  ["head losses", headLossChart(hybrid)],
  ["comparison", comparisonChart([{ name: "dot", valRmse: 0.975 }, { name: "dot + bias", valRmse: 0.9 }], { baseline: 1.034 })],
  ["PCA scatter", scatterWithLabels([{ x: 0.1, y: 0.2, label: "Toy Story (1995)" }, { x: -0.3, y: 0.5, label: "Heat (1995)" }], { xTitle: "PC1", yTitle: "PC3" })],
  ["bias bars", biasBarChart([{ label: "Shawshank Redemption, The (1994)", bias: 0.9, count: 300 }, { label: "Battlefield Earth (2000)", bias: -0.7 }])],
  ["rating histogram", ratingHistogram([4, 4, 5, 3.5, 1])],
  ["explained variance", explainedVarianceChart([0.3, 0.2, 0.1])],
  ["comparison without a baseline (dots)", comparisonChart([{ name: "dot", valRmse: 0.975 }, { name: "dot + bias", valRmse: 0.9 }])],
  ["history with a baseline", historyChart({ dot: history, "dot + bias": makeHistory(0.9) }, { metric: "rmse", baseline: 1.069 })],
  ["scatter coloured by genre", scatterWithLabels(moviePoints.map((p, i) => ({ ...p, color: i % 2 ? "Comedy" : "Drama" })), { colorTitle: "genre" })],
  ["2x2 grid", grid([historyChart(history), historyChart({ a: history, b: history }), biasBarChart(longTitles), scatterWithLabels(moviePoints)])],
  ["training sequence with early stopping", historyChart(sequence(), { metric: "rmse", baseline: 1.1 })],
  ["several runs with their own rate changes", historyChart({ a: sequence(), b: sequence([1e-3, 1e-2, 1e-2, 1e-2, 1e-2, 1e-2]) })],
  ["metric at k", metricAtKChart(atK)],
  ["per-user distribution", distributionChart(perUser, { valueTitle: "precision@10 per user (0 to 1)" })],
  ["bar chart", barChart([{ label: "popularity", value: 35000 }, { label: "BPR", value: 12000 }], { valueTitle: "mean ratings of a recommended movie" })],
  ["grid of ranking charts", grid([metricAtKChart(atK), distributionChart(perUser), barChart([{ label: "BPR", value: 0.5 }])])],
];

/** The charts of a grid, row by row. */
const gridCharts = (spec: Spec) => (spec as unknown as { vconcat: { hconcat: { name?: string; title?: unknown; width: number; data: { values: { lx?: number }[] } }[] }[] }).vconcat.flatMap((row) => row.hconcat.filter((c) => !c.name?.startsWith("grid_spacer")));

const noWarnings = (spec: Spec) => {
  const warnings: string[] = [];
  const logger = { level: () => 0, warn: (...m: unknown[]) => (warnings.push(m.join(" ")), undefined), info: () => undefined, debug: () => undefined, error: (...m: unknown[]) => { throw new Error(m.join(" ")); } };
  compile(spec, { logger: logger as never });
  return warnings;
};

for (const [name, spec] of specs) {
  test(`${name}: valid against the Vega-Lite 5 schema, compiles without warnings, has a title`, () => {
    assert.ok(validate(spec), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.equal(spec.$schema, "https://vega.github.io/schema/vega-lite/v5.json");
    assert.deepEqual(noWarnings(spec), []);
    const titles = "vconcat" in spec ? gridCharts(spec).map((c) => c.title) : [spec.title];
    for (const title of titles) assert.ok(typeof title === "string" || Array.isArray(title), `${name} has a title`);
  });
}

const svgWidth = (svg: string) => Number(/^<svg[^>]*width="(\d+)"/.exec(svg)?.[1]);
const svgHeight = (svg: string) => Number(/^<svg[^>]*height="(\d+)"/.exec(svg)?.[1]);
const count = (svg: string, pattern: RegExp) => (svg.match(pattern) ?? []).length;
const lines = (svg: string) => count(svg, /aria-roledescription="line mark"/g);
/** The tick labels of the axes whose aria-label starts with `axis`. */
const axisLabels = (svg: string, axis: string) =>
  svg
    .split(`aria-label="${axis}`)
    .slice(1)
    .flatMap((part) => {
      const labels = /class="mark-text role-axis-label"[^>]*>([\s\S]*?)<\/g>/.exec(part.split('aria-label="')[0]);
      return labels ? [...labels[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]) : [];
    });

test("history charts draw train and validation together, whole epochs only, with a legend", async () => {
  const svg = await renderSvg(historyChart(makeHistory(1, 8), { metric: "rmse" }));
  assert.equal(lines(svg), 2, "a line each for train and validation RMSE");
  assert.match(svg, />train</);
  assert.match(svg, />validation</);
  assert.match(svg, />RMSE \(stars\)</);
  const epochs = axisLabels(svg, "X-axis titled 'epoch'").filter((t) => /^-?[\d.]+$/.test(t));
  assert.ok(epochs.length >= 4, `epoch ticks: ${epochs}`);
  for (const t of epochs) assert.ok(Number.isInteger(Number(t)), `epoch tick ${t} is a whole number`);
  for (const epochs of [1, 2, 40]) {
    const ticks = axisLabels(await renderSvg(historyChart(makeHistory(1, epochs))), "X-axis titled 'epoch'");
    assert.ok(ticks.length >= 1 && ticks.every((t) => Number.isInteger(Number(t))), `${epochs} epochs: ticks ${ticks}`);
    assert.equal(new Set(ticks).size, ticks.length, `${epochs} epochs: no epoch twice in ${ticks}`);
  }
  // A history without training RMSE (older runs) still draws the validation curve.
  const validOnly = Object.assign(makeHistory(), { trainRmse: [] });
  assert.equal(lines(await renderSvg(historyChart(validOnly, { metric: "rmse" }))), 1);
});

test("several runs in one chart: a line per run and set, colour per run, dash per set", async () => {
  const spec = historyChart({ dot: history, "dot + bias": makeHistory(0.9), nn: makeHistory(0.95) }, { metric: "loss" });
  const svg = await renderSvg(spec);
  assert.equal(lines(svg), 6);
  for (const run of ["dot", "dot + bias", "nn"]) assert.match(svg, new RegExp(`>${run.replace("+", "\\+")}<`));
  const encoding = (spec as unknown as { layer: { layer: { encoding: Record<string, { field: string }> }[] }[] }).layer[0].layer[0].encoding;
  assert.equal(encoding.color.field, "run");
  assert.equal(encoding.strokeDash.field, "set");
});

test("a fixed y domain puts MAE on a 0-1 axis", async () => {
  const ticks = axisLabels(await renderSvg(historyChart(history, { metric: "mae", yDomain: [0, 1] })), "Y-axis");
  assert.ok(ticks.includes("0.0") && ticks.includes("1.0"), `y ticks ${ticks}`);
});

test("history charts refuse a metric with nothing to draw, naming it", () => {
  const noValidation = Object.assign(makeHistory(), { valRmse: [NaN, NaN, NaN], trainRmse: [] });
  assert.throws(() => historyChart(noValidation, { metric: "rmse" }), /no finite rmse values/);
  assert.throws(() => headLossChart(history), /no per-head losses/);
});

test("the hybrid's head losses: a train and a validation line per head", async () => {
  const svg = await renderSvg(headLossChart(hybrid));
  assert.equal(lines(svg), 4);
  assert.match(svg, />linear</);
});

/** The bars of an SVG in drawing order: left edge, width and fill. */
const bars = (svg: string) =>
  [...svg.matchAll(/aria-roledescription="bar"[^>]*d="M([\d.-]+),[\d.-]+h([\d.]+)[^"]*" fill="([^"]+)"/g)].map((m) => ({ x0: Number(m[1]), x1: Number(m[1]) + Number(m[2]), fill: m[3] }));
/** Text marks in the plot (not axis or legend text): anchor and x. */
const valueTexts = (svg: string) =>
  [...svg.matchAll(/aria-roledescription="text mark" text-anchor="(\w+)" transform="translate\(([\d.-]+),[\d.-]+\)"[^>]*>([^<]*)</g)].map((m) => ({ anchor: m[1], x: Number(m[2]), text: m[3] }));
const ruleX = (svg: string) => Number(/aria-roledescription="rule mark" transform="translate\(([\d.-]+),/.exec(svg)?.[1]);
const close = (a: number, b: number) => Math.abs(a - b) < 0.6;

test("comparison with a baseline: bars run from the baseline to each RMSE (left green = better, right red = worse), values at the outer ends", async () => {
  const rows = [{ name: "dot", valRmse: 0.975 }, { name: "dot + bias", valRmse: 0.9 }, { name: "too big", valRmse: 1.1 }];
  const svg = await renderSvg(comparisonChart(rows, { baseline: 1.034, title: "RMSE" }));
  const drawn = bars(svg);
  const zero = ruleX(svg);
  assert.equal(drawn.length, 3);
  assert.ok(zero > 0, "the baseline is drawn as a rule");
  const [dot, bias, big] = drawn;
  for (const better of [dot, bias]) assert.ok(close(better.x1, zero) && better.fill === "#3b8b3f", `a better model's bar ends at the baseline, green: ${JSON.stringify(better)}`);
  assert.ok(close(big.x0, zero) && big.fill === "#c0504d", `a worse model's bar starts at the baseline, red: ${JSON.stringify(big)}`);
  // Lengths are the differences from the baseline, to scale: 0.134 : 0.059 : 0.066.
  const length = (b: { x0: number; x1: number }) => b.x1 - b.x0;
  assert.ok(Math.abs(length(bias) / length(dot) - 0.134 / 0.059) < 0.01 && Math.abs(length(big) / length(dot) - 0.066 / 0.059) < 0.01, JSON.stringify(drawn));
  const labels = valueTexts(svg);
  assert.deepEqual(labels.map((l) => l.text), ["0.975", "0.900", "1.100"]);
  assert.ok(labels[0].anchor === "end" && labels[0].x < dot.x0 && labels[1].anchor === "end" && labels[1].x < bias.x0, "better values left of their bars");
  assert.ok(labels[2].anchor === "start" && labels[2].x > big.x1, "a worse value right of its bar");
  // The baseline is named under the axis, never as text in the plot where it met the value labels.
  assert.match(svg, /role-axis-title[^]*?<tspan[^>]*>bars start at the dark line: global mean 1\.034</);
  assert.ok(labels.every((l) => !/global mean/.test(l.text)));
  assert.match(svg, /better than the baseline/);
  assert.throws(() => comparisonChart([{ name: "broken", valRmse: NaN }]), /valRmse of "broken" is NaN/);
  assert.throws(() => comparisonChart(rows, { baseline: NaN }), /baseline is NaN/);
});

test("comparison values close to the baseline keep their labels clear of it, inside the chart, also narrowed in a grid", async () => {
  const rows = [{ name: "early stopping", valRmse: 1.06 }, { name: "20 epochs", valRmse: 1.153 }];
  for (const spec of [comparisonChart(rows, { baseline: 1.069 }), gridCharts(grid([comparisonChart(rows, { baseline: 1.069 }), historyChart(history)], { width: 600 }))[0] as unknown as Spec]) {
    const svg = await renderSvg({ ...spec, $schema: VEGA_LITE_SCHEMA } as Spec);
    const zero = ruleX(svg);
    const [early, late] = valueTexts(svg);
    const width = (spec as { width: number }).width;
    // "1.060" is about 35 px wide and ends 4 px left of its short bar, which ends at the baseline.
    assert.ok(early.anchor === "end" && early.x < zero - 4 && early.x - 40 >= 0, `label at ${early.x}, baseline at ${zero}`);
    assert.ok(late.anchor === "start" && late.x > zero && late.x + 40 <= width, `label at ${late.x} in a ${width} px plot`);
  }
});

test("comparison without a baseline: a dot per model on an axis that needn't start at zero, no bars", async () => {
  const svg = await renderSvg(comparisonChart([{ name: "dot", valRmse: 0.975 }, { name: "dot + bias", valRmse: 0.9 }]));
  assert.equal(bars(svg).length, 0);
  assert.equal(count(svg, /aria-roledescription="point"/g), 2);
  const ticks = axisLabels(svg, "X-axis").map(Number);
  assert.ok(ticks.length >= 3 && Math.min(...ticks) > 0.8, `x ticks ${ticks}`);
  assert.deepEqual(valueTexts(svg).map((l) => l.text), ["0.975", "0.900"]);
});

test("history with a baseline: a horizontal rule named on a right-hand axis; the train/validation legend is titled 'set'", async () => {
  const svg = await renderSvg(historyChart(makeHistory(1, 8), { metric: "rmse", baseline: 1.25, baselineLabel: "global mean RMSE" }));
  const rule = /aria-roledescription="rule mark" transform="translate\(([\d.-]+),([\d.-]+)\)" x2="([\d.-]+)" y2="0"/.exec(svg);
  assert.ok(rule, "a horizontal rule");
  const height = 240;
  assert.ok(Number(rule[2]) > 0 && Number(rule[2]) < height / 4 && Math.abs(Number(rule[3])) >= 379, `the rule near the top (1.25 is above the curves), across the plot: ${rule[0]}`);
  assert.match(svg, /role-axis-label[^]*?>global mean RMSE 1\.250</);
  assert.match(svg, />set</);
  assert.doesNotMatch(svg, />data</);
  assert.equal(lines(svg), 2);
  assert.doesNotMatch(await renderSvg(historyChart(history)), /rule mark/, "no rule without a baseline");
  assert.throws(() => historyChart(history, { baseline: Infinity }), /baseline is Infinity/);
});

/** Pixel boxes of placed labels (0.55 em a character, as narrow as fonts draw titles) and the scale they were placed on. */
function labelBoxes(points: LabelledPoint[], width: number, height: number, maxLabels?: number) {
  const { xDomain, yDomain, labels } = placeLabels(points, { width, height, maxLabels });
  const px = (x: number) => ((x - xDomain[0]) / (xDomain[1] - xDomain[0])) * width;
  const py = (y: number) => height - ((y - yDomain[0]) / (yDomain[1] - yDomain[0])) * height;
  const boxes = [...labels].map(([i, l]) => {
    const w = points[i].label.length * 11 * 0.55;
    const x0 = l.align === "left" ? px(l.lx) : l.align === "right" ? px(l.lx) - w : px(l.lx) - w / 2;
    const y0 = l.baseline === "bottom" ? py(l.ly) - 12 : l.baseline === "top" ? py(l.ly) : py(l.ly) - 6;
    return { i, x0, x1: x0 + w, y0, y1: y0 + 12, leader: l.leader, end: l.leader ? [px(l.ex!), py(l.ey!)] : undefined };
  });
  return { boxes, px, py };
}

test("scatter labels never overlap each other or other points, and every point has a title tooltip", () => {
  const width = 600;
  const height = 440;
  const { boxes, px, py } = labelBoxes(moviePoints, width, height, 30);
  assert.ok(boxes.length >= 8, `${boxes.length} labels placed`);
  for (const a of boxes) {
    assert.ok(a.x0 >= -0.5 && a.x1 <= width + 0.5 && a.y0 >= -0.5 && a.y1 <= height + 0.5, "label inside the plot");
    for (const b of boxes) if (a !== b) assert.ok(!(a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1), `labels ${a.i} and ${b.i} overlap`);
    moviePoints.forEach((p, j) => {
      if (j !== a.i) assert.ok(!(a.x0 < px(p.x) + 2 && px(p.x) - 2 < a.x1 && a.y0 < py(p.y) + 2 && py(p.y) - 2 < a.y1), `label ${a.i} covers point ${j}`);
    });
  }
  // The farthest points from the centre are the ones labelled.
  const chosen = placeLabels(moviePoints.map((p, i) => ({ ...p, labelled: i < 3 })), { width, height });
  assert.deepEqual([...chosen.labels.keys()].sort(), [0, 1, 2]);
  const spec = scatterWithLabels(moviePoints) as { layer: { encoding: { tooltip?: { field: string; title: string }[] } }[] };
  assert.deepEqual(spec.layer[0].encoding.tooltip?.[0], { field: "label", type: "nominal", title: "title" });
});

const boxDistance = (x: number, y: number, b: { x0: number; x1: number; y0: number; y1: number }) => Math.hypot(Math.max(b.x0 - x, 0, x - b.x1), Math.max(b.y0 - y, 0, y - b.y1));

// A crowd of five films against the right edge of a cloud of 150 others (a pseudo-random but fixed layout).
const cloud: LabelledPoint[] = Array.from({ length: 150 }, (_, i) => ({ x: Math.sin(i * 12.9898) * 0.9, y: Math.cos(i * 78.233) * 0.9, label: `Background film ${i} (2000)` }));
const crowd: LabelledPoint[] = [[1.086, 0.095], [1.084, 0.046], [1.061, 0.089], [1.026, 0.187], [1.025, -0.035]].map(([x, y], i) => ({ x, y, label: ["Kill Bill: Vol. 1 (2003)", "Godfather: Part II, The (1974)", "Big Lebowski, The (1998)", "Pulp Fiction (1994)", "Clockwork Orange, A (1971)"][i], labelled: true }));
const edgeCrowd = [...cloud.map((p) => ({ ...p, labelled: false })), ...crowd];

test("a crowd of points against the plot's edge gets most of its labels, inside the chart's size", async () => {
  const { boxes } = labelBoxes(edgeCrowd, 600, 440);
  const labelled = boxes.map((b) => edgeCrowd[b.i].label);
  assert.ok(labelled.length >= 4, `labelled: ${labelled.join(", ")}`);
  const svg = await renderSvg(scatterWithLabels(edgeCrowd));
  for (const label of labelled) assert.ok(svg.includes(`>${label}<`), `${label} drawn`);
  const plain = await renderSvg(scatterWithLabels(edgeCrowd.map((p) => ({ ...p, labelled: false }))));
  // Labels sit inside the plot: the chart is no wider or taller than without them.
  assert.ok(svgWidth(svg) <= svgWidth(plain) + 1, `labels don't widen the chart: ${svgWidth(svg)} vs ${svgWidth(plain)} px`);
  assert.ok(svgHeight(svg) <= svgHeight(plain) + 1, `labels don't heighten the chart: ${svgHeight(svg)} vs ${svgHeight(plain)} px`);
});

test("a label without a leader line is nearer its own point than any other; leader lines pass no other point", () => {
  for (const [name, points, maxLabels] of [["films", moviePoints, 30], ["edge crowd", edgeCrowd, undefined]] as const) {
    const { boxes, px, py } = labelBoxes(points, 600, 440, maxLabels);
    for (const b of boxes) {
      const own = boxDistance(px(points[b.i].x), py(points[b.i].y), b);
      points.forEach((p, j) => {
        if (j === b.i) return;
        if (!b.leader) assert.ok(boxDistance(px(p.x), py(p.y), b) > own, `${name}: "${p.label}" is nearer the label "${points[b.i].label}" than its own point`);
        else {
          // The leader runs from the label's point to its text, clear of every other point.
          const [ax, ay, bx, by] = [px(points[b.i].x), py(points[b.i].y), b.end![0], b.end![1]];
          const t = Math.max(0, Math.min(1, ((px(p.x) - ax) * (bx - ax) + (py(p.y) - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2 || 1)));
          assert.ok(Math.hypot(ax + t * (bx - ax) - px(p.x), ay + t * (by - ay) - py(p.y)) >= 3, `${name}: the leader of "${points[b.i].label}" passes "${p.label}"`);
        }
      });
      if (b.leader) assert.ok(boxDistance(b.end![0], b.end![1], b) < 0.5, `${name}: the leader of "${points[b.i].label}" ends at its text`);
    }
  }
});

test("scatter SVGs hold the labels and axis titles", async () => {
  const scatter = await renderSvg(specs[5][1]);
  assert.match(scatter, /Toy Story \(1995\)/);
  assert.match(scatter, /Heat \(1995\)/);
  assert.match(scatter, />PC1</);
});

test("bias bars: one per entry, units as given", async () => {
  const bars = await renderSvg(biasBarChart([{ label: "Shawshank Redemption, The (1994)", bias: 0.9 }, { label: "Battlefield Earth (2000)", bias: -0.7 }], { unit: "pre-sigmoid score" }));
  assert.match(bars, /Shawshank Redemption, The \(1994\)/);
  assert.match(bars, />bias \(pre-sigmoid score\)</);
  assert.equal(count(bars, /aria-roledescription="bar"/g), 2);
  assert.match(await renderSvg(specs[6][1]), />bias \(stars\)</);
  const histogram = await renderSvg(specs[7][1]);
  assert.equal(count(histogram, /aria-roledescription="bar"/g), 4, "one bar per distinct star value");
  assert.match(histogram, />rating \(stars\)</);
});


test("a 2x2 grid with long labels and legends fits a notebook in a 1280 px window and keeps every legend", async () => {
  const g = specs[12][1];
  assert.equal(gridCharts(g).length, 4);
  const svg = await renderSvg(g);
  assert.ok(svgWidth(svg) > 600 && svgWidth(svg) <= 840, `grid is ${svgWidth(svg)} px wide`);
  const wider = svgWidth(await renderSvg(grid([historyChart(history), biasBarChart(longTitles), scatterWithLabels(moviePoints), historyChart({ a: history, b: history })], { width: 1280 })));
  assert.ok(wider > 840 && wider <= 1280, `a grid given 1280 px is ${wider} px wide`);
  assert.match(svg, />run</, "the several-runs legend");
  assert.ok(count(svg, />validation</g) >= 2, "both history legends");
  // Wider than the grid allows on its own, a scatter is narrowed and its labels placed again.
  const wide = scatterWithLabels(moviePoints, { width: 1000 });
  const narrowed = gridCharts(grid([wide, wide]))[0];
  assert.ok(narrowed.width < 600);
  assert.notDeepEqual(narrowed.data.values, (wide as unknown as { data: { values: unknown[] } }).data.values);
});

test("scatter points coloured by a category, with a legend; without categories the labelled points are darker as before", async () => {
  const genre = (i: number) => (i % 2 ? "Comedy" : "Drama");
  const coloured = moviePoints.map((p, i) => ({ ...p, color: genre(i) }));
  const svg = await renderSvg(scatterWithLabels(coloured, { colorTitle: "genre" }));
  assert.match(svg, />genre</);
  assert.match(svg, />Comedy</);
  assert.match(svg, />Drama</);
  const fills = [...svg.matchAll(/aria-label="[^"]*title: Film number (\d+)[^"]*"[^>]*aria-roledescription="point"[^>]*fill="([^"]+)"/g)];
  const fillsOf = (g: string) => new Set(fills.filter((m) => genre(Number(m[1])) === g).map((m) => m[2]));
  assert.equal(fills.length, moviePoints.length);
  assert.equal(fillsOf("Comedy").size, 1);
  assert.equal(fillsOf("Drama").size, 1);
  assert.notDeepEqual(fillsOf("Comedy"), fillsOf("Drama"));
  const plain = await renderSvg(scatterWithLabels(moviePoints));
  assert.doesNotMatch(plain, /role-legend/);
  assert.deepEqual(new Set([...plain.matchAll(/aria-roledescription="point"[^>]*fill="([^"]+)"/g)].map((m) => m[1])), new Set(["#1f4e79", "#9bb7d4"]));
});

test("a grid's titles in one row start on the same line, however many lines each wraps to", async () => {
  const g = grid([historyChart(history, { title: "Model 2: RMSE through the whole training sequence, a long title" }), historyChart(history, { title: "Loss" }), historyChart(history), historyChart(history)]);
  const rows = (g as unknown as { vconcat: { hconcat: { title: unknown }[] }[] }).vconcat;
  const first = rows[0].hconcat.map((c) => c.title as string[]);
  assert.ok(first[0].length >= 2 && first[1].length === first[0].length && first[1][0] === "Loss", JSON.stringify(first));
  // The rendered first lines share a height: absolute y of each title's first line.
  const svg = await renderSvg(g);
  const tops = [...svg.matchAll(/role-title-text[^>]*><text[^>]*transform="translate\(([\d.-]+),([\d.-]+)\)"/g)].map((m) => Number(m[2]));
  assert.equal(tops.length, 4);
  assert.ok(close(tops[0], tops[1]), `title lines at ${tops}`);
  // Titles that wrap alike are left alone.
  assert.deepEqual(rows[1].hconcat[0].title, rows[1].hconcat[1].title);
  const unwrapped = rows[1].hconcat[0].title;
  assert.ok(!Array.isArray(unwrapped) || !unwrapped.includes(""), `no padding lines in ${JSON.stringify(unwrapped)}`);
});

test("PNGs are drawn with their text: removing the text removes ink", async () => {
  const svg = await renderSvg(specs[6][1]);
  const withText = svgToPng(svg, 1);
  const withoutText = svgToPng(svg.replace(/<text[^>]*>[^<]*<\/text>/g, ""), 1);
  assert.equal(withText.png.subarray(1, 4).toString(), "PNG");
  assert.equal(withText.width, Number(/width="(\d+)"/.exec(svg)?.[1]));
  const family = chartFontFamily();
  assert.ok(family, "a font for chart text is installed");
  const dark = (svgText: string) => {
    const pixels = new Resvg(svgText, { background: "white", font: { loadSystemFonts: true, defaultFontFamily: family, sansSerifFamily: family } }).render().pixels;
    let n = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 128 && pixels[i + 1] < 128 && pixels[i + 2] < 128) n++;
    return n;
  };
  assert.ok(withText.png.length > withoutText.png.length);
  assert.ok(dark(svg) > dark(svg.replace(/<text[^>]*>[^<]*<\/text>/g, "")) + 500, "text adds dark pixels");
  // Twice the pixels for sharp text, drawn at the chart's own size.
  const output = await chartOutput(specs[0][1]);
  assert.deepEqual(Object.keys(output.data).sort(), ["application/vnd.vegalite.v5+json", "image/png", "text/plain"]);
  const meta = output.metadata["image/png"] as { width: number; height: number };
  const png = Buffer.from(output.data["image/png"] as string, "base64");
  assert.equal(png.readUInt32BE(16), 2 * meta.width);
  assert.equal(png.readUInt32BE(20), 2 * meta.height);
});

test("the display bundle carries the v5 spec, a PNG and text (no SVG, which nbconvert would strip to text)", async () => {
  const bundle = await displayBundle(specs[0][1]);
  assert.equal(bundle[VEGA_LITE_MIME], specs[0][1]);
  assert.equal(bundle["image/svg+xml"], undefined);
  assert.match(bundle["text/plain"] as string, /Loss by epoch/);
});

test("outside a notebook show() writes the SVG and an HTML page", async () => {
  const dir = tempDir();
  const files = await show(specs[6][1], { dir, name: "biases" });
  assert.deepEqual(files, [path.join(dir, "biases.svg"), path.join(dir, "biases.html")]);
  assert.match(fs.readFileSync(files![1], "utf8"), /<svg[\s\S]*Battlefield Earth/);
  assert.deepEqual(fs.readdirSync(dir).sort(), ["biases.html", "biases.svg"]);
});

test("tables render as aligned text and escaped HTML", () => {
  assert.equal(tableText(["title", "bias"], [["Heat", 0.12345], ["<b>", null]]), "title  bias\nHeat   0.123\n<b>");
  assert.match(tableHtml(["t"], [["<b>"]]), /<td>&lt;b&gt;<\/td>/);
});

// ---------------------------------------------------------------- review fixes: markers, marks, colours, formats, layout

/** Fill or stroke colours of the SVG elements with this role description. */
const colours = (svg: string, role: string, attr: "fill" | "stroke") => new Set([...svg.matchAll(new RegExp(`aria-roledescription="${role}"[^>]*?${attr}="(#[0-9a-f]+)"`, "g"))].map((m) => m[1]));
/** The plain text of every <text> element. */
const texts = (svg: string) => [...svg.matchAll(/<(?:text|tspan)[^>]*>([^<]+)<\/(?:text|tspan)>/g)].map((m) => m[1].replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">"));

test("every curve has a point at each epoch, with a tooltip naming the series, epoch and value", async () => {
  for (const [spec, points, fields] of [
    [historyChart(makeHistory(1, 8), { metric: "rmse" }), 16, ["set", "epoch", "value"]],
    [historyChart({ dot: history, "dot + bias": makeHistory(0.9) }, { metric: "rmse" }), 12, ["run", "set", "epoch", "value"]],
    [headLossChart(hybrid), 12, ["run", "set", "epoch", "value"]],
  ] as const) {
    const svg = await renderSvg(spec);
    assert.equal(count(svg, /aria-roledescription="point"/g), points);
    const tooltip = /aria-roledescription="point"[^>]*aria-label="([^"]*)"|aria-label="([^"]*)"[^>]*aria-roledescription="point"/.exec(svg);
    const label = tooltip?.[1] ?? tooltip?.[2] ?? "";
    for (const field of fields) assert.match(label, new RegExp(`${field === "run" ? "(run|output head)" : field === "value" ? "(RMSE|loss)[^:;]*" : field}: `), `point tooltip "${label}" names ${field}`);
  }
});

test("learning-rate changes are dashed rules named 'lr old → new', the epoch early stopping kept a rule 'kept: epoch N' and a ring", async () => {
  const spec = historyChart(sequence(), { metric: "rmse" });
  const svg = await renderSvg(spec);
  const words = texts(svg);
  assert.ok(words.includes("lr 1e-3 → 1e-2") && words.includes("lr 1e-2 → 1e-3") && words.includes("kept: epoch 4"), words.join(" | "));
  const rules = [...svg.matchAll(/aria-roledescription="rule mark" transform="translate\(([\d.]+),[\d.-]+\)"[^>]*?(stroke-dasharray="[^"]*")?[^>]*>/g)];
  assert.equal(rules.length, 3, "two rate changes and the kept epoch");
  // The changes sit between epochs 2 and 3 and between 4 and 5; the kept rule on epoch 4.
  const tick = (epoch: number) => ((epoch - 1) / 5) * 380;
  const xs = rules.map((r) => Number(r[1])).sort((a, b) => a - b);
  assert.ok(close(xs[0], tick(2.5)) && close(xs[1], tick(4)) && close(xs[2], tick(4.5)), `rules at ${xs}`);
  const layers = JSON.stringify(spec);
  assert.match(layers, /"filled":false,"size":180/, "the kept validation point is ringed");
  // Nothing to mark: one rate throughout, no restored epoch.
  const plain = texts(await renderSvg(historyChart(makeHistory(1, 6))));
  assert.ok(!plain.some((t) => /^lr |kept:/.test(t)), plain.join(" | "));
  assert.ok(!texts(await renderSvg(historyChart(sequence(), { marks: false }))).some((t) => /^lr |kept:/.test(t)), "marks: false draws no marks");
  // A restored epoch that is the last one needs no mark.
  assert.ok(!texts(await renderSvg(historyChart(sequence(undefined, 6)))).some((t) => /kept:/.test(t)), "the last epoch kept is not marked");
});

test("runs with different rate changes have them marked with the run's name; marks never overlap", async () => {
  const spec = historyChart({ a: sequence(), b: sequence([1e-3, 1e-2, 1e-2, 1e-2, 1e-2, 1e-2]) });
  const words = texts(await renderSvg(spec));
  for (const t of ["a: lr 1e-3 → 1e-2", "a: lr 1e-2 → 1e-3", "b: lr 1e-3 → 1e-2", "kept: epoch 4 (a)", "kept: epoch 4 (b)"]) assert.ok(words.includes(t), `${t} in ${words.join(" | ")}`);
  const marks = (spec as unknown as { layer: { data?: { values: { x: number; y: number; text: string; align: string }[] }; mark: { type: string } }[] }).layer.find((l) => l.mark?.type === "text")!.data!.values;
  const px = (x: number) => ((x - 1) / 5) * 380;
  const boxes = marks.map((m) => {
    const w = textWidth(m.text, { fontSize: 10 });
    const x0 = m.align === "left" ? px(m.x) + 3 : px(m.x) - 3 - w;
    return { x0, x1: x0 + w, y: m.y };
  });
  for (const a of boxes) for (const b of boxes) if (a !== b && a.y === b.y) assert.ok(a.x1 <= b.x0 || b.x1 <= a.x0, `marks overlap: ${JSON.stringify(boxes)}`);
});

test("grey is train and orange validation in every chart; named series never take either, and keep their colour from chart to chart", async () => {
  resetSeriesColors();
  const single = await renderSvg(historyChart(makeHistory(1, 4)));
  assert.deepEqual(colours(single, "line mark", "stroke"), new Set([TRAIN_COLOUR, VALIDATION_COLOUR]));
  const first = historyChart({ "dot product": history, "dot + bias": makeHistory(0.9) });
  const second = historyChart({ "dot + bias": makeHistory(0.9), hybrid: makeHistory(0.8), "dot product": history });
  const lineColours = async (spec: Spec) => colours(await renderSvg(spec), "line mark", "stroke");
  for (const spec of [first, second, headLossChart(hybrid)]) {
    const used = await lineColours(spec);
    assert.ok(!used.has(VALIDATION_COLOUR) && !used.has(TRAIN_COLOUR), `series colours ${[...used]}`);
  }
  const colourOf = (spec: Spec, name: string) => {
    const scale = (spec as unknown as { layer: { layer: { encoding: { color: { scale: { domain: string[]; range: string[] } } } }[] }[] }).layer[0].layer[0].encoding.color.scale;
    return scale.range[scale.domain.indexOf(name)];
  };
  assert.equal(colourOf(first, "dot + bias"), colourOf(second, "dot + bias"));
  assert.equal(colourOf(first, "dot product"), colourOf(second, "dot product"));
  assert.equal(new Set(["dot + bias", "hybrid", "dot product"].map((n) => colourOf(second, n))).size, 3);
  // The ranking charts agree with the curves on a model's colour.
  const bars = barChart([{ label: "hybrid", value: 1 }, { label: "dot + bias", value: 2 }]) as unknown as { layer: { encoding: { color?: { scale: { domain: string[]; range: string[] } } } }[] };
  const barScale = bars.layer[0].encoding.color!.scale;
  assert.equal(barScale.range[barScale.domain.indexOf("hybrid")], colourOf(second, "hybrid"));
  // Colours given are used (and kept); the validation colour and non-colours are refused by name.
  assert.equal(colourOf(historyChart({ x: history, y: history }, { colors: { x: "#123456" } }), "x"), "#123456");
  assert.deepEqual(seriesColors(["x"]), ["#123456"]);
  assert.throws(() => historyChart({ x: history, y: history }, { colors: { x: VALIDATION_COLOUR } }), /colors\["x"\].*validation/);
  assert.throws(() => barChart([{ label: "x", value: 1 }], { colors: { x: "not a colour!" } }), /barChart: colors\["x"\] = "not a colour!" is not a CSS colour/);
  // More series than colours: none in a chart share one while the palette lasts.
  resetSeriesColors();
  const many = SERIES_PALETTE.map((_, i) => `model ${i}`);
  assert.equal(new Set(seriesColors(many)).size, SERIES_PALETTE.length);
  assert.ok(!seriesColors(many).includes(VALIDATION_COLOUR), "never the validation colour");
});

test("count axes and tooltips show whole grouped numbers (35,000), never 3.5e+4", async () => {
  const ratings = [...Array(35000).fill(4), ...Array(12000).fill(3)];
  const labels = axisLabels(await renderSvg(ratingHistogram(ratings)), "Y-axis");
  assert.ok(labels.includes("35,000") && labels.every((l) => /^\d{1,3}(,\d{3})*$/.test(l)), `count ticks ${labels}`);
  const bar = await renderSvg(barChart([{ label: "popularity", value: 35000 }, { label: "BPR", value: 12000 }]));
  assert.ok(texts(bar).includes("35,000") && !texts(bar).some((t) => /e\+/.test(t)), texts(bar).join(" | "));
});

test("text is laid out by the font's own widths: long names aren't cut, the baseline's name sits close to the legend", async () => {
  const names = ["2. dot + bias, 10 factors, training sequence", "5. hybrid 15 epochs → dot + bias"];
  const svg = await renderSvg(comparisonChart(names.map((name, i) => ({ name, valRmse: 0.9 + i / 50 })), { baseline: 1.03 }));
  for (const name of names) assert.ok(texts(svg).includes(name), `"${name}" drawn whole`);
  const film = "Grave of the Fireflies (Hotaru no haka) (1988)";
  assert.ok(texts(await renderSvg(biasBarChart([{ label: film, bias: 0.5 }, { label: "Heat (1995)", bias: -0.1 }]))).includes(film));
  assert.ok(!svg.includes("…"), "no label cut");
  // The baseline's name widens the chart by about its drawn width, not Vega's 0.8 em guess (about 150 px here).
  const runs = { "dot product": history, "dot + bias": makeHistory(0.9) };
  const withBaseline = svgWidth(await renderSvg(historyChart(runs, { baseline: 1.069 })));
  const without = svgWidth(await renderSvg(historyChart(runs)));
  assert.ok(withBaseline - without <= textWidth("global mean 1.069") + 12, `the baseline adds ${withBaseline - without} px`);
  assert.ok(Math.abs(textWidth("global mean 1.069") - 103.2) < 0.5, "DejaVu Sans widths");
});

test("grid panels stay readable: at least 260 px plots, a chart that doesn't fit moves to its own row, titles wrap whole words into at most two lines", async () => {
  const comparison = comparisonChart([{ name: "5. hybrid 15 epochs → dot + bias", valRmse: 0.836 }, { name: "2. dot + bias, 10 factors, training sequence", valRmse: 0.965 }], { baseline: 1.034, title: "Validation RMSE" });
  const biases = biasBarChart([{ label: "Grave of the Fireflies (Hotaru no haka) (1988)", bias: 0.9 }, ...longTitles], { title: "Movie bias (2000 most rated)" });
  const g = grid([historyChart(sequence(), { metric: "rmse", title: "Model 2: RMSE by epoch" }), headLossChart(hybrid, { title: "Hybrid: loss per head" }), comparison, biases]);
  const charts = gridCharts(g);
  assert.equal(charts.length, 4);
  for (const chart of charts) {
    assert.ok(chart.width >= 260, `a ${chart.width} px panel`);
    const lines = Array.isArray(chart.title) ? chart.title.filter((t: string) => t) : [chart.title];
    assert.ok(lines.length <= 2, `title ${JSON.stringify(chart.title)}`);
  }
  assert.deepEqual(charts.slice(0, 2).map((c) => c.title), ["Model 2: RMSE by epoch", "Hybrid: loss per head"], "short titles stay on one line");
  assert.ok(svgWidth(await renderSvg(g)) <= 840, "the grid fits 840 px");
  // Four curve charts still make two rows of two.
  const four = grid([historyChart(history), historyChart(history), historyChart(history), historyChart(history)]) as unknown as { vconcat: { hconcat: unknown[] }[] };
  assert.deepEqual(four.vconcat.map((r) => r.hconcat.length), [2, 2]);
  assert.equal(gridCharts(grid([historyChart(history), historyChart(history)], { columns: 1 })).length, 2);
  assert.equal((grid([historyChart(history), historyChart(history)], { columns: 1 }) as unknown as { vconcat: unknown[] }).vconcat.length, 2);
  assert.throws(() => grid([]), /grid: no charts/);
  assert.throws(() => grid([historyChart(history)], { columns: 0 }), /grid: columns must be a whole number/);
  // Titles wrap at spaces and lose nothing.
  const long = "Model 2, dot + bias, 10 factors: the training sequence against batch 256";
  const wrapped = gridCharts(grid([historyChart(history, { title: long }), historyChart(history)]))[0].title as string[];
  assert.ok(Array.isArray(wrapped) && wrapped.length === 2, JSON.stringify(wrapped));
  assert.equal(wrapped.join(" "), long);
});

test("metric at k: a panel per metric, a line and points per model, k on a whole-number axis", async () => {
  const spec = metricAtKChart(atK, { title: "Precision and recall at k" });
  const svg = await renderSvg(spec);
  assert.equal(count(svg, /aria-roledescription="line mark"/g), 6, "3 models x 2 metrics");
  assert.equal(count(svg, /aria-roledescription="point"/g), atK.length);
  const words = texts(svg);
  for (const t of ["precision@k", "recall@k", "k (length of the list)", "value (0 to 1)", "popularity", "BPR", "model"]) assert.ok(words.includes(t), `${t} in the chart`);
  const ks = axisLabels(svg, "X-axis titled 'k");
  assert.ok(ks.length >= 4 && ks.every((k) => Number.isInteger(Number(k))), `k ticks ${ks}`);
  assert.throws(() => metricAtKChart([]), /no values/);
  assert.throws(() => metricAtKChart([{ model: "m", k: 0, value: 1, metric: "p" }]), /row 0 \(m, p\): k must be a whole number/);
  assert.throws(() => metricAtKChart([{ model: "m", k: 5, value: NaN, metric: "p" }]), /value of row 0 \(m, p, k=5\) is NaN/);
  // In a grid the panels are narrowed together.
  const narrowed = gridCharts(grid([metricAtKChart(atK, { width: 400 })], { width: 600 }))[0] as unknown as { spec: { width: number } };
  assert.ok(narrowed.spec.width < 400 && narrowed.spec.width >= 120, `panel width ${narrowed.spec.width}`);
});

test("per-user distribution: a box per model with its mean, axis titled with the unit", async () => {
  const svg = await renderSvg(distributionChart(perUser, { valueTitle: "precision@10 per user (0 to 1)" }));
  const words = texts(svg);
  assert.ok(words.includes("precision@10 per user (0 to 1)") && words.includes("popularity") && words.includes("BPR"), words.join(" | "));
  assert.equal(count(svg, /aria-roledescription="point"/g), 2, "a mean per model");
  assert.equal(count(svg, /aria-roledescription="box"/g), 2, "a box per model");
  assert.throws(() => distributionChart({ BPR: [] }), /values\["BPR"\] is empty/);
  assert.throws(() => distributionChart({ BPR: [0.1, Infinity] }), /values\["BPR"\]\[1\] is Infinity/);
});

test("bar chart: one bar per label, largest first, values at the bars' ends, room for them inside the chart", async () => {
  const spec = barChart([{ label: "BPR", value: 0.2 }, { label: "popularity", value: 0.8 }, { label: "MF", value: -0.1 }], { valueTitle: "difference (stars)" });
  const svg = await renderSvg(spec);
  assert.equal(count(svg, /aria-roledescription="bar"/g), 3);
  assert.deepEqual(valueTexts(svg).map((t) => t.text).sort(), ["0.2", "0.8", "−0.1"]);
  assert.deepEqual(axisLabels(svg, "Y-axis"), ["popularity", "BPR", "MF"], "largest on top");
  assert.ok(svgWidth(svg) <= 20 + textWidth("popularity") + 360 + 10 + 5, `chart ${svgWidth(svg)} px wide`);
  assert.throws(() => barChart([{ label: "a", value: 1 }, { label: "a", value: 2 }]), /"a" occurs twice/);
  assert.throws(() => barChart([{ label: "a", value: NaN }]), /value of "a" is NaN/);
});

test("one user's lists side by side: rank by rank, relevant items ticked", () => {
  const rows = showRecommendationLists({ popularity: ["Star Wars (1977)", { label: "Fargo (1996)", relevant: true }], BPR: [{ label: "Heat (1995)" }] });
  assert.deepEqual(rows, [[1, "Star Wars (1977)", "Heat (1995)"], [2, "✓ Fargo (1996)", ""]]);
  assert.throws(() => showRecommendationLists({}), /no lists/);
});

test("a wrapped title reads as one line in the display bundle's text", async () => {
  const spec = { ...historyChart(history), title: ["Two-line", "title"] } as unknown as Spec;
  assert.match((await displayBundle(spec))["text/plain"] as string, /Two-line title/);
});

test("scatterWithLabels colours categories from the series palette, never the validation colour, and takes colours by name", () => {
  const points = ["Comedy", "Drama", "Comedy", "Drama"].map((color, i) => ({ label: `film ${i}`, x: i, y: i % 2, color }));
  const spec = cfPlot.scatterWithLabels(points, { colorTitle: "genre" }) as unknown as { layer: { encoding: { color: { scale?: { domain: string[]; range: string[] } } } }[] };
  const scale = spec.layer[0].encoding.color.scale!;
  assert.deepEqual(scale.domain, ["Comedy", "Drama"], "the categories in order");
  assert.ok(!scale.range.map((c) => c.toLowerCase()).includes(cfPlot.VALIDATION_COLOUR.toLowerCase()), `a category wears the validation colour: ${scale.range}`);
  const named = cfPlot.scatterWithLabels(points, { colors: { Drama: "#2d6a2f" } }) as unknown as typeof spec;
  assert.equal(named.layer[0].encoding.color.scale!.range[1], "#2d6a2f", "Drama takes the colour it was given");
});
