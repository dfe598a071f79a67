// Vega-Lite -> Vega -> SVG on the server (no browser, no canvas), so every plot also has a
// static image for nbconvert HTML, GitHub and viewers without a Vega renderer.
import * as vega from "vega";
import { compile } from "vega-lite";
import { Spec } from "./specs";

export function compileToVega(spec: Spec): vega.Spec {
  return compile(spec).spec as vega.Spec;
}

export async function renderSvg(spec: Spec): Promise<string> {
  const view = new vega.View(vega.parse(compileToVega(spec)), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
