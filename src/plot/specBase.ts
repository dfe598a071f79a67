// What every chart builder shares: the schema, the look, the margins grid() reads and the
// rebuild-at-a-width hook. Internal to src/plot (specs.ts re-exports the public names).
import type { TopLevelSpec } from "vega-lite";
import { widestText } from "./textMetrics";

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

export type Spec = TopLevelSpec;

export const CONFIG = {
  title: { fontSize: 14, anchor: "start", offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  // Legend titles are never cut (Vega's default limit is 180 px).
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260, titleLimit: 0 },
} as const;

/** Pixels a chart needs left of its plot area (axis labels) and right of it (a legend); grid() reads them. */
export interface Layout {
  cfLeft: number;
  cfRight: number;
  /** Faceted charts (no top-level width): the plot width of all panels together, and how many there are. */
  cfWidth?: number;
  cfPanels?: number;
}

export function base(title: string, width: number, height: number | { step: number }, left: number, right = 10) {
  const usermeta: Record<string, number> = { cfLeft: left, cfRight: right } satisfies Layout;
  return { $schema: VEGA_LITE_SCHEMA, title, width, height, config: CONFIG, usermeta } as const;
}

export function finite(name: string, value: number, what: string): number {
  if (!Number.isFinite(value)) throw new Error(`${what}: ${name} is ${value}, not a finite number`);
  return value;
}

// Charts that lay text out for their width (scatter labels, room for value labels) and must be
// built again, not just narrowed, when a grid gives them less room.
export const resizers = new WeakMap<object, (width: number) => Spec>();

export function resizable(spec: Spec, build: (width: number) => Spec): Spec {
  resizers.set(spec, build);
  return spec;
}

const TITLE_STYLE = { fontSize: CONFIG.title.fontSize, bold: true };

/** A title too wide for its chart, broken into lines at spaces (never cut). */
export function wrapTitle(title: unknown, width: number): unknown {
  if (typeof title !== "string" || widestText([title], TITLE_STYLE) <= width) return title;
  const lines: string[] = [];
  for (const word of title.split(" ")) {
    const last = lines.length - 1;
    if (last >= 0 && widestText([`${lines[last]} ${word}`], TITLE_STYLE) <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}
