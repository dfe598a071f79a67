// Vega-Lite 5 spec builders for the lessons' charts. Data travels inline in each spec, so a
// saved notebook re-renders without the session that made it. Every chart has a title, axis
// titles with units and a legend whenever colour or dash carries meaning.
import { countValues } from "../prep/crosstab";
import { History } from "../train/history";
import { EpochMark, epochMarks, MARK_FONT, placeMarks } from "./epochMarks";
import { seriesColors, TRAIN_COLOUR, VALIDATION_COLOUR } from "./palette";
import { base, CONFIG, finite, Layout, resizable, resizers, Spec, VEGA_LITE_SCHEMA, wrapTitle } from "./specBase";
import { TextStyle, widestText } from "./textMetrics";

export { VEGA_LITE_SCHEMA } from "./specBase";
export type { Spec } from "./specBase";

// Margins are measured like the text in them (see textMetrics.ts). CHAR, Vega's old 0.8 em guess,
// is kept as a roomy allowance where a label's text isn't known yet.
const CHAR = 0.8 * 11;
const textWidth = (texts: string[], style?: TextStyle) => widestText(texts, style);

// ---------------------------------------------------------------- training curves

export type HistoryMetric = "loss" | "rmse" | "mae";

export interface HistoryChartOptions {
  metric?: HistoryMetric;
  title?: string;
  /** Overrides the y axis title (e.g. "loss (MSE of standardised ratings)"). */
  yTitle?: string;
  /** A fixed y range, e.g. [0, 1] for MAE; points outside it are clipped. */
  yDomain?: [number, number];
  width?: number;
  height?: number;
  /** A reference level to beat (e.g. the global mean's RMSE or MAE), drawn as a dashed horizontal rule named at the right edge. */
  baseline?: number;
  /** The baseline's name, "global mean" by default; its value is added. */
  baselineLabel?: string;
  /** Colours of named runs, e.g. { "dot + bias": "#54a24b" }; others keep the colour their name had in earlier charts. */
  colors?: Record<string, string>;
  /** false: leave learning-rate changes and the kept epoch unmarked. */
  marks?: boolean;
}

// Optional per-epoch arrays some histories carry: training RMSE/MAE and the hybrid's head losses.
interface HistoryExtras {
  trainRmse?: number[];
  trainMae?: number[];
  headLoss?: Record<string, number[]>;
  valHeadLoss?: Record<string, number[]>;
}

const METRICS: Record<HistoryMetric, { train: keyof History | keyof HistoryExtras; valid: keyof History; axis: string; name: string }> = {
  loss: { train: "loss", valid: "valLoss", axis: "loss (mean squared error)", name: "Loss" },
  rmse: { train: "trainRmse", valid: "valRmse", axis: "RMSE (stars)", name: "RMSE" },
  mae: { train: "trainMae", valid: "valMae", axis: "MAE (stars)", name: "MAE" },
};

interface CurvePoint {
  run: string;
  set: "train" | "validation";
  epoch: number;
  value: number;
}

function isHistory(value: unknown): value is History {
  return Array.isArray((value as History).epoch);
}

function column(history: History, key: string): number[] {
  const values = (history as unknown as Record<string, unknown>)[key];
  return Array.isArray(values) ? (values as number[]) : [];
}

function curvePoints(run: string, epochs: number[], train: number[], valid: number[]): CurvePoint[] {
  const points = (set: CurvePoint["set"], ys: number[]) => ys.map((value, i) => ({ run, set, epoch: epochs[i], value }));
  return [...points("train", train), ...points("validation", valid)].filter((p) => Number.isFinite(p.value) && Number.isFinite(p.epoch));
}

const SETS = ["train", "validation"];
const DASHES = [[1, 0], [6, 3]];
/** The rules marking a change of learning rate (dashed) and the epoch early stopping kept (solid). */
const MARK_COLOUR = "#333333";

interface CurveOptions {
  title: string;
  yTitle: string;
  yDomain?: [number, number];
  width: number;
  height: number;
  runTitle: string;
  baseline?: number;
  baselineLabel?: string;
  colors?: Record<string, string>;
  marks?: EpochMark[];
  where: string;
}

/** Points on lines: big enough to hover on a short run, small enough not to blot out a long one. */
const pointSize = (epochs: number) => (epochs <= 20 ? 40 : epochs <= 60 ? 18 : 8);

/**
 * Lines by epoch with a point at every epoch (the tooltips: run, set, epoch and value); colour is
 * the set (one run: grey train, orange validation) or the run (several, with dash = set). Marks
 * name learning-rate changes and the kept epoch above the plot, beside their rules.
 */
