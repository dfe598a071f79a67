// Recognising the matrix-factorisation graphs (dot product, plus biases, optionally squashed by
// the sigmoid rating range) so their outputs can be computed from the tables in typed memory:
// the sparse step's fused kernel, Recommender.predictIndices and top-N scoring all use it.
// tfjs's predict spends far more on dispatching small kernels than these loops spend on the maths.
import * as tf from "@tensorflow/tfjs";
import { EmbeddingTable, findEmbeddingTables, loadTables } from "./embeddingTables";

export interface DotGraph {
  user: EmbeddingTable;
  movie: EmbeddingTable;
  userBias?: EmbeddingTable;
  movieBias?: EmbeddingTable;
  range?: { min: number; max: number };
}

const DOT_GRAPH_LAYERS = new Set(["InputLayer", "Embedding", "Flatten", "Dot", "Add", "RatingRange"]);

/**
 * Recognises dot / dot+bias / sigmoid-range graphs by their layers. The caller still checks the
 * kernel's predictions against the model's before trusting the match (dotGraphOf does).
 */
export function matchDotGraph(model: tf.LayersModel, tables: EmbeddingTable[]): DotGraph | undefined {
  const count = (name: string) => model.layers.filter((l) => l.getClassName() === name).length;
  if (model.outputs.length !== 1 || model.inputs.length !== 2) return undefined;
  if (!model.layers.every((l) => DOT_GRAPH_LAYERS.has(l.getClassName())) || count("Dot") !== 1 || count("RatingRange") > 1) return undefined;
  const side = (input: number, bias: boolean) => tables.filter((t) => t.input === input && (t.width === 1) === bias);
  const [user, movie] = [side(0, false), side(1, false)];
  const [userBias, movieBias] = [side(0, true), side(1, true)];
  if (user.length !== 1 || movie.length !== 1 || user[0].width !== movie[0].width) return undefined;
  const withBias = userBias.length === 1 && movieBias.length === 1;
  if (tables.length !== (withBias ? 4 : 2) || count("Add") !== (withBias ? 1 : 0)) return undefined;
  const rangeLayer = model.layers.find((l) => l.getClassName() === "RatingRange");
  const range = rangeLayer ? (rangeLayer.getConfig() as { min: number; max: number }) : undefined;
  return {
    user: user[0],
    movie: movie[0],
    userBias: withBias ? userBias[0] : undefined,
    movieBias: withBias ? movieBias[0] : undefined,
    range: range ? { min: range.min, max: range.max } : undefined,
  };
}

/** The model's output for (users[i], movies[i]), i < out.length, from the tables. */
export function dotPredict(g: DotGraph, users: Int32Array, movies: Int32Array, out: Float32Array): void {
  const k = g.user.width;
  const U = g.user.values;
  const M = g.movie.values;
  for (let i = 0; i < out.length; i++) {
    const u = users[i] * k;
    const m = movies[i] * k;
    let score = 0;
    for (let c = 0; c < k; c++) score += U[u + c] * M[m + c];
    if (g.userBias && g.movieBias) score += g.userBias.values[users[i]] + g.movieBias.values[movies[i]];
    out[i] = g.range ? g.range.min + (g.range.max - g.range.min) / (1 + Math.exp(-score)) : score;
  }
}

/** The kernel must predict what the model predicts, or the graph isn't what it looks like. */
export function dotGraphMatchesModel(model: tf.LayersModel, g: DotGraph): boolean {
  const n = Math.min(64, g.user.rows * g.movie.rows);
  if (n === 0) return false;
  const users = Int32Array.from({ length: n }, (_, i) => i % g.user.rows);
  const movies = Int32Array.from({ length: n }, (_, i) => (i * 7 + 3) % g.movie.rows);
  const ours = new Float32Array(n);
  dotPredict(g, users, movies, ours);
  const theirs = tf.tidy(() => (model.predict([tf.tensor2d(users, [n, 1], "int32"), tf.tensor2d(movies, [n, 1], "int32")]) as tf.Tensor).dataSync());
  return ours.every((x, i) => Math.abs(x - theirs[i]) <= 1e-4 * (1 + Math.abs(x)));
}

/** Per model: its verified graph (tables without values until loaded), or null when it is another shape. */
const recognised = new WeakMap<tf.LayersModel, DotGraph | null>();

/**
 * The model's dot graph with its tables holding the model's current weights, or undefined when
 * the model is not a dot / dot+bias / sigmoid-range graph. The shape is recognised and checked
 * against tfjs's predict once per model; the weights are copied from the model on every call
 * (training may have changed them), which costs one pass over the tables.
 */
export function dotGraphOf(model: tf.LayersModel): DotGraph | undefined {
  let graph = recognised.get(model);
  if (graph === undefined) {
    const tables = model.inputs.length === 2 && model.inputs.every((x) => x.dtype === "int32") ? findEmbeddingTables(model) : undefined;
    graph = (tables && matchDotGraph(model, tables)) ?? null;
    if (graph && tables) {
      loadTables(tables);
      if (!dotGraphMatchesModel(model, graph)) graph = null;
    }
    recognised.set(model, graph);
    return graph ?? undefined;
  }
  if (graph) loadTables([graph.user, graph.movie, ...(graph.userBias && graph.movieBias ? [graph.userBias, graph.movieBias] : [])]);
  return graph ?? undefined;
}
