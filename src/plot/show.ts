// show(spec): one display bundle holding the Vega-Lite spec (JupyterLab and VS Code draw it
// interactively), a server-rendered SVG (nbconvert HTML, GitHub, plain notebooks) and plain text.
// Outside a notebook it writes <name>.svg and <name>.html instead and says where.
import * as fs from "node:fs";
import * as path from "node:path";
import { sendDisplayBundle } from "../ui/displayBundle";
import { renderSvg } from "./render";
import { Spec } from "./specs";

export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";
/** Where plots go when there's no notebook to show them in. */
export const PLOT_DIR_ENV = "CF_PLOT_DIR";

/** The MIME bundle for one chart: the spec, its SVG and a text stand-in. */
export async function displayBundle(spec: Spec): Promise<Record<string, unknown>> {
  const title = typeof spec.title === "string" ? spec.title : "chart";
  return { [VEGA_LITE_MIME]: spec, "image/svg+xml": await renderSvg(spec), "text/plain": `<Vega-Lite chart: ${title}>` };
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "chart";
}

function writeAtomically(file: string, contents: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, contents);
  fs.renameSync(temp, file);
}

/** Shows the chart inline in tslab; elsewhere writes it to files and returns their paths. */
export async function show(spec: Spec, options: { name?: string; dir?: string } = {}): Promise<string[] | undefined> {
  const bundle = await displayBundle(spec);
  if (sendDisplayBundle(bundle)) return undefined; // nothing for the notebook to echo
  const dir = options.dir ?? process.env[PLOT_DIR_ENV] ?? path.resolve("plots");
  fs.mkdirSync(dir, { recursive: true });
  const name = options.name ?? slug(typeof spec.title === "string" ? spec.title : "chart");
  const svgFile = path.join(dir, `${name}.svg`);
  const htmlFile = path.join(dir, `${name}.html`);
  const svg = bundle["image/svg+xml"] as string;
  writeAtomically(svgFile, svg);
  writeAtomically(htmlFile, `<!doctype html>\n<meta charset="utf-8">\n<title>${name}</title>\n${svg}\n<script type="application/json" id="vega-lite-spec">${JSON.stringify(spec).replace(/</g, "\\u003c")}</script>\n`);
  console.log(`chart written to ${svgFile} and ${htmlFile}`);
  return [svgFile, htmlFile];
}
