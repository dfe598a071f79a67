// Charts for top-N ranking (lesson 6): a metric against the list length k, the spread of a
// per-user metric, one figure per model as bars, and one user's lists side by side. They take
// plain arrays, so they don't depend on how the rankings were computed.
import { seriesColors } from "./palette";
import { base, finite, resizable, Spec, wrapTitle } from "./specBase";
import { Cell, showTable } from "./table";
import { widestText } from "./textMetrics";

export interface MetricAtK {
  model: string;
  /** The length of the recommended list the metric was measured on. */
  k: number;
  value: number;
  /** e.g. "precision@k", "recall@k": one panel per metric. */
  metric: string;
}

export interface MetricAtKOptions {
  title?: string;
  /** The y axis title; "value (0 to 1)" by default, as precision, recall, hit rate and NDCG are. */
  valueTitle?: string;
  /** Width and height of each metric's panel, 260 x 200 px by default. */
  width?: number;
  height?: number;
  /** Colours of models, e.g. { popularity: "#9d755d" }; others keep the colour their name had in earlier charts. */
  colors?: Record<string, string>;
}

const LEGEND_RIGHT = (names: string[]) => 50 + widestText(names);
const FACET_SPACING = 20;

/**
 * Each metric against k, one line per model with a point at every k (tooltips: model, metric, k,
 * value); one panel per metric side by side, each with its own y scale.
 */
export function metricAtKChart(series: MetricAtK[], options: MetricAtKOptions = {}): Spec {
  if (series.length === 0) throw new Error("metricAtKChart: no values to draw");
  for (const [i, s] of series.entries()) {
    if (!(Number.isInteger(s.k) && s.k >= 1)) throw new Error(`metricAtKChart: row ${i} (${s.model}, ${s.metric}): k must be a whole number of at least 1, not ${s.k}`);
    finite(`value of row ${i} (${s.model}, ${s.metric}, k=${s.k})`, s.value, "metricAtKChart");
  }
  const models = [...new Set(series.map((s) => s.model))];
  const metrics = [...new Set(series.map((s) => s.metric))];
  const ks = [...new Set(series.map((s) => s.k))].sort((a, b) => a - b);
  const valueTitle = options.valueTitle ?? "value (0 to 1)";
  const x = { field: "k", type: "quantitative", title: "k (length of the list)", scale: { nice: false, domain: ks.length === 1 ? [ks[0] - 1, ks[0] + 1] : [ks[0], ks[ks.length - 1]] }, axis: ks.length <= 15 ? { values: ks, format: "d" } : { format: "d", tickMinStep: 1 } };
  const y = { field: "value", type: "quantitative", title: valueTitle, scale: { zero: false } };
  const color = { field: "model", type: "nominal", title: "model", sort: models, scale: { domain: models, range: seriesColors(models, options.colors, "metricAtKChart") }, legend: { symbolType: "stroke", symbolStrokeWidth: 3 } };
  const tooltip = [
    { field: "model", type: "nominal", title: "model" },
    { field: "metric", type: "nominal", title: "metric" },
    { field: "k", type: "quantitative", title: "k", format: "d" },
    { field: "value", type: "quantitative", title: valueTitle, format: ".4f" },
  ];
  const width = options.width ?? 260;
  const panel = {
    width,
    height: options.height ?? 200,
    layer: [
      { mark: { type: "line" }, encoding: { x, y, color, tooltip } },
      { mark: { type: "point", filled: true, opacity: 1, size: 40 }, encoding: { x, y, color, tooltip } },
    ],
  };
  const title = options.title ?? `${metrics.join(" and ")} by list length k`;
  const plotWidth = metrics.length * width + (metrics.length - 1) * FACET_SPACING;
  const { width: _w, height: _h, ...top } = base(title, width, options.height ?? 200, 70, LEGEND_RIGHT(models));
  // grid() reads the panels' width together, and rebuilds the chart with narrower panels.
  const usermeta = { ...top.usermeta, cfWidth: plotWidth, cfPanels: metrics.length };
  const again = (w: number) => metricAtKChart(series, { ...options, width: Math.max(120, Math.floor((w - (metrics.length - 1) * FACET_SPACING) / metrics.length)) });
  return resizable({
    ...top,
    usermeta,
    title: wrapTitle(title, 70 + plotWidth + LEGEND_RIGHT(models)),
    data: { values: series },
    facet: { column: { field: "metric", type: "nominal", title: null, sort: metrics, header: { labelFontSize: 12, labelFontWeight: "bold", labelLimit: 0 } } },
    spec: panel,
    spacing: FACET_SPACING,
    resolve: { scale: { y: "independent" } },
  } as unknown as Spec, again);
}

