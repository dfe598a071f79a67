// Lesson 5's mixed models: matrix factorisation with a small neural part.
import * as tf from "@tensorflow/tfjs";
import { add, concat, denseOut, denseStack, dot, embed, layerSeed } from "./layers";
import { factorGraph, finishModel } from "./graph";
import { ModelData, ModelOptions } from "./options";
import { Recommender } from "./recommender";

export interface MixedBiasOptions extends ModelOptions {
  /** Width of the user/movie "bias" embeddings the NN reads. */
  biasFactors?: number;
  hidden?: number[];
  dropout?: number | number[];
  /** Activation of the bias network's hidden layers (seed 004's "linear" version: "linear"). */
  activation?: "relu" | "tanh" | "sigmoid" | "linear";
}

/** "Mixed model 1": user . movie + NN(concat(userBiasEmbedding, movieBiasEmbedding)). */
export function mixedBiasNetModel(data: ModelData, options: MixedBiasOptions = {}): Recommender {
  const g = factorGraph(data, options);
  const [user, movie] = g.inputs;
  const width = options.biasFactors ?? 10;
  const userBias = embed(user, data.encoders.users.size, width, "user_bias_embedding", { seed: options.seed });
  const movieBias = embed(movie, data.encoders.movies.size, width, "movie_bias_embedding", { seed: options.seed });
  const hidden = denseStack(concat([userBias, movieBias], "bias_concat"), { hidden: options.hidden ?? [10], dropout: options.dropout ?? 0, activation: options.activation, seed: options.seed, prefix: "bias_net" });
  const score = add([dot(g.userFactors, g.movieFactors), denseOut(hidden, "bias_net_out", options.seed)], "mixed_score");
  return finishModel("mixedBiasNet", data, options, g.inputs, score);
}

export interface ProjectedDotOptions extends ModelOptions {
  /** Width both embeddings are projected to before the dot product. */
  projection?: number;
  /** Activation of the two projections (seed 004 projects linearly: "linear"). */
  activation?: "relu" | "tanh" | "sigmoid" | "linear";
}

/** "Mixed model 2": dense(user) . dense(movie) + biases. */
export function projectedDotModel(data: ModelData, options: ProjectedDotOptions = {}): Recommender {
  const g = factorGraph(data, options);
  const units = options.projection ?? 20;
  const project = (x: tf.SymbolicTensor, name: string) =>
    tf.layers.dense({ units, activation: options.activation ?? "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(options.seed, name) }), name }).apply(x) as tf.SymbolicTensor;
  const score = add([dot(project(g.userFactors, "user_projection"), project(g.movieFactors, "movie_projection")), g.userBias(), g.movieBias()], "projected_score");
  return finishModel("projectedDot", data, options, g.inputs, score);
}