function curveChart(points: CurvePoint[], runs: string[], o: CurveOptions): Spec {
  const epochs = points.map((p) => p.epoch);
  const lo = Math.min(...epochs);
  const hi = Math.max(...epochs);
  const several = runs.length > 1;
  const tooltip = [
    ...(several ? [{ field: "run", type: "nominal", title: o.runTitle }] : []),
    { field: "set", type: "nominal", title: "set" },
    { field: "epoch", type: "quantitative", title: "epoch", format: "d" },
    { field: "value", type: "quantitative", title: o.yTitle, format: ".4f" },
  ];
  const runColours = several ? seriesColors(runs, o.colors, o.where) : [];
  const dash = { field: "set", type: "nominal", title: "set", scale: { domain: SETS, range: DASHES }, legend: { symbolType: "stroke", symbolStrokeWidth: 2, symbolStrokeColor: "#444" } };
  const bottom = { orient: "bottom", direction: "horizontal", symbolType: "stroke", symbolStrokeWidth: 2 };
  const color = several
    ? { field: "run", type: "nominal", title: o.runTitle, sort: runs, scale: { domain: runs, range: runColours }, legend: { symbolType: "stroke", symbolStrokeWidth: 3 } }
    : { field: "set", type: "nominal", title: "set", scale: { domain: SETS, range: [TRAIN_COLOUR, VALIDATION_COLOUR] }, legend: bottom };
  const baselineName = o.baseline === undefined ? "" : `${o.baselineLabel ?? "global mean"} ${o.baseline.toFixed(3)}`;
  const right = (several ? 60 + textWidth([...runs, "validation"]) : 10) + (o.baseline === undefined ? 0 : 8 + textWidth([baselineName]));
  const y = { field: "value", type: "quantitative", title: o.yTitle, scale: o.yDomain ? { domain: o.yDomain } : { zero: false } };
  const domain: [number, number] = lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
  const x = {
    field: "epoch",
    type: "quantitative",
    title: "epoch",
    // Whole epochs only: every epoch of a short run gets its tick, a long run whole-number steps.
    // One epoch gets a little room either side.
    scale: { domain, nice: false },
    axis: hi - lo <= 15 ? { values: Array.from({ length: hi - lo + 1 }, (_, i) => lo + i), format: "d" } : { format: "d", tickMinStep: 1 },
  };
  const clip = o.yDomain !== undefined;
  const lines = {
    mark: { type: "line", clip },
    encoding: { x, y, color, strokeDash: several ? dash : { ...dash, legend: bottom }, tooltip },
  };
  // A layer of their own, so the legends keep their line symbols.
  const dots = {
    mark: { type: "point", filled: true, opacity: 1, size: pointSize(hi - lo + 1), clip },
    encoding: { x, y, color, tooltip },
  };
  const curves: Record<string, unknown>[] = [lines, dots];
  const colourOf = (run: string) => (run === "" || !several ? MARK_COLOUR : runColours[runs.indexOf(run)]);
  const placed = placeMarks(o.marks ?? [], domain, o.width).map((m) => ({ ...m, colour: colourOf(m.run) }));
  // The kept epoch's validation point gets a ring.
  const kept = placed.filter((m) => m.kind === "kept").flatMap((m) => points.filter((p) => p.set === "validation" && p.epoch === m.x && (!several || p.run === m.run)).map((p) => ({ ...p, colour: m.colour })));
  if (kept.length > 0) curves.push({ data: { values: kept }, mark: { type: "point", filled: false, size: 180, strokeWidth: 2, clip, color: { expr: "datum.colour" } }, encoding: { x, y, tooltip } });
  const layers: Record<string, unknown>[] = [{ data: { values: points }, layer: curves }];
  if (placed.length > 0) {
    const xMark = { ...x, field: "x" };
    // Colours from the data, through the marks: a colour channel would merge into the run legend.
    const colour = { expr: "datum.colour" };
    layers.push({
      data: { values: placed },
      mark: { type: "rule", strokeWidth: 1.2, color: colour },
      encoding: { x: xMark, strokeDash: { condition: { test: "datum.kind === 'lr'", value: [4, 3] }, value: [1, 0] }, tooltip: [{ field: "text", title: "event" }] },
    });
    layers.push({
      data: { values: placed },
      mark: { type: "text", fontSize: MARK_FONT, baseline: "bottom", align: { expr: "datum.align" }, dx: { expr: "datum.align === 'left' ? 3 : -3" }, color: colour },
      encoding: { x: xMark, y: { field: "y", type: "quantitative", scale: null, axis: null }, text: { field: "text" } },
    });
  }
  if (o.baseline !== undefined) {
    // The baseline is named by a tick label on a right-hand axis, outside the plot, where no curve can cover it.
    layers.push({
      data: { values: [{ baseline: o.baseline, name: baselineName }] },
      mark: { type: "rule", color: "#333", strokeDash: [2, 2], strokeWidth: 1.5 },
      encoding: {
        y: { ...y, field: "baseline", axis: { orient: "right", values: [o.baseline], labelExpr: JSON.stringify(baselineName), title: null, grid: false, ticks: false, domain: false, labelLimit: 0 } },
        tooltip: [{ field: "name", title: "baseline" }],
      },
    });
  }
  const head = base(o.title, o.width, o.height, 70, right);
  return { ...head, layer: layers, ...(o.baseline === undefined ? {} : { resolve: { axis: { y: "independent" } } }) } as unknown as Spec;
}

/**
 * Training and validation curves of one metric by epoch. Pass one History, or a record of
 * named histories to draw several runs in one chart (colour = run, dash = train/validation).
 * Train RMSE/MAE are drawn when the history has them (`trainRmse`, `trainMae`). Changes of
 * learning rate within a run are dashed rules named "lr 1e-2", and the epoch early stopping went
 * back to (`restoredEpoch`) a solid rule "kept: epoch N" with its validation point ringed.
 */
export function historyChart(history: History | Record<string, History>, options: HistoryChartOptions = {}): Spec {
  const metric = options.metric ?? "loss";
  const m = METRICS[metric];
  if (!m) throw new Error(`historyChart: metric must be "loss", "rmse" or "mae", not ${JSON.stringify(metric)}`);
  const runs: [string, History][] = isHistory(history) ? [["", history]] : Object.entries(history);
  if (runs.length === 0) throw new Error("historyChart: no histories given");
  const points = runs.flatMap(([run, h]) => curvePoints(run, h.epoch, column(h, m.train), column(h, m.valid)));
  if (points.length === 0) throw new Error(`historyChart: no finite ${metric} values to draw (a run trained with validation: false has no validation ${metric})`);
  const title = options.title ?? `${m.name} by epoch, train and validation`;
  if (options.baseline !== undefined) finite("baseline", options.baseline, "historyChart");
  const again = (width: number) => historyChart(history, { ...options, width });
  return resizable(curveChart(points, runs.map(([r]) => r), {
    title,
    yTitle: options.yTitle ?? m.axis,
    yDomain: options.yDomain,
    width: options.width ?? 380,
    height: options.height ?? 240,
    runTitle: "run",
    baseline: options.baseline,
    baselineLabel: options.baselineLabel,
    colors: options.colors,
    marks: options.marks === false ? [] : epochMarks(runs),
    where: "historyChart",
  }), again);
}

