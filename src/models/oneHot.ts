// Lesson 4: a dense network on one multi-hot vector [user one-hot | movie one-hot]. Its first
// (bias-free) layer is an embedding in disguise: row i of its kernel is the vector of input i.
import * as tf from "@tensorflow/tfjs";
import { ensureBackendSync } from "../backend/selectBackend";
import { denseOut, denseStack, layerSeed } from "./layers";
import { finishModel } from "./graph";
import { ONE_HOT_EMBEDDING_LAYER } from "./layerNames";
import { checkModelData, DEFAULT_FACTORS, ModelData, ModelOptions } from "./options";
import { Recommender } from "./recommender";

export interface OneHotOptions extends ModelOptions {
  hidden?: number[];
  dropout?: number | number[];
  batchNorm?: boolean;
  /** Activation of the first (embedding) layer; lesson 4's session uses relu. */
  embeddingActivation?: "relu" | "linear";
}

export function oneHotNetModel(data: ModelData, options: OneHotOptions = {}): Recommender {
  checkModelData(data, "oneHotNetModel");
  ensureBackendSync();
  const input = tf.input({ shape: [data.encoders.users.size + data.encoders.movies.size], name: "user_movie_one_hot" });
  const embedded = tf.layers
    .dense({
      units: options.factors ?? DEFAULT_FACTORS,
      useBias: false,
      activation: options.embeddingActivation ?? "linear",
      kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(options.seed, ONE_HOT_EMBEDDING_LAYER) }),
      kernelRegularizer: options.l2 ? tf.regularizers.l2({ l2: options.l2 }) : undefined,
      name: ONE_HOT_EMBEDDING_LAYER,
    })
    .apply(input) as tf.SymbolicTensor;
  const hidden = denseStack(embedded, { hidden: options.hidden ?? [64], dropout: options.dropout ?? 0.2, batchNorm: options.batchNorm, seed: options.seed });
  return finishModel("oneHotNet", data, options, [input], denseOut(hidden, "rating", options.seed), "oneHot");
}
