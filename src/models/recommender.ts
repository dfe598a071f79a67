// A trained-or-trainable model together with what it needs to answer in MovieLens terms:
// the id encoders, how its inputs are built, which output is the rating, and where its
// embeddings and biases live.
import * as tf from "@tensorflow/tfjs";
import { Encoders } from "../prep/encodedRatings";
import { batchRanges } from "../util/batches";
import { firstOutOfRange } from "../util/indexRange";
import { dotGraphOf, dotPredict } from "./dotGraph";
import { ONE_HOT_EMBEDDING_LAYER } from "./layerNames";
import { Side } from "./side";
import { findSideLayer, LayerNames } from "./structure";

export type { Encoders };

/** Ratings are trained as (rating - shift) / scale: 0/1 leaves them as stars, mean/std standardises. */
export interface TargetScale {
  shift: number;
  scale: number;
}

export interface ModelSpec {
  /** The builder that made it, e.g. "dotBias"; informative, saved with the model. */
  kind: string;
  /** "indices": [user, movie] index inputs; "oneHot": one [batch, users + movies] multi-hot input. */
  input: "indices" | "oneHot";
  /** Which output predicts the rating when the model has several (the hybrid has two). */
  ratingOutput: number;
  /** Per-output loss weights for training (the hybrid's two losses). */
  lossWeights: number[];
  /** A name per output, for per-head losses (e.g. ["linear", "dot+bias"]). */
  outputNames?: string[];
  target: TargetScale;
  /**
   * The data set the model was built for (its fingerprint, with the encoders' ids): training,
   * evaluation and analysis refuse data from another one. Absent in saves from before it existed.
   */
  dataset?: string;
  /** Which layers hold the factors and biases, when a hand-built model has several candidates. */
  layers?: LayerNames;
}

export const DEFAULT_TARGET: TargetScale = { shift: 0, scale: 1 };

export function singleOutputSpec(kind: string, target: TargetScale = DEFAULT_TARGET, input: ModelSpec["input"] = "indices"): ModelSpec {
  return { kind, input, ratingOutput: 0, lossWeights: [1], target };
}

export class Recommender {
  /** Kept between train() calls so a training sequence continues with Adam's moments intact. */
  optimizer: tf.Optimizer | undefined;
  /** The optimizer's name, so a second train() call asking for another one is caught. */
  optimizerName: string | undefined;
  /** Training steps taken so far: each step's dropout masks are drawn from the run's seed and this count. */
  trainingSteps = 0;

  constructor(
    readonly model: tf.LayersModel,
    readonly spec: ModelSpec,
    readonly encoders: Encoders,
  ) {}

  /** The builder that made it, e.g. "dotBias". */
  get kind(): string {
    return this.spec.kind;
  }

  /** Prints the layer table (Keras's model.summary()). */
  summary(): void {
    this.model.summary(110);
  }

  /** The data set it was built for ("ml-100k"), as the builder's data object named it. */
  get dataset(): string | undefined {
    return this.spec.dataset;
  }

  private table(layer: tf.layers.Layer): number[][] {
    return layer.getWeights()[0].arraySync() as number[][];
  }

  /** The first layer after the one-hot input: row i of its kernel is input i's embedding. */
  private oneHotLayer(): tf.layers.Layer {
    const named = this.model.layers.find((l) => l.name === ONE_HOT_EMBEDDING_LAYER);
    const input = this.model.inputLayers[0];
    const first = named ?? this.model.layers.find((l) => l.getClassName() === "Dense" && l.inboundNodes.some((n) => n.inboundLayers.includes(input)));
    if (!first) throw new Error(`model '${this.kind}' has no Dense layer reading its one-hot input, so it has no embeddings to show`);
    return first;
  }

  /** Row i is the embedding of encoded index i (encoders.users/movies.id(i) is its MovieLens id). */
  embeddings(side: Side): number[][] {
    if (this.spec.input === "oneHot") {
      // The one-hot net's first layer: user rows first, then movie rows.
      const kernel = this.table(this.oneHotLayer());
      const users = this.encoders.users.size;
      return side === "user" ? kernel.slice(0, users) : kernel.slice(users);
    }
    const layer = findSideLayer(this.model, side, "embedding", this.spec.layers);
    if (!layer) throw new Error(`model '${this.kind}' has no ${side} embeddings: no Embedding layer wider than 1 reads its ${side} input`);
    return this.table(layer);
  }

  /** True when the model learns a bias per user and per movie. */
  get hasBiases(): boolean {
    if (this.spec.input === "oneHot") return false;
    return findSideLayer(this.model, "user", "bias", this.spec.layers) !== undefined && findSideLayer(this.model, "movie", "bias", this.spec.layers) !== undefined;
  }

