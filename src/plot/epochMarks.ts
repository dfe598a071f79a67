// Events of a training run worth marking on its curves: where a training sequence changed the
// learning rate, and which epoch's weights early stopping went back to.
import type { History } from "../train/history";
import { textWidth } from "./textMetrics";

export interface EpochMark {
  /** Where the vertical rule goes, in epochs (a change of rate sits between two epochs). */
  x: number;
  text: string;
  kind: "lr" | "kept";
  /** The run it belongs to, "" when it holds for every run in the chart. */
  run: string;
}

/** 1e-2, 3e-3, 1.5e-4: how the lessons write learning rates. */
export function formatRate(rate: number): string {
  return rate.toExponential().replace("e+", "e");
}

function rateChanges(h: History): { epoch: number; rate: number; from: number }[] {
  const rates = h.learningRate ?? [];
  const changes = [];
  for (let i = 1; i < Math.min(rates.length, h.epoch.length); i++) {
    if (Number.isFinite(rates[i]) && Number.isFinite(rates[i - 1]) && rates[i] !== rates[i - 1]) changes.push({ epoch: h.epoch[i], rate: rates[i], from: rates[i - 1] });
  }
  return changes;
}

/**
 * The learning-rate changes and kept epochs of some named runs. Changes every run shares are
 * marked once; otherwise each run's are marked and named. A kept epoch is marked when early
 * stopping restored one before the last.
 */
export function epochMarks(runs: [string, History][]): EpochMark[] {
  const marks: EpochMark[] = [];
  const changes = runs.map(([, h]) => rateChanges(h));
  const key = (c: { epoch: number; rate: number }[]) => c.map((x) => `${x.epoch}:${x.rate}`).join(",");
  const shared = runs.length === 1 || changes.every((c) => key(c) === key(changes[0]));
  const text = (c: { rate: number; from: number }) => `lr ${formatRate(c.from)} → ${formatRate(c.rate)}`;
  if (shared) for (const c of changes[0] ?? []) marks.push({ x: c.epoch - 0.5, text: text(c), kind: "lr", run: "" });
  else {
    runs.forEach(([run], i) => {
      for (const c of changes[i]) marks.push({ x: c.epoch - 0.5, text: `${run}: ${text(c)}`, kind: "lr", run });
    });
  }
  for (const [run, h] of runs) {
    const kept = h.restoredEpoch;
    if (kept === undefined || !h.epoch.includes(kept) || kept === h.epoch[h.epoch.length - 1]) continue;
    marks.push({ x: kept, text: runs.length > 1 ? `kept: epoch ${kept} (${run})` : `kept: epoch ${kept}`, kind: "kept", run });
  }
  return marks;
}

export const MARK_FONT = 10;
const ROW = MARK_FONT + 3;

export interface PlacedMark extends EpochMark {
  /** Pixels above the plot of the text's baseline (negative y), and which side of its rule it sits. */
  y: number;
  align: "left" | "right";
}

/**
 * Puts the marks' labels in rows above the plot, each beside its rule (left of it where it would
 * run past the plot's right edge), a new row wherever a label would meet one already placed.
 */
export function placeMarks(marks: EpochMark[], domain: [number, number], width: number): PlacedMark[] {
  const px = (x: number) => ((x - domain[0]) / (domain[1] - domain[0] || 1)) * width;
  const rows: { x0: number; x1: number }[][] = [];
  return [...marks]
    .sort((a, b) => a.x - b.x)
    .map((mark) => {
      const w = textWidth(mark.text, { fontSize: MARK_FONT });
      const at = px(mark.x);
      const align: "left" | "right" = at + 3 + w > width && at - 3 - w >= 0 ? "right" : "left";
      const span = align === "left" ? { x0: at + 3, x1: at + 3 + w } : { x0: at - 3 - w, x1: at - 3 };
      let row = rows.findIndex((r) => r.every((s) => span.x1 + 6 <= s.x0 || s.x1 + 6 <= span.x0));
      if (row < 0) row = rows.push([]) - 1;
      rows[row].push(span);
      return { ...mark, y: -4 - row * ROW, align };
    });
}
