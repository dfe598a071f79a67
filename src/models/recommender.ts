// A trained-or-trainable model together with what it needs to answer in MovieLens terms:
// the id encoders, how its inputs are built and which output is the rating.
import * as tf from "@tensorflow/tfjs";
import { Encoders } from "../prep/encodedRatings";

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
  target: TargetScale;
}

export class Recommender {
  /** Kept between train() calls so a training sequence continues with Adam's moments intact. */
  optimizer: tf.Optimizer | undefined;

  constructor(
    readonly model: tf.LayersModel,
    readonly spec: ModelSpec,
    readonly encoders: Encoders,
  ) {}

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

  /** Predicted ratings (stars) for encoded indices, computed in batches. */
  predictIndices(users: Int32Array, movies: Int32Array, batchSize = 4096): Float32Array {
    const out = new Float32Array(users.length);
    for (let start = 0; start < users.length; start += batchSize) {
      const end = Math.min(users.length, start + batchSize);
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

export const DEFAULT_TARGET: TargetScale = { shift: 0, scale: 1 };

export function singleOutputSpec(kind: string, target: TargetScale = DEFAULT_TARGET, input: ModelSpec["input"] = "indices"): ModelSpec {
  return { kind, input, ratingOutput: 0, lossWeights: [1], target };
}
