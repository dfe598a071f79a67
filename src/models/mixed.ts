// Seed 004's mixed models: matrix factorisation with a small neural part.
import * as tf from "@tensorflow/tfjs";
import { add, concat, denseOut, denseStack, dot, embed, scoreToRating } from "./layers";
import { factorGraph } from "./matrixFactorization";
import { ModelOptions } from "./options";
import { Encoders, Recommender, singleOutputSpec } from "./recommender";

export interface MixedBiasOptions extends ModelOptions {
  /** Width of the user/movie "bias" embeddings the NN reads. */
  biasFactors?: number;
  hidden?: number[];
  dropout?: number;
}

/** "Mixed model 1": user . movie + NN(concat(userBiasEmbedding, movieBiasEmbedding)). */
export function mixedBiasNetModel(encoders: Encoders, options: MixedBiasOptions = {}): Recommender {
  const g = factorGraph(encoders, options);
  const [user, movie] = g.inputs;
  const width = options.biasFactors ?? 10;
  const userBias = embed(user, encoders.users.size, width, "user_bias_embedding", { seed: options.seed });
  const movieBias = embed(movie, encoders.movies.size, width, "movie_bias_embedding", { seed: options.seed });
  const hidden = denseStack(concat([userBias, movieBias], "bias_concat"), { hidden: options.hidden ?? [10], dropout: options.dropout ?? 0, seed: options.seed, prefix: "bias_net" });
  const score = add([dot(g.userFactors, g.movieFactors), denseOut(hidden, "bias_net_out", options.seed)], "mixed_score");
  const model = tf.model({ inputs: g.inputs, outputs: scoreToRating(score, options.ratingRange), name: "mixedBiasNet" });
  return new Recommender(model, singleOutputSpec("mixedBiasNet", options.target), encoders);
}

export interface ProjectedDotOptions extends ModelOptions {
  /** Width both embeddings are projected to before the dot product. */
  projection?: number;
}

/** "Mixed model 2": dense(user) . dense(movie) + biases. */
export function projectedDotModel(encoders: Encoders, options: ProjectedDotOptions = {}): Recommender {
  const g = factorGraph(encoders, options);
  const units = options.projection ?? 20;
  const project = (x: tf.SymbolicTensor, name: string) =>
    tf.layers.dense({ units, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: options.seed }), name }).apply(x) as tf.SymbolicTensor;
  const score = add([dot(project(g.userFactors, "user_projection"), project(g.movieFactors, "movie_projection")), g.userBias(), g.movieBias()], "projected_score");
  const model = tf.model({ inputs: g.inputs, outputs: scoreToRating(score, options.ratingRange), name: "projectedDot" });
  return new Recommender(model, singleOutputSpec("projectedDot", options.target), encoders);
}
