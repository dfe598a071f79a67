// A trained-or-trainable model together with what it needs to answer in MovieLens terms:
// the id encoders, how its inputs are built, which output is the rating, and where its
// embeddings and biases live.
import * as tf from "@tensorflow/tfjs";
import { Encoders } from "../prep/encodedRatings";
import { batchRanges } from "../util/batches";
import { biasLayer, embeddingLayer, ONE_HOT_EMBEDDING_LAYER } from "./layerNames";
import { Side } from "./side";

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

  private hasLayer(name: string): boolean {
    return this.model.layers.some((layer) => layer.name === name);
  }

  private table(layer: string): number[][] {
    return this.model.getLayer(layer).getWeights()[0].arraySync() as number[][];
  }

  /** Row i is the embedding of encoded index i (encoders.users/movies.id(i) is its MovieLens id). */
  embeddings(side: Side): number[][] {
    if (this.spec.input === "oneHot") {
      // The one-hot net's first layer: user rows first, then movie rows.
      const kernel = this.table(ONE_HOT_EMBEDDING_LAYER);
      const users = this.encoders.users.size;
      return side === "user" ? kernel.slice(0, users) : kernel.slice(users);
    }
    if (!this.hasLayer(embeddingLayer(side))) throw new Error(`model '${this.kind}' has no ${side} embeddings`);
    return this.table(embeddingLayer(side));
  }

  /** True when the model learns a bias per user and per movie. */
  get hasBiases(): boolean {
    return this.hasLayer(biasLayer("user")) && this.hasLayer(biasLayer("movie"));
  }

  /**
   * The learned bias of each user or movie, indexed like the encoder. Without a sigmoid range
   * it is in stars (an offset from the model's centre); with one it is a pre-sigmoid score.
   */
  biases(side: Side): number[] {
    if (!this.hasLayer(biasLayer(side))) {
      throw new Error(`model '${this.kind}' has no ${side} biases: only dot+bias-style models (dotBias, hybrid, projectedDot) learn one`);
    }
    return this.table(biasLayer(side)).map((row) => row[0] * this.spec.target.scale);
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