export interface DistributionOptions {
  title?: string;
  /** The value axis title, with its unit, e.g. "precision@10 per user (0 to 1)". */
  valueTitle?: string;
  width?: number;
  colors?: Record<string, string>;
}

/**
 * The spread of a per-user figure for each model: a box (quartiles), whiskers (1.5 IQR), outliers,
 * and a diamond at the mean, which a box alone hides when most users score 0.
 */
export function distributionChart(values: Record<string, number[]>, options: DistributionOptions = {}): Spec {
  const models = Object.keys(values);
  if (models.length === 0) throw new Error("distributionChart: no models given");
  const rows = models.flatMap((model) => {
    const xs = values[model];
    if (!Array.isArray(xs) && !ArrayBuffer.isView(xs)) throw new Error(`distributionChart: values["${model}"] must be an array of numbers`);
    if (xs.length === 0) throw new Error(`distributionChart: values["${model}"] is empty`);
    return Array.from(xs, (v, i) => ({ model, value: finite(`values["${model}"][${i}]`, v, "distributionChart") }));
  });
  const means = models.map((model) => ({ model, mean: values[model].reduce((s, v) => s + v, 0) / values[model].length, users: values[model].length }));
  const valueTitle = options.valueTitle ?? "value per user";
  const width = options.width ?? 420;
  const range = seriesColors(models, options.colors, "distributionChart");
  const y = { field: "model", type: "nominal", title: null, sort: models, axis: { labelLimit: 300 } };
  const color = { field: "model", type: "nominal", sort: models, scale: { domain: models, range }, legend: null };
  return resizable({
    ...base(options.title ?? `${valueTitle}: spread across users`, width, { step: 34 }, 20 + Math.min(300, widestText(models))),
    layer: [
      {
        data: { values: rows },
        mark: { type: "boxplot", extent: 1.5, size: 18, median: { color: "#222" }, outliers: { size: 14, opacity: 0.5 } },
        encoding: { y, x: { field: "value", type: "quantitative", title: [valueTitle, "box: middle half of users, bar: median, ◆: mean"], axis: { tickCount: Math.max(2, Math.floor(width / 70)) } }, color },
      },
      {
        data: { values: means },
        mark: { type: "point", shape: "diamond", filled: true, size: 70, color: "#222", opacity: 1 },
        encoding: {
          y,
          x: { field: "mean", type: "quantitative" },
          tooltip: [{ field: "model", title: "model" }, { field: "mean", type: "quantitative", title: `mean ${valueTitle}`, format: ".4f" }, { field: "users", type: "quantitative", title: "users", format: ",d" }],
        },
      },
    ],
  } as Spec, (w) => distributionChart(values, { ...options, width: w }));
}

export interface BarChartOptions {
  title?: string;
  /** The value axis title, with its unit, e.g. "mean ratings of a recommended movie". */
  valueTitle?: string;
  /** d3 format of the values; ",d" when every value is whole, else ".3~f". */
  format?: string;
  /** "descending" (largest on top, the default) or "input" (the order given). */
  sort?: "descending" | "input";
  width?: number;
  colors?: Record<string, string>;
}

