// show(spec): one display bundle holding the Vega-Lite spec (JupyterLab and VS Code draw it
// interactively), a server-rendered PNG (the classic notebook, nbconvert HTML, GitHub) and plain
// text. No SVG in the bundle: nbconvert prefers SVG to PNG and Debian's sanitises inline SVG
// down to its text, so an export would show no chart. Outside a notebook it writes
// <name>.svg and <name>.html instead and says where.
import * as path from "node:path";
import { sendDisplayBundle } from "../ui/displayBundle";
import { inNotebook } from "../ui/progress";
import { writeFileAtomic } from "../util/atomicWrite";
import { renderSvg, svgToPng } from "./render";
import { Spec } from "./specs";
import { ensureFolder } from "../util/folders";

export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";
/** Where plots go when there's no notebook to show them in. */
export const PLOT_DIR_ENV = "CF_PLOT_DIR";

export interface ChartOutput {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

let warnedNoFont = false;

/** The chart's title as one line (a wrapped title is an array of lines). */
function titleText(spec: Spec): string {
  const title = (spec as { title?: unknown }).title;
  const text = Array.isArray(title) ? title.filter((t) => typeof t === "string" && t).join(" ") : typeof title === "string" ? title : "";
  return text || "chart";
}

/** One chart's display_data: the spec, a PNG (its CSS size in the metadata) and a text stand-in. */
export async function chartOutput(spec: Spec): Promise<ChartOutput> {
  const title = titleText(spec);
  const svg = await renderSvg(spec);
  const text = `<Vega-Lite chart: ${title}>`;
  let png;
  try {
    png = svgToPng(svg);
  } catch (error) {
    // Without fonts a PNG would be a chart without words: keep the SVG instead and say why once.
    if (!warnedNoFont) console.warn(`charts are shown as SVG only: ${(error as Error).message}`);
    warnedNoFont = true;
    return { data: { [VEGA_LITE_MIME]: spec, "image/svg+xml": svg, "text/plain": text }, metadata: {} };
  }
  return {
    data: { [VEGA_LITE_MIME]: spec, "image/png": png.png.toString("base64"), "text/plain": text },
    metadata: { "image/png": { width: png.width, height: png.height } },
  };
}

/** The MIME bundle for one chart (see chartOutput). */
export async function displayBundle(spec: Spec): Promise<Record<string, unknown>> {
  return (await chartOutput(spec)).data;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "chart";
}

/** Shows the chart inline in tslab; elsewhere writes it to files and returns their paths. */
export async function show(spec: Spec, options: { name?: string; dir?: string } = {}): Promise<string[] | undefined> {
  if (inNotebook()) {
    const output = await chartOutput(spec);
    if (sendDisplayBundle(output.data, output.metadata)) return undefined; // nothing for the notebook to echo
  }
  const dir = options.dir ?? process.env[PLOT_DIR_ENV] ?? path.resolve("plots");
  ensureFolder(dir, options.dir !== undefined ? "show: the dir option" : process.env[PLOT_DIR_ENV] !== undefined ? PLOT_DIR_ENV : "show");
  const name = options.name ?? slug(titleText(spec));
  const svgFile = path.join(dir, `${name}.svg`);
  const htmlFile = path.join(dir, `${name}.html`);
  const svg = await renderSvg(spec);
  writeFileAtomic(svgFile, svg);
  writeFileAtomic(htmlFile, `<!doctype html>\n<meta charset="utf-8">\n<title>${name}</title>\n${svg}\n<script type="application/json" id="vega-lite-spec">${JSON.stringify(spec).replace(/</g, "\\u003c")}</script>\n`);
  console.log(`chart written to ${svgFile} and ${htmlFile}`);
  return [svgFile, htmlFile];
}