/** The hybrid model's loss per output head (colour = head, dash = train/validation). */
export function headLossChart(history: History, options: { title?: string; yTitle?: string; width?: number; height?: number; colors?: Record<string, string> } = {}): Spec {
  const extras = history as History & HistoryExtras;
  const heads = Object.keys(extras.headLoss ?? {});
  if (heads.length === 0) throw new Error("headLossChart: the history has no per-head losses (only models with several outputs record them)");
  const points = heads.flatMap((head) => curvePoints(head, history.epoch, extras.headLoss?.[head] ?? [], extras.valHeadLoss?.[head] ?? []));
  const again = (width: number) => headLossChart(history, { ...options, width });
  return resizable(curveChart(points, heads.length > 1 ? heads : [...heads, ""], {
    title: options.title ?? "Loss of each output head by epoch",
    yTitle: options.yTitle ?? "loss (mean squared error)",
    width: options.width ?? 380,
    height: options.height ?? 240,
    runTitle: "output head",
    colors: options.colors,
    marks: epochMarks([["", history]]),
    where: "headLossChart",
  }), again);
}

// ---------------------------------------------------------------- model comparison

export interface ComparisonRow {
  name: string;
  valRmse: number;
  bestValRmse?: number;
  valMae?: number;
}

export interface ComparisonChartOptions {
  /** The global-mean RMSE every model must beat: each model's bar runs from it to the model's value. */
  baseline?: number;
  /** What the baseline is, "global mean" by default (shown with its value under the axis). */
  baselineLabel?: string;
  title?: string;
  /** Which column to compare; valRmse by default. */
  value?: "valRmse" | "bestValRmse" | "valMae";
  valueTitle?: string;
  /** Width of the plot area in pixels, 420 by default. */
  width?: number;
}

// Room beside a bar's end (or a dot) for its value label, e.g. "0.975", by Vega's text estimate.
const VALUE_LABEL = 8 + 5 * CHAR;
const BETTER_COLOUR = "#3b8b3f";
const WORSE_COLOUR = "#c0504d";

/** A value domain holding `values` with `left` and `right` pixels to spare on a `width` px axis. */
function roomyDomain(values: number[], width: number, left: number, right: number): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || Math.abs(hi) * 0.05 || 0.05;
  const perPixel = span / Math.max(width / 3, width - left - right);
  return [lo - left * perPixel, hi + right * perPixel];
}

/**
 * Validation error per model, best on top. With a baseline (the global mean's RMSE) every model is
 * a bar from the baseline to its own value: left and green when it beats the baseline, right and
 * red when it doesn't, the value at the bar's end. Bar lengths are then the honest differences
 * from the baseline, which the axis (in the metric's own unit) names under it, clear of every
 * label. Without a baseline there is no meaningful origin for bars, so models are dots on an axis
 * that needn't start at zero.
 */
export function comparisonChart(rows: ComparisonRow[], options: ComparisonChartOptions = {}): Spec {
  const key = options.value ?? "valRmse";
  if (rows.length === 0) throw new Error("comparisonChart: no rows to compare");
  const values = rows.map((r) => ({ name: r.name, value: finite(`${key} of "${r.name}"`, r[key] as number, "comparisonChart") }));
  const { baseline } = options;
  if (baseline !== undefined) finite("baseline", baseline, "comparisonChart");
  const valueTitle = options.valueTitle ?? (key === "valMae" ? "validation MAE (stars)" : key === "bestValRmse" ? "best validation RMSE (stars)" : "validation RMSE (stars)");
  const best = [...values].sort((a, b) => a.value - b.value).map((v) => v.name);
  const y = { field: "name", type: "nominal", title: null, sort: best, axis: { labelLimit: 300 } };
  const tooltip = [{ field: "name", title: "model" }, { field: "value", title: valueTitle, format: ".4f" }];
  const label = { type: "text", fontSize: 11, baseline: "middle" };
  const width = options.width ?? 420;
  const again = (w: number) => comparisonChart(rows, { ...options, width: w });
  const head = base(options.title ?? "Validation error by model", width, { step: 24 }, 20 + Math.min(300, textWidth(rows.map((r) => r.name))));
  if (baseline === undefined) {
    const domain = roomyDomain(values.map((v) => v.value), width, 12, VALUE_LABEL + 6);
    const x = { field: "value", type: "quantitative", title: valueTitle, scale: { domain, nice: false, zero: false } };
    return resizable({
      ...head,
      data: { values },
      encoding: { y: { ...y, axis: { ...y.axis, grid: true } } },
      layer: [
        { mark: { type: "point", filled: true, size: 80, color: "#4f81bd", opacity: 1 }, encoding: { x, tooltip } },
        { mark: { ...label, align: "left", dx: 8 }, encoding: { x, text: { field: "value", type: "quantitative", format: ".3f" } } },
      ],
    } as Spec, again);
  }
  const better = "better than the baseline";
  const worse = "worse than the baseline";
  const data = values.map((v) => ({ ...v, difference: v.value - baseline, verdict: v.value < baseline ? better : worse }));
  const anyBetter = data.some((d) => d.verdict === better);
  const anyWorse = data.some((d) => d.verdict === worse);
  const domain = roomyDomain([...values.map((v) => v.value), baseline], width, anyBetter ? VALUE_LABEL : 12, anyWorse ? VALUE_LABEL : 12);
  const what = `${options.baselineLabel ?? "global mean"} ${baseline.toFixed(3)}`;
  // The baseline's name and value go under the axis: inside the plot it would collide with the value labels.
  const x = { field: "value", type: "quantitative", title: [valueTitle, `bars start at the dark line: ${what}`], scale: { domain, nice: false, zero: false } };
  const isBetter = `datum.verdict === '${better}'`;
  return resizable({
    ...head,
    data: { values: data },
    layer: [
      {
        mark: "bar",
        encoding: {
          x,
          y,
          x2: { datum: baseline },
          color: { field: "verdict", type: "nominal", title: null, scale: { domain: [...(anyBetter ? [better] : []), ...(anyWorse ? [worse] : [])], range: [...(anyBetter ? [BETTER_COLOUR] : []), ...(anyWorse ? [WORSE_COLOUR] : [])] }, legend: { orient: "bottom" } },
          tooltip: [...tooltip, { field: "difference", title: `difference from the ${what}`, format: "+.4f" }],
        },
      },
      // The value sits beyond the bar's outer end, away from the baseline.
      {
        mark: { ...label, align: { expr: `${isBetter} ? 'right' : 'left'` }, dx: { expr: `${isBetter} ? -4 : 4` } },
        encoding: { x, y, text: { field: "value", type: "quantitative", format: ".3f" } },
      },
      { data: { values: [{ baseline }] }, mark: { type: "rule", color: "#222", strokeWidth: 2 }, encoding: { x: { ...x, field: "baseline" } } },
    ],
  } as Spec, again);
}

