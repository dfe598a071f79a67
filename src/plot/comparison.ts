// The comparison table the lessons end with: every run's final and best validation RMSE next to
// the global-mean baseline.
import { compareRuns, RunComparison } from "../train/compare";
import { History } from "../train/history";
import { Cell, showTable } from "./table";

/** Shows compareRuns' rows as a table, the baseline as its first row; returns the rows. */
export function showComparison(runs: Record<string, History>, options: { baseline?: number } = {}): RunComparison[] {
  const rows = compareRuns(runs, options);
  const table: Cell[][] = rows.map((r) => [r.name, r.keptEpoch === r.epochs ? r.epochs : `${r.epochs} (kept ${r.keptEpoch})`, r.trainRmse, r.valRmse, r.valMae, r.bestValRmse, r.bestEpoch, Number.isNaN(r.vsBaseline) ? "" : signed(r.vsBaseline)]);
  if (options.baseline !== undefined) table.unshift(["global mean (baseline)", 0, null, options.baseline, null, null, null, ""]);
  showTable(["model", "epochs", "train RMSE", "val RMSE", "val MAE", "best val RMSE", "best epoch", "vs baseline"], table);
  return rows;
}

function signed(x: number): string {
  return `${x >= 0 ? "+" : ""}${x.toFixed(3)}`;
}
