// The whole forward and backward pass of the matrix-factorisation models (dot product, plus
// biases, optionally squashed by the sigmoid rating range) as one loop over the batch in typed
// memory: no tensors, no allocations. tfjs spends more on dispatching a dozen small kernels
// per step than this loop spends on the arithmetic.
import * as tf from "@tensorflow/tfjs";
import { EmbeddingTable } from "./embeddingTables";

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
 * kernel's predictions against the model's before trusting the match.
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

export interface DotGradients {
  user: Float32Array;
  movie: Float32Array;
  userBias?: Float32Array;
  movieBias?: Float32Array;
}

/**
 * Adds to `grads` the gradient of weight * mean((output - target)^2) with respect to the looked-up
 * rows: row localUser[i] of grads.user belongs to table row users[i] (rows the batch repeats
 * accumulate). `grads` must be zero on the rows in use. Returns the loss.
 */
export function dotGradients(
  g: DotGraph,
  batch: { users: Int32Array; movies: Int32Array; localUsers: Int32Array; localMovies: Int32Array; targets: Float32Array; length: number },
  weight: number,
  grads: DotGradients,
): number {
  const k = g.user.width;
  const U = g.user.values;
  const M = g.movie.values;
  const ub = g.userBias?.values;
  const mb = g.movieBias?.values;
  const range = g.range;
  const n = batch.length;
  const scale = (2 * weight) / n;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const u = batch.users[i] * k;
    const m = batch.movies[i] * k;
    let score = 0;
    for (let c = 0; c < k; c++) score += U[u + c] * M[m + c];
    if (ub && mb) score += ub[batch.users[i]] + mb[batch.movies[i]];
    let out = score;
    let slope = 1;
    if (range) {
      const s = 1 / (1 + Math.exp(-score));
      out = range.min + (range.max - range.min) * s;
      slope = (range.max - range.min) * s * (1 - s);
    }
    const error = out - batch.targets[i];
    squares += error * error;
    const d = scale * error * slope;
    const gu = batch.localUsers[i] * k;
    const gm = batch.localMovies[i] * k;
    for (let c = 0; c < k; c++) {
      grads.user[gu + c] += d * M[m + c];
      grads.movie[gm + c] += d * U[u + c];
    }
    if (grads.userBias && grads.movieBias) {
      grads.userBias[batch.localUsers[i]] += d;
      grads.movieBias[batch.localMovies[i]] += d;
    }
  }
  return (weight * squares) / n;
}
