// Principal components of embeddings (ml-pca), and the movies at each end of each component:
// the lessons read the components as "critically acclaimed vs. popular", "violent vs. happy" etc.
import { PCA } from "ml-pca";

export interface PcaResult {
  /** projections[i][c]: row i projected on component c. */
  projections: number[][];
  /** components[c]: the unit direction of component c in embedding space. */
  components: number[][];
  /** Share of the variance each component explains (0-1). */
  explainedVariance: number[];
}

export function pca(rows: number[][], components = 3): PcaResult {
  if (rows.length < 2) throw new Error("pca: need at least two rows");
  const model = new PCA(rows, { center: true, scale: false });
  const k = Math.min(components, rows[0].length);
  const projections = model.predict(rows, { nComponents: k }).to2DArray();
  const loadings = model.getLoadings().to2DArray().slice(0, k);
  return { projections, components: loadings, explainedVariance: model.getExplainedVariance().slice(0, k) };
}

export interface ComponentEnds<T> {
  component: number;
  high: { item: T; score: number }[];
  low: { item: T; score: number }[];
}

/** The n items scoring highest and lowest on each component. */
export function componentExtremes<T>(result: PcaResult, items: readonly T[], n = 10): ComponentEnds<T>[] {
  if (items.length !== result.projections.length) throw new Error(`componentExtremes: ${items.length} items for ${result.projections.length} projected rows`);
  return result.components.map((_, c) => {
    const scored = items.map((item, i) => ({ item, score: result.projections[i][c] })).sort((a, b) => b.score - a.score);
    return { component: c + 1, high: scored.slice(0, n), low: scored.slice(-n).reverse() };
  });
}
