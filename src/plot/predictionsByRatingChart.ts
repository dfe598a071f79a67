// Predicted against true ratings: the mean prediction for each star value with a one-standard-
// deviation bar, beside the diagonal a perfect model would sit on. Built from the per-rating
// summary, so the spec stays small however many ratings were predicted.
import type { RatingGroup } from "../analysis/predictionsByRating";
import { Spec, VEGA_LITE_SCHEMA } from "./specs";

const PERFECT = "perfect prediction";
const MEAN = "mean prediction ± 1 std";

export function predictionsByRatingChart(groups: readonly RatingGroup[], options: { title?: string } = {}): Spec {
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const values = groups.flatMap((g) => [
    { actual: g.actual, series: PERFECT, stars: g.actual, count: g.count },
    { actual: g.actual, series: MEAN, stars: round(g.mean), low: round(g.mean - g.std), high: round(g.mean + g.std), count: g.count },
  ]);
  const stars = groups.map((g) => g.actual);
  // Ticks only at the star values that occur; half a star of room at each end.
  const domain = [Math.min(...stars) - 0.5, Math.max(...stars) + 0.5];
  const x = { field: "actual", type: "quantitative", title: "true rating (stars)", axis: { values: stars }, scale: { domain } } as const;
  const y = { type: "quantitative", title: "predicted rating (stars)", scale: { zero: false } } as const;
  const color = { field: "series", type: "nominal", title: null, scale: { domain: [MEAN, PERFECT], range: ["#4f81bd", "#999999"] }, legend: { orient: "bottom", labelLimit: 300 } } as const;
  const tooltip = [
    { field: "actual", type: "quantitative", title: "true rating" },
    { field: "count", type: "quantitative", title: "ratings", format: ",d" },
    { field: "stars", type: "quantitative", title: "predicted (mean)" },
    { field: "low", type: "quantitative", title: "mean - std" },
    { field: "high", type: "quantitative", title: "mean + std" },
  ] as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "Predicted against true ratings",
    width: 360,
    height: 260,
    data: { values },
    layer: [
      { transform: [{ filter: `datum.series === '${PERFECT}'` }], mark: { type: "line", strokeDash: [4, 3] }, encoding: { x, y: { ...y, field: "stars" }, color } },
      { transform: [{ filter: `datum.series === '${MEAN}'` }], mark: { type: "rule", strokeWidth: 2 }, encoding: { x, y: { ...y, field: "low" }, y2: { field: "high" }, color } },
      { mark: { type: "point", filled: true, size: 60 }, encoding: { x, y: { ...y, field: "stars" }, color, tooltip: [...tooltip] } },
    ],
  };
}
