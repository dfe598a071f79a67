// Building blocks shared by the model builders.
import * as tf from "@tensorflow/tfjs";

/** sigmoid(x) scaled to [min, max]: predictions can't leave the rating range (fast.ai's y_range). */
export class RatingRange extends tf.layers.Layer {
  static readonly className = "RatingRange";
  readonly min: number;
  readonly max: number;

  constructor(config: { min: number; max: number; name?: string }) {
    super({ name: config.name });
    this.min = config.min;
    this.max = config.max;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => tf.add(tf.mul(tf.sigmoid(x), this.max - this.min), this.min));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), min: this.min, max: this.max };
  }
}
tf.serialization.registerClass(RatingRange);

/**
 * The seed of one layer's initialiser: the run's seed mixed with the layer's name (FNV-1a), so
 * the user and movie tables, and each dense kernel, start from different draws of one seed
 * (one seed for all would start the user and movie tables identical).
 */
export function layerSeed(seed: number | undefined, name: string): number | undefined {
  if (seed === undefined) return undefined;
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export interface EmbeddingOptions {
  /** L2 penalty on the embedding table (Keras's embeddings_regularizer=l2(...)). */
  l2?: number;
  seed?: number;
}

/** A [batch, 1] int32 input of contiguous indices. */
export function indexInput(name: string): tf.SymbolicTensor {
  return tf.input({ shape: [1], dtype: "int32", name });
}

/** Looks `input` up in an n x width table and flattens to [batch, width]. */
export function embed(input: tf.SymbolicTensor, n: number, width: number, name: string, options: EmbeddingOptions = {}): tf.SymbolicTensor {
  const layer = tf.layers.embedding({
    inputDim: n,
    outputDim: width,
    name,
    embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: layerSeed(options.seed, name) }),
    embeddingsRegularizer: options.l2 ? tf.regularizers.l2({ l2: options.l2 }) : undefined,
  });
  return tf.layers.flatten({ name: `${name}_flat` }).apply(layer.apply(input)) as tf.SymbolicTensor;
}

export function dot(a: tf.SymbolicTensor, b: tf.SymbolicTensor, name = "dot"): tf.SymbolicTensor {
  return tf.layers.dot({ axes: 1, name }).apply([a, b]) as tf.SymbolicTensor;
}

export function add(tensors: tf.SymbolicTensor[], name: string): tf.SymbolicTensor {
  return tf.layers.add({ name }).apply(tensors) as tf.SymbolicTensor;
}

/** Optional sigmoid range on a [batch, 1] score. */
export function scoreToRating(score: tf.SymbolicTensor, ratingRange?: [number, number]): tf.SymbolicTensor {
  if (!ratingRange) return score;
  return new RatingRange({ min: ratingRange[0], max: ratingRange[1], name: "rating_range" }).apply(score) as tf.SymbolicTensor;
}

export interface DenseStackOptions {
  hidden: number[];
  /** Dropout after each hidden layer: one rate for all, or one per layer (the sessions use 0.5/0.6/0.7). */
  dropout?: number | number[];
  /** Dropout on the stack's input (the concatenated embeddings), before the first dense layer. */
  inputDropout?: number;
  batchNorm?: boolean;
  activation?: "relu" | "tanh" | "sigmoid" | "linear";
  seed?: number;
  prefix?: string;
}

function dropoutRates(dropout: number | number[], layers: number): number[] {
  if (typeof dropout === "number") return Array(layers).fill(dropout);
  if (dropout.length !== layers) throw new Error(`dropout: ${dropout.length} rates for ${layers} hidden layers`);
  return dropout;
}

/** Dense layers, each optionally followed by batch norm and dropout, as in the lessons' NN models. */
export function denseStack(x: tf.SymbolicTensor, options: DenseStackOptions): tf.SymbolicTensor {
  const { hidden, dropout = 0, inputDropout = 0, batchNorm = false, activation = "relu", seed, prefix = "dense" } = options;
  const rates = dropoutRates(dropout, hidden.length);
  for (const rate of [inputDropout, ...rates]) {
    if (!(rate >= 0 && rate < 1)) throw new Error(`dropout rates must be in [0, 1), got ${rate}`);
  }
  let h = x;
  if (inputDropout > 0) h = tf.layers.dropout({ rate: inputDropout, seed, name: `${prefix}_dropout_in` }).apply(h) as tf.SymbolicTensor;
  hidden.forEach((units, i) => {
    h = tf.layers.dense({ units, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(seed, `${prefix}_${i}`) }), name: `${prefix}_${i}` }).apply(h) as tf.SymbolicTensor;
    if (batchNorm) h = tf.layers.batchNormalization({ name: `${prefix}_${i}_bn` }).apply(h) as tf.SymbolicTensor;
    if (rates[i] > 0) h = tf.layers.dropout({ rate: rates[i], seed, name: `${prefix}_${i}_dropout` }).apply(h) as tf.SymbolicTensor;
  });
  return h;
}

export function concat(tensors: tf.SymbolicTensor[], name = "concat"): tf.SymbolicTensor {
  return tf.layers.concatenate({ name }).apply(tensors) as tf.SymbolicTensor;
}

export function denseOut(x: tf.SymbolicTensor, name: string, seed?: number): tf.SymbolicTensor {
  return tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(seed, name) }), name }).apply(x) as tf.SymbolicTensor;
}
