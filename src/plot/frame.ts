// A danfojs DataFrame as a notebook table: danfojs's own print() cuts every cell to 17
// characters, which hides the movie titles the lessons are about.
import type { DataFrame } from "danfojs-node";
import { Cell, showTable } from "./table";

/** Shows the first `rows` rows (default 20) with the index as the first column. */
export function showFrame(frame: DataFrame, options: { rows?: number; index?: boolean } = {}): void {
  const { rows = 20, index = true } = options;
  const columns = frame.columns.map(String);
  const values = (frame.values as Cell[][]).slice(0, rows);
  const labels = frame.index.slice(0, rows) as Cell[];
  const body = values.map((row, i) => (index ? [labels[i], ...row] : row).map((cell) => (typeof cell === "number" && Number.isNaN(cell) ? null : cell)));
  showTable(index ? ["", ...columns] : columns, body);
  if (frame.shape[0] > rows) showTable([`${frame.shape[0] - rows} more rows`], []);
}