// ---------------------------------------------------------------- labelled scatter

export interface LabelledPoint {
  x: number;
  y: number;
  label: string;
  /** Draw this point's label (when any point sets it, only those are labelled). */
  labelled?: boolean;
  /** A category (e.g. "Comedy", "Drama"): when any point has one, colour shows it, with a legend. */
  color?: string;
}

export interface ScatterOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  /** When no point sets `labelled`: label at most this many, the farthest from the centre first. */
  maxLabels?: number;
  width?: number;
  height?: number;
  /** Colours for the categories by name; the rest come from the lesson's series palette (never the validation colour). */
  colors?: Record<string, string>;
  /** The legend's title when points carry a `color` category; "category" by default. */
  colorTitle?: string;
}

/** The category of a point given none when others have one. */
const NO_CATEGORY = "other";

const LABEL_FONT = 11;
// Advance widths (em) of DejaVu Sans, the widest of the usual sans-serif fonts and the one the
// PNGs are drawn with where installed, rounded up into classes; other characters count as 0.8 em.
// Labels are clipped to the plot (Vega's own 0.8 em estimate would grow the chart), so they must
// not be measured narrower than they are drawn.
const EM_WIDTHS: [string, number][] = [["ijlIJ'|", 0.3], [" ,.:;", 0.34], ['()[]-frt!"', 0.42], ["csz?", 0.56], ["abdeghknopquvxy0123456789EFLPSTY", 0.64], ["ABCKRVXZ", 0.7], ["DGHNOQU&", 0.79], ["mwMW", 1]];
const EM_WIDTH = new Map(EM_WIDTHS.flatMap(([chars, em]) => [...chars].map((c): [string, number] => [c, em])));
const labelWidth = (text: string) => [...text].reduce((sum, c) => sum + (EM_WIDTH.get(c) ?? 0.8), 0) * LABEL_FONT;
const LABEL_HEIGHT = LABEL_FONT * 1.2;
// Half the side of the square a point is kept clear in.
const DOT = 3;
// Labels right beside their point, drawn without a leader line: where the text starts, relative to the point.
const NEAR: [number, number][] = [[6, -5], [6, 5], [-6, -5], [-6, 5], [0, -9], [0, 9]];
// Further out, with a leader line: a point in a crowd or against an edge can still reach open
// space (inwards, where the outward side runs off the plot). Spots 16 directions round the point
// at growing distances, and the label hangs off a spot by any of its corners or side midpoints
// (fractions of its width and height); the leader ends at the text's nearest edge.
const HANGS: [number, number][] = [[0, 0], [0.5, 0], [1, 0], [0, 0.5], [1, 0.5], [0, 1], [0.5, 1], [1, 1]];
const FAR: [number, number, number, number][] = [16, 28, 44, 64, 90, 120, 160, 210].flatMap((r) =>
  Array.from({ length: 16 }, (_, k) => HANGS.map(([fx, fy]): [number, number, number, number] => [r * Math.cos((k * Math.PI) / 8), r * Math.sin((k * Math.PI) / 8), fx, fy])).flat(),
);
// Vega's text box is an estimate: the drawn text fills at least this share of it, from the aligned side.
const INK = 0.8;
// A label without a leader line must be this many pixels nearer its own point than any other,
// or a reader can pin it to the wrong dot.
const CLEAR = 6;
// Penalties, in pixels of leader line: drawing a leader at all, and another point close to a leader-linked label.
const LEADER_COST = 12;
const CROWD_COST = 3;
const CROWD = 10;

interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

interface Segment {
  ax: number;
  ay: number;
  bx: number;
  by: number;
}

const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Pixels from (x, y) to the nearest point of a box (0 inside it). */
const boxDistance = (x: number, y: number, b: Box) => Math.hypot(Math.max(b.x0 - x, 0, x - b.x1), Math.max(b.y0 - y, 0, y - b.y1));

/** Pixels from (x, y) to the nearest point of a segment. */
function segmentDistance(x: number, y: number, s: Segment): number {
  const vx = s.bx - s.ax;
  const vy = s.by - s.ay;
  const t = Math.max(0, Math.min(1, ((x - s.ax) * vx + (y - s.ay) * vy) / (vx * vx + vy * vy || 1)));
  return Math.hypot(s.ax + t * vx - x, s.ay + t * vy - y);
}

/** Whether a segment passes through a box's interior (Liang-Barsky clipping). */
function crossesBox(s: Segment, b: Box): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = s.bx - s.ax;
  const dy = s.by - s.ay;
  for (const [p, q] of [[-dx, s.ax - b.x0], [dx, b.x1 - s.ax], [-dy, s.ay - b.y0], [dy, b.y1 - s.ay]]) {
    if (p === 0) {
      if (q <= 0) return false;
    } else {
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
      if (t0 >= t1) return false;
    }
  }
  return true;
}

