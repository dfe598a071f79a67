// Vega-Lite 5 spec builders for the lessons' charts. Data travels inline in each spec, so a
// saved notebook re-renders without the session that made it.
import type { TopLevelSpec } from "vega-lite";
import { countValues } from "../prep/crosstab";
import { History } from "../train/history";

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

export type Spec = TopLevelSpec;

const base = (title: string) => ({ $schema: VEGA_LITE_SCHEMA, title, width: 360, height: 220 }) as const;

/** Training curves: loss and val loss (or MAE / RMSE) by epoch, one line each. */
export function historyChart(history: History, options: { metric?: "loss" | "mae" | "rmse"; title?: string } = {}): Spec {
  const metric = options.metric ?? "loss";
  const series: [string, number[]][] =
    metric === "loss" ? [["loss", history.loss], ["val loss", history.valLoss]] : metric === "mae" ? [["val MAE", history.valMae]] : [["val RMSE", history.valRmse]];
  const values = series.flatMap(([name, ys]) => ys.map((y, i) => ({ epoch: history.epoch[i], series: name, value: y })).filter((d) => Number.isFinite(d.value)));
  return {
    ...base(options.title ?? `${metric === "loss" ? "Loss" : metric.toUpperCase()} by epoch`),
    data: { values },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "epoch", type: "quantitative", axis: { tickMinStep: 1 } },
      y: { field: "value", type: "quantitative", title: metric === "loss" ? "MSE loss" : `${metric.toUpperCase()} (stars)`, scale: { zero: false } },
      color: { field: "series", type: "nominal", title: null },
    },
  };
}

export interface LabelledPoint {
  x: number;
  y: number;
  label: string;
}

/** Movies on two principal components, each point labelled with its title. */
export function scatterWithLabels(points: LabelledPoint[], options: { title?: string; xTitle?: string; yTitle?: string } = {}): Spec {
  const x = { field: "x", type: "quantitative", title: options.xTitle ?? "x", scale: { zero: false } } as const;
  const y = { field: "y", type: "quantitative", title: options.yTitle ?? "y", scale: { zero: false } } as const;
  return {
    ...base(options.title ?? "Embedding projection"),
    width: 560,
    height: 420,
    data: { values: points },
    layer: [
      { mark: { type: "point", filled: true, size: 30 }, encoding: { x, y, tooltip: { field: "label", type: "nominal" } } },
      { mark: { type: "text", align: "left", dx: 5, dy: -4, fontSize: 9 }, encoding: { x, y, text: { field: "label", type: "nominal" } } },
    ],
  };
}

/** Horizontal bars of learned biases, highest first. */
export function biasBarChart(entries: { label: string; bias: number }[], options: { title?: string; valueTitle?: string } = {}): Spec {
  return {
    ...base(options.title ?? "Learned bias"),
    height: { step: 14 },
    data: { values: entries.map((e) => ({ label: e.label, bias: e.bias })) },
    mark: "bar",
    encoding: {
      y: { field: "label", type: "nominal", sort: "-x", title: null, axis: { labelLimit: 260 } },
      x: { field: "bias", type: "quantitative", title: options.valueTitle ?? "bias (stars)" },
      color: { condition: { test: "datum.bias < 0", value: "#c0504d" }, value: "#4f81bd" },
    },
  };
}

/** How often each star value occurs. */
export function ratingHistogram(ratings: ArrayLike<number>, options: { title?: string } = {}): Spec {
  const values = [...countValues(ratings)].sort((a, b) => a[0] - b[0]).map(([rating, count]) => ({ rating, count }));
  return {
    ...base(options.title ?? "Ratings"),
    data: { values },
    mark: "bar",
    encoding: {
      x: { field: "rating", type: "ordinal", title: "stars" },
      y: { field: "count", type: "quantitative", title: "ratings" },
    },
  };
}

/** Charts side by side in rows of `columns` (the lessons' 2x2 plots). */
export function grid(specs: Spec[], options: { columns?: number; title?: string } = {}): Spec {
  const strip = ({ $schema: _schema, ...rest }: Spec) => rest;
  return { $schema: VEGA_LITE_SCHEMA, title: options.title, columns: options.columns ?? 2, concat: specs.map(strip) } as Spec;
}
