// Principal components of embeddings (ml-pca), and the movies at each end of each component:
// the lessons read the components as "critically acclaimed vs. popular", "violent vs. happy" etc.
import { PCA } from "ml-pca";
import { checkCount } from "./checks";

export interface PcaResult {
  /** projections[i][c]: row i projected on component c. */
  projections: number[][];
  /** components[c]: the unit direction of component c in embedding space. */
  components: number[][];
  /** Share of the variance each component explains (0-1). */
  explainedVariance: number[];
}

export function pca(rows: number[][], components = 3): PcaResult {
  checkCount(components, "pca: components");
  if (rows.length < 2) throw new Error(`pca: need at least two rows, got ${rows.length}`);
  const width = rows[0]?.length;
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== width) throw new Error(`pca: row ${i} has ${Array.isArray(row) ? row.length : "no"} values, but row 0 has ${width}; every row must be one vector of the same width`);
    const bad = row.findIndex((x) => !Number.isFinite(x));
    // NaN weights come from a diverged training run; ml-pca would report "no variance" or a RangeError.
    if (bad >= 0) throw new Error(`pca: row ${i} holds ${row[bad]} at position ${bad}; the embeddings are not finite numbers (did training diverge?)`);
  });
  if (width === 0) throw new Error("pca: the rows are empty (width 0)");
  if (components > width) throw new Error(`pca: ${components} components asked of ${width}-wide rows`);
  if (components > rows.length - 1) throw new Error(`pca: ${components} components need at least ${components + 1} rows, got ${rows.length}`);
  const model = new PCA(rows, { center: true, scale: false });
  const variance = model.getExplainedVariance();
  if (!variance.every(Number.isFinite)) throw new Error("pca: the rows do not vary (all identical), so there are no components");
  const projections = model.predict(rows, { nComponents: components }).to2DArray();
  const loadings = model.getLoadings().to2DArray().slice(0, components);
  return { projections, components: loadings, explainedVariance: variance.slice(0, components) };
}

export interface ComponentEnds<T> {
  component: number;
  high: { item: T; score: number }[];
  low: { item: T; score: number }[];
}

/** The n items scoring highest and lowest on each component. */
export function componentExtremes<T>(result: PcaResult, items: readonly T[], n = 10): ComponentEnds<T>[] {
  checkCount(n, "componentExtremes: n");
  if (items.length !== result.projections.length) throw new Error(`componentExtremes: ${items.length} items for ${result.projections.length} projected rows`);
  return result.components.map((_, c) => {
    const scored = items.map((item, i) => ({ item, score: result.projections[i][c] })).sort((a, b) => b.score - a.score);
    return { component: c + 1, high: scored.slice(0, n), low: scored.slice(-n).reverse() };
  });
}