/**
 * One horizontal bar per label (e.g. the mean popularity of what each model recommends), its
 * value at the bar's end; each label keeps the colour its name has in the lesson's other charts.
 */
export function barChart(rows: { label: string; value: number }[], options: BarChartOptions = {}): Spec {
  if (rows.length === 0) throw new Error("barChart: no rows to draw");
  const labels = rows.map((r) => r.label);
  const twice = labels.find((l, i) => labels.indexOf(l) !== i);
  if (twice !== undefined) throw new Error(`barChart: the label "${twice}" occurs twice; labels name the bars and must differ`);
  const values = rows.map((r) => ({ label: r.label, value: finite(`value of "${r.label}"`, r.value, "barChart") }));
  const whole = values.every((v) => Number.isInteger(v.value));
  const format = options.format ?? (whole ? ",d" : ".3~f");
  const valueTitle = options.valueTitle ?? "value";
  const width = options.width ?? 360;
  const order = options.sort === "input" ? labels : [...values].sort((a, b) => b.value - a.value).map((v) => v.label);
  // Room beyond the longest bar (and below zero, for negative ones) for its value label.
  const lo = Math.min(0, ...values.map((v) => v.value));
  const hi = Math.max(0, ...values.map((v) => v.value));
  const room = 10 + widestText(values.map((v) => formatLike(v.value, whole)));
  const perPixel = (hi - lo || 1) / Math.max(width / 3, width - 2 * room);
  const domain = [lo < 0 ? lo - room * perPixel : 0, hi > 0 ? hi + room * perPixel : 0];
  const x = { field: "value", type: "quantitative", title: valueTitle, scale: { domain, nice: false }, axis: { format: whole ? ",d" : undefined } };
  const y = { field: "label", type: "nominal", title: null, sort: order, axis: { labelLimit: 300 } };
  return resizable({
    ...base(options.title ?? valueTitle, width, { step: 24 }, 20 + Math.min(300, widestText(labels))),
    data: { values },
    layer: [
      {
        mark: { type: "bar" },
        encoding: { x, y, color: { field: "label", type: "nominal", scale: { domain: labels, range: seriesColors(labels, options.colors, "barChart") }, legend: null }, tooltip: [{ field: "label", title: "label" }, { field: "value", type: "quantitative", title: valueTitle, format }] },
      },
      {
        mark: { type: "text", fontSize: 11, baseline: "middle", align: { expr: "datum.value < 0 ? 'right' : 'left'" }, dx: { expr: "datum.value < 0 ? -4 : 4" } },
        encoding: { x, y, text: { field: "value", type: "quantitative", format } },
      },
    ],
  } as Spec, (w) => barChart(rows, { ...options, width: w }));
}

/** Roughly how a value label will read, to measure the room it needs. */
function formatLike(value: number, whole: boolean): string {
  return whole ? Math.round(value).toLocaleString("en-US") : value.toFixed(3);
}

/** An item of a recommended list: its title, and whether the user did rate it in the held-out set. */
export type ListItem = string | { label: string; relevant?: boolean };

/**
 * One user's top-N lists side by side, a column per model, rank by rank; items the user went on to
 * rate (relevant: true) are ticked. Shows the table (under `title`, if given) and returns its rows.
 */
export function showRecommendationLists(lists: Record<string, ListItem[]>, options: { title?: string } = {}): Cell[][] {
  const models = Object.keys(lists);
  if (models.length === 0) throw new Error("showRecommendationLists: no lists given");
  const longest = Math.max(...models.map((m) => lists[m].length));
  const cell = (item: ListItem | undefined): Cell => (item === undefined ? "" : typeof item === "string" ? item : `${item.relevant ? "✓ " : ""}${item.label}`);
  const rows: Cell[][] = Array.from({ length: longest }, (_, i) => [i + 1, ...models.map((m) => cell(lists[m][i]))]);
  if (options.title) showTable([options.title], []);
  showTable(["rank", ...models], rows);
  return rows;
}