/** Whether two segments cross (touching ends don't count). */
function crosses(a: Segment, b: Segment): boolean {
  const side = (s: Segment, x: number, y: number) => Math.sign((s.bx - s.ax) * (y - s.ay) - (s.by - s.ay) * (x - s.ax));
  return side(a, b.ax, b.ay) * side(a, b.bx, b.by) < 0 && side(b, a.ax, a.ay) * side(b, a.bx, a.by) < 0;
}

export interface PlacedLabel {
  /** Where the label's anchor sits, in data units. */
  lx: number;
  ly: number;
  align: "left" | "right" | "center";
  baseline: "top" | "bottom" | "middle";
  /** A line joins the point to its label (the label sits further out than right beside it)... */
  leader: boolean;
  /** ...ending here, at the text (data units). */
  ex?: number;
  ey?: number;
}

/**
 * The points that may get a label, most important first: those flagged `labelled`, or else the
 * farthest from the centre, twice `maxLabels` of them so that the next ones take the place of labels
 * that don't fit.
 */
function labelOrder(points: LabelledPoint[], maxLabels: number): number[] {
  const order = points.map((_, i) => i);
  if (points.some((p) => p.labelled !== undefined)) return order.filter((i) => points[i].labelled);
  const mean = (f: (p: LabelledPoint) => number) => points.reduce((s, p) => s + f(p), 0) / points.length;
  const mx = mean((p) => p.x);
  const my = mean((p) => p.y);
  const sx = Math.sqrt(mean((p) => (p.x - mx) ** 2)) || 1;
  const sy = Math.sqrt(mean((p) => (p.y - my) ** 2)) || 1;
  const distance = (p: LabelledPoint) => ((p.x - mx) / sx) ** 2 + ((p.y - my) / sy) ** 2;
  return order.sort((a, b) => distance(points[b]) - distance(points[a])).slice(0, 2 * maxLabels);
}

/** The values' range widened by `low` and `high` times its span below and above. */
function paddedExtent(values: number[], low: number, high: number): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || Math.abs(hi) * 2 || 10;
  return [lo - low * span, hi + high * span];
}

const PAD = 0.06;
// At most this much extra room (a share of the data's span) is added on a side whose labels don't fit.
const MAX_EXTRA = 0.25;
interface Candidate {
  box: Box;
  leader?: Segment;
  cost: number;
  label: PlacedLabel;
}

/** Labels the points of `order` greedily on fixed domains, each at its cheapest free position, until `most` have one. */
function placeOn(points: LabelledPoint[], order: number[], most: number, xd: [number, number], yd: [number, number], width: number, height: number) {
  const px = (x: number) => ((x - xd[0]) / (xd[1] - xd[0])) * width;
  const py = (y: number) => height - ((y - yd[0]) / (yd[1] - yd[0])) * height;
  const dataX = (x: number) => xd[0] + (x / width) * (xd[1] - xd[0]);
  const dataY = (y: number) => yd[0] + ((height - y) / height) * (yd[1] - yd[0]);
  const at = points.map((p) => [px(p.x), py(p.y)]);
  const dots: Box[] = at.map(([x, y]) => ({ x0: x - DOT, x1: x + DOT, y0: y - DOT, y1: y + DOT }));
  const boxes: Box[] = [];
  const leaders: Segment[] = [];
  const labels = new Map<number, PlacedLabel>();
  for (const i of order) {
    if (labels.size === most) break;
    const [x, y] = at[i];
    const w = labelWidth(points[i].label);
    const h = LABEL_HEIGHT;
    /** The cost of a label in `box` (a leader ending at `end`, if any), or undefined where it may not go. */
    const judge = (box: Box, end?: [number, number]): number | undefined => {
      if (box.x0 < 0 || box.x1 > width || box.y0 < 0 || box.y1 > height) return undefined;
      if (boxes.some((b) => overlaps(b, box)) || leaders.some((s) => crossesBox(s, box)) || dots.some((d) => overlaps(d, box))) return undefined;
      const line = end && { ax: x, ay: y, bx: end[0], by: end[1] };
      if (line && (boxes.some((b) => crossesBox(line, b)) || leaders.some((s) => crosses(s, line)))) return undefined;
      const own = boxDistance(x, y, box);
      let cost = line ? LEADER_COST + Math.hypot(line.bx - x, line.by - y) : own;
      for (let j = 0; j < at.length; j++) {
        if (j === i) continue;
        const d = boxDistance(at[j][0], at[j][1], box);
        // Right beside its point, a label must be clearly nearer it than any other point.
        if (!line && d < own + CLEAR) return undefined;
        if (line && d < CROWD) cost += CROWD_COST * (CROWD - d);
        // A leader through another point would seem to name it.
        if (line && segmentDistance(at[j][0], at[j][1], line) < DOT + 1) return undefined;
      }
      return cost;
    };
    let best: Candidate | undefined;
    for (const [dx, dy] of NEAR) {
      const align = dx > 0 ? "left" : dx < 0 ? "right" : "center";
      const baseline = dy < 0 ? "bottom" : "top";
      const x0 = x + dx - (align === "right" ? w : align === "center" ? w / 2 : 0);
      const y0 = y + dy - (baseline === "bottom" ? h : 0);
      const box = { x0, x1: x0 + w, y0, y1: y0 + h };
      const cost = judge(box);
      if (cost !== undefined) {
        best = { box, cost, label: { lx: dataX(x + dx), ly: dataY(y + dy), align, baseline, leader: false } };
        break;
      }
    }
    for (const [dx, dy, fx, fy] of best ? [] : FAR) {
      const x0 = x + dx - fx * w;
      const y0 = y + dy - fy * h;
      const box = { x0, x1: x0 + w, y0, y1: y0 + h };
      if (box.x0 < 0 || box.x1 > width || box.y0 < 0 || box.y1 > height || boxDistance(x, y, box) < DOT + 2) continue;
      // The text hugs the side of its box that faces the point, and the leader ends at the text.
      const align = box.x1 <= x ? "right" : box.x0 >= x ? "left" : "center";
      const baseline = box.y1 <= y ? "bottom" : box.y0 >= y ? "top" : "middle";
      const ink = align === "left" ? [x0, x0 + INK * w] : align === "right" ? [box.x1 - INK * w, box.x1] : [x0 + ((1 - INK) / 2) * w, box.x1 - ((1 - INK) / 2) * w];
      const end: [number, number] = [Math.min(Math.max(x, ink[0]), ink[1]), Math.min(Math.max(y, box.y0), box.y1)];
      const cost = judge(box, end);
      if (cost === undefined || (best && best.cost <= cost)) continue;
      const lx = align === "left" ? box.x0 : align === "right" ? box.x1 : (box.x0 + box.x1) / 2;
      const ly = baseline === "top" ? box.y0 : baseline === "bottom" ? box.y1 : (box.y0 + box.y1) / 2;
      best = { box, cost, leader: { ax: x, ay: y, bx: end[0], by: end[1] }, label: { lx: dataX(lx), ly: dataY(ly), ex: dataX(end[0]), ey: dataY(end[1]), align, baseline, leader: true } };
    }
    if (!best) continue;
    boxes.push(best.box);
    if (best.leader) leaders.push(best.leader);
    labels.set(i, best.label);
  }
  return labels;
}

