// One meaning per colour across a lesson: grey is always "train", orange always "validation",
// and named series (models, runs, output heads) take colours from a palette without either, the
// same name keeping the same colour in every chart of the session.

export const TRAIN_COLOUR = "#6e6e6e";
export const VALIDATION_COLOUR = "#f58518";

/** Colours for named series: Tableau 10 without its orange (validation) and grey (train), then darker shades. */
export const SERIES_PALETTE = ["#4c78a8", "#54a24b", "#e45756", "#b279a2", "#72b7b2", "#9d755d", "#eeca3b", "#ff9da6", "#1f4e79", "#2d6a2f", "#8c2d2b", "#5e3c58"];

// Which colour each series name got first: later charts give the name the same colour.
const assigned = new Map<string, string>();

const HEX = /^#[0-9a-f]{3}([0-9a-f]{3})?$/i;

/**
 * The colour of each named series in one chart: `colors[name]` where given, else the colour the
 * name got in an earlier chart of this session, else the first palette colour no other name has
 * (so names keep their colours however charts order them). A colour given is kept for later
 * charts too. Two series of one chart never share
 * a colour while the palette has one left.
 */
export function seriesColors(names: readonly string[], colors: Record<string, string> = {}, where = "chart"): string[] {
  for (const [name, colour] of Object.entries(colors)) {
    if (typeof colour !== "string" || !colour.trim()) throw new Error(`${where}: colors["${name}"] must be a CSS colour such as "#4c78a8", not ${JSON.stringify(colour)}`);
    if (colour.toLowerCase() === VALIDATION_COLOUR) throw new Error(`${where}: colors["${name}"] is ${colour}, the colour that means "validation" in every chart; choose another`);
    if (HEX.test(colour) || /^[a-z]+$/i.test(colour) || /^(rgb|hsl)a?\(/i.test(colour)) continue;
    throw new Error(`${where}: colors["${name}"] = ${JSON.stringify(colour)} is not a CSS colour (use "#rrggbb", a name or rgb(...))`);
  }
  const inChart = new Set<string>();
  const used = new Set(Object.values(colors).map((c) => c.toLowerCase()));
  return names.map((name) => {
    let colour = colors[name];
    if (colour === undefined) {
      const earlier = assigned.get(name);
      colour = earlier !== undefined && !used.has(earlier) && !inChart.has(earlier) ? earlier : freeColour(new Set([...used, ...inChart]));
      if (earlier === undefined) assigned.set(name, colour);
    } else assigned.set(name, colour);
    inChart.add(colour.toLowerCase());
    return colour;
  });
}

/** A palette colour no name holds yet and this chart doesn't use, else one this chart doesn't use, else the palette cycles. */
function freeColour(taken: Set<string>): string {
  const held = new Set(assigned.values());
  return SERIES_PALETTE.find((c) => !held.has(c) && !taken.has(c)) ?? SERIES_PALETTE.find((c) => !taken.has(c)) ?? SERIES_PALETTE[taken.size % SERIES_PALETTE.length];
}

/** Forgets which names got which colours (a fresh lesson, or a test). */
export function resetSeriesColors(): void {
  assigned.clear();
}
