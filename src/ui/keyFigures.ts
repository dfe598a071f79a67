// A lesson's key figures (validation RMSE, baseline, epochs...): a small table in the notebook,
// and one `key figure: <name> = <value>` line each on stdout, which `npm run lessons` collects
// from the executed notebook and prints in the terminal.
import { inNotebook } from "./progress";
import { showTable } from "./table";

export const KEY_FIGURE_PREFIX = "key figure: ";

function formatFigure(name: string, value: number | string): string {
  if (typeof value === "string") return value;
  if (!Number.isFinite(value)) throw new Error(`keyFigures: ${name} is ${value}, not a finite number`);
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
}

/**
 * Shows the figures as a table (in a notebook) and prints one `key figure:` line per figure.
 * Returns nothing, so that a notebook has no value to echo after the table.
 */
export function keyFigures(figures: Record<string, number | string>): void {
  const entries = Object.entries(figures);
  if (entries.length === 0) throw new Error("keyFigures: no figures given");
  const rows = entries.map(([name, value]) => {
    if (name.trim() === "" || /[\n=]/.test(name)) throw new Error(`keyFigures: the name ${JSON.stringify(name)} must be non-empty, on one line and without "="`);
    const text = formatFigure(name, value);
    if (/\n/.test(text)) throw new Error(`keyFigures: the value of ${name} must be on one line`);
    return [name, text];
  });
  if (inNotebook()) showTable(["key figure", "value"], rows);
  console.log(rows.map(([name, text]) => `${KEY_FIGURE_PREFIX}${name} = ${text}`).join("\n"));
}