/**
 * Chooses which points get a label and where: no label overlaps another label, a point or a
 * leader line, each stays inside the plot, and one drawn without a leader line is clearly
 * nearer its own point than any other.
 */
export function placeLabels(points: LabelledPoint[], options: { width: number; height: number; maxLabels?: number }) {
  const { width, height } = options;
  // maxLabels only limits labels chosen by distance; flagged points are all labelled where they fit.
  const flagged = points.some((p) => p.labelled !== undefined);
  const most = flagged ? points.length : (options.maxLabels ?? 15);
  const order = labelOrder(points, most);
  const wanted = Math.min(most, order.length);
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const attempt = (extra: number[]) => {
    const xDomain = paddedExtent(xs, PAD + extra[0], PAD + extra[1]);
    const yDomain = paddedExtent(ys, PAD + extra[2], PAD + extra[3]);
    return { extra, xDomain, yDomain, labels: placeOn(points, order, most, xDomain, yDomain, width, height) };
  };
  let best = attempt([0, 0, 0, 0]);
  // Points against an edge whose labels found no room: widen the domain on that side (the crowded
  // one) until their labels fit beyond them, while that labels more points.
  for (let round = 0; round < 3 && best.labels.size < wanted; round++) {
    const [xd, yd] = [best.xDomain, best.yDomain];
    const spans = [xd[1] - xd[0], yd[1] - yd[0]];
    const need = [0, 0, 0, 0];
    for (const i of order.slice(0, wanted)) {
      if (best.labels.has(i)) continue;
      const x = ((points[i].x - xd[0]) / spans[0]) * width;
      const y = ((points[i].y - yd[0]) / spans[1]) * height;
      const wide = labelWidth(points[i].label) + 24;
      const tall = 2 * LABEL_HEIGHT + 12;
      const side = x < width - x ? 0 : 1;
      need[side] = Math.max(need[side], wide - Math.min(x, width - x));
      const end = y < height - y ? 2 : 3;
      need[end] = Math.max(need[end], tall - Math.min(y, height - y));
    }
    const dataSpans = [spans[0] / (1 + 2 * PAD + best.extra[0] + best.extra[1]), spans[1] / (1 + 2 * PAD + best.extra[2] + best.extra[3])];
    const extra = best.extra.map((e, k) => {
      const size = k < 2 ? width : height;
      const px = Math.min(need[k], size / 2);
      return px > 0 ? Math.min(MAX_EXTRA, e + (px * spans[k < 2 ? 0 : 1]) / (size - px) / dataSpans[k < 2 ? 0 : 1]) : e;
    });
    const next = attempt(extra);
    if (next.labels.size <= best.labels.size) break;
    best = next;
  }
  return { xDomain: best.xDomain, yDomain: best.yDomain, labels: best.labels };
}

/**
 * Points on two axes (e.g. movies on two principal components) with a tooltip naming every
 * point and non-overlapping labels on a subset: the points flagged `labelled`, or else the
 * ones farthest from the centre. Labels that can't be placed clear of others are left out.
 */
