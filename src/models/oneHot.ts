// Seed 003: a dense network on one multi-hot vector [user one-hot | movie one-hot]. Its first
// (bias-free) layer is an embedding in disguise: row i of its kernel is the vector of input i.
import * as tf from "@tensorflow/tfjs";
import { denseOut, denseStack, scoreToRating } from "./layers";
import { DEFAULT_FACTORS, ModelOptions } from "./options";
import { Encoders, Recommender, singleOutputSpec } from "./recommender";

export interface OneHotOptions extends ModelOptions {
  hidden?: number[];
  dropout?: number;
}

export const ONE_HOT_EMBEDDING_LAYER = "one_hot_embedding";

export function oneHotNetModel(encoders: Encoders, options: OneHotOptions = {}): Recommender {
  const input = tf.input({ shape: [encoders.users.size + encoders.movies.size], name: "user_movie_one_hot" });
  const embedded = tf.layers
    .dense({ units: options.factors ?? DEFAULT_FACTORS, useBias: false, kernelInitializer: tf.initializers.glorotUniform({ seed: options.seed }), name: ONE_HOT_EMBEDDING_LAYER })
    .apply(input) as tf.SymbolicTensor;
  const hidden = denseStack(embedded, { hidden: options.hidden ?? [64], dropout: options.dropout ?? 0.2, seed: options.seed });
  const model = tf.model({ inputs: input, outputs: scoreToRating(denseOut(hidden, "rating", options.seed), options.ratingRange), name: "oneHotNet" });
  return new Recommender(model, singleOutputSpec("oneHotNet", options.target, "oneHot"), encoders);
}

/** The first layer's kernel split into user and movie embeddings. */
export function oneHotEmbeddings(recommender: Recommender): { users: number[][]; movies: number[][] } {
  const kernel = recommender.model.getLayer(ONE_HOT_EMBEDDING_LAYER).getWeights()[0].arraySync() as number[][];
  const users = recommender.encoders.users.size;
  return { users: kernel.slice(0, users), movies: kernel.slice(users) };
}
