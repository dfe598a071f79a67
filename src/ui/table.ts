// Tables in a notebook: an HTML table with a plain-text twin in one display bundle.
import { sendDisplayBundle } from "./displayBundle";

export type Cell = string | number | null | undefined;

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function format(cell: Cell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "number") return Number.isInteger(cell) ? String(cell) : cell.toFixed(3);
  return cell;
}

export function tableHtml(columns: string[], rows: Cell[][]): string {
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = rows.map((row) => `<tr>${row.map((c) => `<td>${escapeHtml(format(c))}</td>`).join("")}</tr>`).join("\n");
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

export function tableText(columns: string[], rows: Cell[][]): string {
  const cells = [columns, ...rows.map((row) => row.map(format))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  return cells.map((row) => row.map((c, i) => (c ?? "").padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

/** Displays a table inline in tslab, or prints it as text elsewhere. */
export function showTable(columns: string[], rows: Cell[][]): void {
  const text = tableText(columns, rows);
  if (!sendDisplayBundle({ "text/html": tableHtml(columns, rows), "text/plain": text })) console.log(text);
}