export function scatterWithLabels(points: LabelledPoint[], options: ScatterOptions = {}): Spec {
  if (points.length === 0) throw new Error("scatterWithLabels: no points to draw");
  points.forEach((p) => (finite(`x of "${p.label}"`, p.x, "scatterWithLabels"), finite(`y of "${p.label}"`, p.y, "scatterWithLabels")));
  const width = options.width ?? 600;
  const height = options.height ?? 440;
  const { xDomain, yDomain, labels } = placeLabels(points, { width, height, maxLabels: options.maxLabels });
  const xTitle = options.xTitle ?? "x";
  const yTitle = options.yTitle ?? "y";
  const coloured = points.some((p) => p.color !== undefined);
  const colorTitle = options.colorTitle ?? "category";
  const values = points.map((p, i) => ({ x: p.x, y: p.y, label: p.label, labelled: labels.has(i), ...(coloured ? { color: p.color ?? NO_CATEGORY } : {}), ...(labels.get(i) ?? {}) }));
  // Categories take the series palette, so no category wears the colour that means "validation".
  const categories = coloured ? [...new Set(values.map((v) => v.color as string))].sort() : [];
  const categoryScale = { domain: categories, range: seriesColors(categories, options.colors, "scatterWithLabels") };
  const xs = (field: string) => ({ field, type: "quantitative", title: xTitle, scale: { domain: xDomain, nice: false, zero: false } });
  const ys = (field: string) => ({ field, type: "quantitative", title: yTitle, scale: { domain: yDomain, nice: false, zero: false } });
  const spec = {
    ...base(options.title ?? "Embedding projection", width, height, 80),
    data: { values },
    layer: [
      {
        mark: { type: "point", filled: true, size: 36 },
        encoding: {
          x: xs("x"),
          y: ys("y"),
          // Labelled points stand out: darker, or with categories fully opaque.
          ...(coloured
            ? {
                color: { field: "color", type: "nominal", title: colorTitle, scale: categoryScale, legend: { orient: "bottom", direction: "horizontal", symbolOpacity: 1 } },
                opacity: { condition: { test: "datum.labelled", value: 1 }, value: 0.45 },
              }
            : { color: { condition: { test: "datum.labelled", value: "#1f4e79" }, value: "#9bb7d4" } }),
          tooltip: [
            { field: "label", type: "nominal", title: "title" },
            ...(coloured ? [{ field: "color", type: "nominal", title: colorTitle }] : []),
            { field: "x", type: "quantitative", title: xTitle, format: ".3f" },
            { field: "y", type: "quantitative", title: yTitle, format: ".3f" },
          ],
        },
      },
      {
        transform: [{ filter: "datum.leader" }],
        // Clipped to the plot, like the labels: Vega would otherwise grow the chart by its wide estimate of the text.
        mark: { type: "rule", color: "#888", strokeWidth: 0.8, clip: true },
        encoding: { x: xs("x"), y: ys("y"), x2: { field: "ex" }, y2: { field: "ey" } },
      },
      {
        transform: [{ filter: "datum.labelled" }],
        mark: { type: "text", fontSize: LABEL_FONT, color: "#222", align: { expr: "datum.align" }, baseline: { expr: "datum.baseline" }, clip: true },
        encoding: { x: xs("lx"), y: ys("ly"), text: { field: "label", type: "nominal" } },
      },
    ],
  } as Spec;
  // Labels are placed for this width; a grid that narrows the chart places them again.
  return resizable(spec, (w) => scatterWithLabels(points, { ...options, width: w }));
}

// ---------------------------------------------------------------- bars and histograms

export interface BiasChartOptions {
  title?: string;
  /** What the bias is measured in: "stars" (added to the predicted rating), or "pre-sigmoid score" for models with a rating range. */
  unit?: "stars" | "pre-sigmoid score" | string;
  /** Overrides the whole axis title. */
  valueTitle?: string;
}

// Room for movie titles beside the bars: about 45 characters by Vega's estimate.
const BIAS_LABELS = 400;

/** Horizontal bars of learned biases, highest first; negative ones in red. */
export function biasBarChart(entries: { label: string; bias: number; count?: number }[], options: BiasChartOptions = {}): Spec {
  if (entries.length === 0) throw new Error("biasBarChart: no biases to draw");
  const valueTitle = options.valueTitle ?? `bias (${options.unit ?? "stars"})`;
  return {
    ...base(options.title ?? "Learned bias", 300, { step: 16 }, 30 + Math.min(BIAS_LABELS, textWidth(entries.map((e) => e.label)))),
    data: { values: entries.map((e) => ({ label: e.label, bias: finite(`bias of "${e.label}"`, e.bias, "biasBarChart"), count: e.count })) },
    mark: "bar",
    encoding: {
      y: { field: "label", type: "nominal", sort: "-x", title: null, axis: { labelLimit: BIAS_LABELS } },
      x: { field: "bias", type: "quantitative", title: valueTitle },
      color: { condition: { test: "datum.bias < 0", value: "#c0504d" }, value: "#4f81bd" },
      tooltip: [
        { field: "label", type: "nominal", title: "title" },
        { field: "bias", type: "quantitative", title: valueTitle, format: ".3f" },
        ...(entries.some((e) => e.count !== undefined) ? [{ field: "count", type: "quantitative", title: "ratings", format: ",d" }] : []),
      ],
    },
  } as Spec;
}

/** How often each star value occurs. */
export function ratingHistogram(ratings: ArrayLike<number>, options: { title?: string } = {}): Spec {
  const values = [...countValues(ratings)].sort((a, b) => a[0] - b[0]).map(([rating, count]) => ({ rating, count }));
  return {
    ...base(options.title ?? "How often each rating is given", 360, 220, 70),
    data: { values },
    mark: "bar",
    encoding: {
      x: { field: "rating", type: "ordinal", title: "rating (stars)", axis: { labelAngle: 0 } },
      // ",d": whole, grouped numbers; "," alone lets Vega pick 2 significant digits and write 3.5e+4.
      y: { field: "count", type: "quantitative", title: "number of ratings", axis: { tickMinStep: 1, format: ",d" } },
      tooltip: [{ field: "rating", type: "ordinal", title: "stars" }, { field: "count", type: "quantitative", title: "ratings", format: ",d" }],
    },
  } as Spec;
}

/** Share of the embedding variance each principal component explains. */
export function explainedVarianceChart(explainedVariance: number[], options: { title?: string } = {}): Spec {
  const values = explainedVariance.map((share, i) => ({ component: `PC${i + 1}`, percent: 100 * finite(`PC${i + 1}`, share, "explainedVarianceChart") }));
  return {
    ...base(options.title ?? "Variance explained by each principal component", 240, 200, 70),
    data: { values },
    mark: "bar",
    encoding: {
      x: { field: "component", type: "nominal", title: "principal component", sort: null, axis: { labelAngle: 0 } },
      y: { field: "percent", type: "quantitative", title: "variance explained (%)" },
      tooltip: [{ field: "component" }, { field: "percent", type: "quantitative", title: "variance explained (%)", format: ".1f" }],
    },
  } as Spec;
}