  /**
   * The learned bias of each user or movie, indexed like the encoder. Without a sigmoid range
   * it is in stars (an offset from the model's centre); with one it is a pre-sigmoid score.
   */
  biases(side: Side): number[] {
    const layer = this.spec.input === "oneHot" ? undefined : findSideLayer(this.model, side, "bias", this.spec.layers);
    if (!layer) {
      throw new Error(`model '${this.kind}' has no ${side} biases (an Embedding of width 1 reading its ${side} input): only dot+bias-style models (dotBias, hybrid, projectedDot) learn one`);
    }
    return this.table(layer).map((row) => row[0] * this.spec.target.scale);
  }

  /** What a bias is measured in: stars, or the score before the sigmoid squashes it. */
  get biasUnit(): "stars" | "pre-sigmoid score" {
    return this.model.layers.some((layer) => layer.getClassName() === "RatingRange") ? "pre-sigmoid score" : "stars";
  }

  /** The model's input tensors for a batch of encoded users and movies. */
  inputs(users: Int32Array, movies: Int32Array): tf.Tensor[] {
    const n = users.length;
    if (this.spec.input === "oneHot") {
      return tf.tidy(() => {
        const u = tf.oneHot(tf.tensor1d(users, "int32"), this.encoders.users.size);
        const m = tf.oneHot(tf.tensor1d(movies, "int32"), this.encoders.movies.size);
        return [tf.concat([u, m], 1).toFloat()];
      });
    }
    return [tf.tensor2d(users, [n, 1], "int32"), tf.tensor2d(movies, [n, 1], "int32")];
  }

  /** Training targets for ratings in stars. */
  targets(ratings: Float32Array): tf.Tensor2D {
    const { shift, scale } = this.spec.target;
    return tf.tidy(() => tf.div(tf.sub(tf.tensor2d(ratings, [ratings.length, 1]), shift), scale) as tf.Tensor2D);
  }

  /** The rating output as a [batch] tensor in stars, from the model's raw outputs. */
  ratingFrom(outputs: tf.Tensor | tf.Tensor[]): tf.Tensor1D {
    const out = Array.isArray(outputs) ? outputs[this.spec.ratingOutput] : outputs;
    const { shift, scale } = this.spec.target;
    return tf.tidy(() => tf.add(tf.mul(out.reshape([-1]), scale), shift) as tf.Tensor1D);
  }

  /** The weighted training loss (MSE in target units) and each output's own MSE. */
  losses(outputs: tf.Tensor | tf.Tensor[], target: tf.Tensor): { total: tf.Scalar; heads: tf.Scalar[] } {
    const list = Array.isArray(outputs) ? outputs : [outputs];
    const heads = list.map((out) => tf.losses.meanSquaredError(target, out) as tf.Scalar);
    const weights = this.spec.lossWeights;
    const total = heads.map((loss, i) => tf.mul(loss, weights[i] ?? 1) as tf.Scalar).reduce((a, b) => tf.add(a, b));
    return { total, heads };
  }

  /** Predicted ratings (stars) for encoded indices, computed in batches. */
  predictIndices(users: Int32Array, movies: Int32Array, batchSize = 4096): Float32Array {
    const out = new Float32Array(users.length);
    if (users.length !== movies.length) throw new Error(`predictIndices: ${users.length} users but ${movies.length} movies`);
    // Dot / dot+bias / sigmoid-range graphs: one typed-array loop over the tables, ~100x tfjs's predict.
    const graph = this.spec.input === "indices" ? dotGraphOf(this.model) : undefined;
    if (graph) {
      checkIndices(users, graph.user.rows, "user");
      checkIndices(movies, graph.movie.rows, "movie");
      dotPredict(graph, users, movies, out);
      const { shift, scale } = this.spec.target;
      if (shift !== 0 || scale !== 1) for (let i = 0; i < out.length; i++) out[i] = out[i] * scale + shift;
      return out;
    }
    for (const [start, end] of batchRanges(users.length, batchSize)) {
      const batch = tf.tidy(() => {
        const x = this.inputs(users.subarray(start, end), movies.subarray(start, end));
        return this.ratingFrom(this.model.predict(x) as tf.Tensor | tf.Tensor[]);
      });
      out.set(batch.dataSync(), start);
      batch.dispose();
    }
    return out;
  }

  /** Predicted ratings for (user, movie) pairs given as MovieLens ids. */
  predict(userIds: ArrayLike<number>, movieIds: ArrayLike<number>): Float32Array {
    if (userIds.length !== movieIds.length) throw new Error(`predict: ${userIds.length} users but ${movieIds.length} movies`);
    return this.predictIndices(this.encoders.users.encode(userIds), this.encoders.movies.encode(movieIds));
  }
}

/** An index outside the table would read past it in the typed-array path: say which and where. */
function checkIndices(indices: Int32Array, rows: number, side: string): void {
  const i = firstOutOfRange(indices, rows);
  if (i >= 0) throw new Error(`predictIndices: ${side} index ${indices[i]} at position ${i} is not in [0, ${rows - 1}]`);
}
