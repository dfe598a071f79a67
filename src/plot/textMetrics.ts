// Text widths for laying charts out on the server. Without a canvas Vega guesses every character
// at 0.8 em, half again as wide as DejaVu Sans (the font the PNGs are drawn with where installed,
// and wider than the browsers' sans-serif): labels were cut with "..." that had room, legends stood
// off their axis and axis titles off their labels. These are DejaVu Sans's own advance widths, so
// the server lays text out as drawn, and a browser (narrower fonts) never overflows it.
import * as vega from "vega";

// Advance widths in thousandths of an em of the printable ASCII characters (32-126), read from
// DejaVuSans.ttf and DejaVuSans-Bold.ttf (version 2.37).
const REGULAR = [318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838];
const BOLD = [348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838];
// Characters outside ASCII the charts use (arrows, dashes, accents), [regular, bold]; anything else counts as a full em.
const OTHER: Record<string, [number, number]> = { "→": [838, 838], "±": [838, 838], "–": [500, 500], "—": [1000, 1000], "…": [1000, 1000], "×": [838, 838], "·": [318, 380], "é": [615, 678], "è": [615, 678], "ö": [612, 687], "ü": [634, 712], "ä": [613, 675], "á": [613, 675], "ó": [612, 687], "í": [278, 343] };

export interface TextStyle {
  fontSize?: number;
  bold?: boolean;
}

/** The width in pixels of one line of text in DejaVu Sans (11 px regular unless told). */
export function textWidth(text: string, style: TextStyle = {}): number {
  const table = style.bold ? BOLD : REGULAR;
  let em = 0;
  for (const c of text) {
    const code = c.charCodeAt(0);
    em += code >= 32 && code < 127 ? table[code - 32] : (OTHER[c]?.[style.bold ? 1 : 0] ?? 1000);
  }
  return (em / 1000) * (style.fontSize ?? 11);
}

/** The width of the widest of several lines. */
export function widestText(texts: readonly string[], style: TextStyle = {}): number {
  return Math.max(0, ...texts.map((t) => textWidth(t, style)));
}

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

const isBold = (weight: TextItem["fontWeight"]) => weight === "bold" || weight === "bolder" || Number(weight) >= 600;

/**
 * Vega's text width for an item, for its layout and its truncation. A label with a limit measures
 * at most the limit: Vega's own truncation then cuts exactly where the text stops fitting, and the
 * layout reserves no more than the limit.
 */
function itemWidth(item: TextItem, line: unknown): number {
  const text = line == null ? "" : String(line).trim();
  const fontSize = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  if (fontSize <= 0 || !text) return 0;
  const width = textWidth(text, { fontSize, bold: isBold(item.fontWeight) });
  return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
}

/** Makes Vega lay out (and truncate) text by DejaVu Sans's widths; Vega calls such a user function for every width. */
export function useFontMetrics(): void {
  // vega-scenegraph exports textMetrics for this (vl-convert does the same); vega's typings omit it.
  (vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics.width = itemWidth;
}