// ---------------------------------------------------------------- layout

export interface GridOptions {
  /** At most this many charts in a row (2 by default); fewer where they wouldn't fit `width` at `minPanelWidth`. */
  columns?: number;
  title?: string;
  /**
   * The total width the grid must fit in, axis labels and legends included. The default, 840 px,
   * fits the output area of the classic notebook and of JupyterLab (file browser open) in a
   * 1280 px wide window, so the chart is shown whole and at its own size there.
   */
  width?: number;
  /** The narrowest plot area a chart is squeezed to before it moves to a row of its own; 260 px by default. */
  minPanelWidth?: number;
}

const SPACING = 20;
const SPACER = 1;
/** The empty view that starts row `row` of a grid (see grid()); its name, "grid_spacer_<row>", tells it from a chart. */
const gridSpacer = (row: number) => ({ name: `grid_spacer_${row}`, data: { values: [] }, mark: "point", width: SPACER, height: SPACER });

/**
 * Vega sets a title's last line on a fixed line above its chart and stacks earlier lines upwards,
 * so a two-line title beside a one-line one starts higher. Padding every title in a row with
 * empty lines to the same count starts them all on the same line.
 */
function alignTitles<T extends { title?: unknown }>(charts: T[]): T[] {
  const linesOf = (title: unknown) => (Array.isArray(title) ? title.length : typeof title === "string" ? 1 : 0);
  const most = Math.max(...charts.map((c) => linesOf(c.title)));
  return charts.map((c) => {
    const have = linesOf(c.title);
    if (have === 0 || have === most) return c;
    return { ...c, title: [...(Array.isArray(c.title) ? c.title : [c.title]), ...Array(most - have).fill("")] };
  });
}

/**
 * Charts side by side in rows of `columns` (the lessons' 2x2 plots). Each row is laid out on its
 * own (a long-labelled chart in one row doesn't widen the same column in another) and its charts
 * are narrowed to equal plot widths so that the row, axis labels and legends included, fits in `width`.
 */
export function grid(specs: Spec[], options: GridOptions = {}): Spec {
  const columns = options.columns ?? 2;
  const total = options.width ?? 840;
  const minPanel = options.minPanelWidth ?? 260;
  if (!(Number.isInteger(columns) && columns >= 1)) throw new Error(`grid: columns must be a whole number of at least 1, not ${columns}`);
  if (!(total > 0) || !(minPanel > 0)) throw new Error(`grid: width (${total}) and minPanelWidth (${minPanel}) must be positive numbers of pixels`);
  if (specs.length === 0) throw new Error("grid: no charts to lay out");
  const layout = (spec: Spec): Layout => ({ cfLeft: 70, cfRight: 10, ...(spec as { usermeta?: Partial<Layout> }).usermeta });
  const ownWidth = (spec: Spec): number | undefined => {
    const width = (spec as { width?: unknown }).width;
    return typeof width === "number" ? width : layout(spec).cfWidth;
  };
  // Each chart keeps its own colours and legend (concat would otherwise merge them).
  const own = { color: "independent", strokeDash: "independent", shape: "independent", opacity: "independent" };
  const resolve = { scale: own, legend: own };
  // Rows of at most `columns` charts, each holding only what fits in `total` with every plot at
  // least minPanel wide (or its own width, if narrower): a wide-labelled chart gets a row of its own
  // rather than a plot too narrow to read.
  const needs = (row: Spec[]) => row.reduce((sum, spec) => sum + layout(spec).cfLeft + layout(spec).cfRight + Math.min(ownWidth(spec) ?? minPanel, minPanel * (layout(spec).cfPanels ?? 1)), 0) + SPACING * row.length + SPACER + 10;
  const packed: Spec[][] = [];
  for (const spec of specs) {
    const last = packed[packed.length - 1];
    if (last && last.length < columns && needs([...last, spec]) <= total) last.push(spec);
    else packed.push([spec]);
  }
  // Vega lines the rows up on their first chart's plot area, so a row under a chart with wide
  // labels would be pushed right by them. Where that would waste more than a spacer costs, every
  // row starts with an empty 1 px view (no labels): the rows then line up at the left edge.
  const lefts = packed.map((row) => layout(row[0]).cfLeft);
  const spaced = Math.max(...lefts) - Math.min(...lefts) > SPACER + SPACING;
  const firstLeft = spaced ? 0 : Math.max(...lefts);
  const rows = packed.map((row, r) => {
    const margins = (spaced ? SPACER + SPACING : firstLeft - layout(row[0]).cfLeft) + row.reduce((sum, spec) => sum + layout(spec).cfLeft + layout(spec).cfRight, 0);
    const room = Math.max(120, Math.floor((total - 10 - SPACING * (row.length - 1) - margins) / row.length));
    const charts = row.map((original) => {
      const width = ownWidth(original);
      const faceted = layout(original).cfWidth !== undefined;
      const narrowed = width !== undefined && width > room ? (resizers.get(original)?.(room) ?? (faceted ? original : { ...original, width: room })) : original;
      const { $schema: _schema, config: _config, usermeta: _usermeta, ...rest } = narrowed as Spec & { usermeta?: unknown; width?: unknown };
      const plotWidth = ownWidth(narrowed) ?? room;
      // The title runs over the chart's whole width, axis labels and legend included.
      return { ...rest, title: wrapTitle(rest.title, layout(original).cfLeft + plotWidth + layout(original).cfRight) };
    });
    return { hconcat: [...(spaced ? [gridSpacer(r)] : []), ...alignTitles(charts)], spacing: SPACING, resolve };
  });
  return { $schema: VEGA_LITE_SCHEMA, ...(options.title ? { title: options.title } : {}), vconcat: rows, spacing: SPACING, resolve, config: CONFIG } as Spec;
}
