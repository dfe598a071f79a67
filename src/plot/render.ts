// Vega-Lite -> Vega -> SVG on the server (no browser, no canvas), and that SVG -> PNG with
// resvg, so every plot also has a static image for nbconvert HTML, GitHub, the classic
// notebook and viewers without a Vega renderer.
import { Resvg, ResvgRenderOptions } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile } from "vega-lite";
import { Spec } from "./specs";
import { useFontMetrics } from "./textMetrics";

// Lay text out by the widths of the font it is drawn in, not Vega's 0.8 em guess.
useFontMetrics();

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

// Vega writes font-family="sans-serif"; resvg resolves that to one named family, which must
// be installed or the text silently disappears. The first family here that draws is used.
const SANS_FAMILIES = ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Noto Sans", "FreeSans"];
let sansFamily: string | null | undefined;

function fontOptions(family: string): ResvgRenderOptions["font"] {
  return { loadSystemFonts: true, defaultFontFamily: family, sansSerifFamily: family };
}

function drawsText(family: string): boolean {
  const probe = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text x="2" y="16" font-family="sans-serif" font-size="16">Mg</text></svg>`;
  const pixels = new Resvg(probe, { font: fontOptions(family) }).render().pixels;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) return true;
  return false;
}

/** The installed sans-serif family charts are drawn with, or null when none of the usual ones is installed. */
export function chartFontFamily(): string | null {
  if (sansFamily === undefined) sansFamily = SANS_FAMILIES.find(drawsText) ?? null;
  return sansFamily;
}

export interface RenderedPng {
  png: Buffer;
  /** Size in CSS pixels (the image itself is `scale` times larger, for sharp text on dense screens). */
  width: number;
  height: number;
}

/** Rasterises an SVG on white; throws when no font is installed, rather than drawing a chart without text. */
export function svgToPng(svg: string, scale = 2): RenderedPng {
  const family = chartFontFamily();
  if (family === null) {
    throw new Error(`No font to draw chart text with: install one of ${SANS_FAMILIES.join(", ")} (Debian/Ubuntu: apt-get install fonts-dejavu-core)`);
  }
  const resvg = new Resvg(svg, { background: "white", fitTo: { mode: "zoom", value: scale }, font: fontOptions(family) });
  const width = resvg.width;
  const height = resvg.height;
  return { png: resvg.render().asPng(), width: Math.round(width), height: Math.round(height) };
}
