// Any TensorFlow.js model a notebook wires up with tf.layers becomes a Recommender, as fastai's
// Learner(dls, model) takes any module: the library then trains it (with the sparse step where
// its Embedding layers allow), evaluates it and reads its embeddings and biases, exactly as it
// does for the builders' models. What the model must look like is checked here, with errors
// that say what is missing.
import * as tf from "@tensorflow/tfjs";
import { datasetField } from "./fingerprint";
import { ModelData } from "./options";
import { DEFAULT_TARGET, ModelSpec, Recommender, TargetScale } from "./recommender";
import { embeddingsReading, LayerNames } from "./structure";

export interface FromLayersOptions {
  /** A name for the model in messages and saves; default the model's own name. */
  kind?: string;
  /**
   * The model's output is trained towards (rating - shift) / scale and read back as stars.
   * Default: centred on the training mean (output 0 means "an average rating"), or plain stars
   * when the model squashes its output into the rating range itself (a RatingRange or Rescaling layer).
   */
  target?: TargetScale;
  /** With several outputs: which one is the rating (default the last) and each one's loss weight (default 1). */
  ratingOutput?: number;
  lossWeights?: number[];
  /** Names for the outputs, shown as per-head losses. */
  outputNames?: string[];
  /** Which layers hold the factors and biases, when they can't be told apart by shape. */
  layers?: LayerNames;
}

function describeShape(shape: (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? "batch" : d)).join(", ")}]`;
}

/** "indices" for two [batch, 1] inputs (user, movie), "oneHot" for one [batch, users + movies] input. */
function inputKind(model: tf.LayersModel, data: ModelData): ModelSpec["input"] {
  const shapes = model.inputs.map((input) => input.shape);
  const isIndex = (shape: (number | null)[]) => shape.length === 1 || (shape.length === 2 && shape[1] === 1);
  if (shapes.length === 2 && shapes.every(isIndex)) return "indices";
  const width = data.encoders.users.size + data.encoders.movies.size;
  if (shapes.length === 1 && shapes[0].length === 2 && shapes[0][1] === width) return "oneHot";
  throw new Error(
    `recommender: the model takes ${shapes.length} input(s) shaped ${shapes.map(describeShape).join(", ")}; it must take either two index inputs ` +
      `[user, movie], each tf.input({ shape: [1], dtype: "int32" }), or one one-hot input of width users + movies = ${width}`,
  );
}

/** Each Embedding table must have a row per id of its side, or lookups would read the wrong rows. */
function checkTables(model: tf.LayersModel, data: ModelData): void {
  const sides = [
    ["user", data.encoders.users.size],
    ["movie", data.encoders.movies.size],
  ] as const;
  sides.forEach(([side, size], input) => {
    for (const layer of embeddingsReading(model, input)) {
      const rows = (layer.getConfig() as { inputDim: number }).inputDim;
      if (rows !== size) {
        const other = sides[1 - input];
        const hint = rows === other[1] ? ` (that is the ${other[0]} count: are the inputs in the order [user, movie]?)` : "";
        throw new Error(`recommender: Embedding '${layer.name}' reads the ${side} input with inputDim ${rows}, but the data has ${size} ${side}s${hint}; use inputDim: data.n${side === "user" ? "Users" : "Movies"}`);
      }
    }
  });
}

/**
 * True when the model maps its score into the rating range itself (cf.layers.RatingRange, or a
 * sigmoid followed by tf.layers.rescaling), so it is trained on stars.
 */
const squashesItself = (model: tf.LayersModel) => model.layers.some((layer) => ["RatingRange", "Rescaling"].includes(layer.getClassName()));

/**
 * Wraps a model built with tf.layers so the library trains, evaluates and analyses it:
 * `const model = cf.recommender(tf.model({ inputs: [user, movie], outputs: score }), data)`.
 */
export function recommender(model: tf.LayersModel, data: ModelData, options: FromLayersOptions = {}): Recommender {
  if (!(model instanceof tf.LayersModel)) {
    throw new Error(`recommender: expects a tf.LayersModel, e.g. tf.model({ inputs: [user, movie], outputs: score }); got ${model === null ? "null" : typeof model}`);
  }
  if (!data || !data.encoders) throw new Error("recommender: the second argument must be the data object from cf.collabData (it holds the id encoders)");
  const input = inputKind(model, data);
  if (input === "indices") checkTables(model, data);
  const outputs = model.outputs.length;
  model.outputs.forEach((output, i) => {
    const shape = output.shape;
    if (!(shape.length === 2 && shape[1] === 1)) throw new Error(`recommender: output ${i} is shaped ${describeShape(shape)}; each output must be one score per rating, [batch, 1]`);
  });
  const ratingOutput = options.ratingOutput ?? outputs - 1;
  if (!(Number.isInteger(ratingOutput) && ratingOutput >= 0 && ratingOutput < outputs)) throw new Error(`recommender: ratingOutput ${ratingOutput} is not one of the model's ${outputs} outputs (0..${outputs - 1})`);
  const lossWeights = options.lossWeights ?? Array(outputs).fill(1);
  if (lossWeights.length !== outputs || !lossWeights.every((w) => Number.isFinite(w) && w >= 0)) {
    throw new Error(`recommender: lossWeights must give one non-negative weight per output (${outputs}), got ${JSON.stringify(options.lossWeights)}`);
  }
  if (options.outputNames && options.outputNames.length !== outputs) throw new Error(`recommender: outputNames has ${options.outputNames.length} names for ${outputs} outputs`);
  const centred = !squashesItself(model) && data.globalMean !== undefined ? { shift: data.globalMean, scale: 1 } : DEFAULT_TARGET;
  const target = options.target ?? centred;
  if (!(Number.isFinite(target.shift) && target.scale > 0)) throw new Error(`recommender: target must have a finite shift and a positive scale, got ${JSON.stringify(target)}`);
  const spec: ModelSpec = {
    kind: options.kind ?? model.name,
    input,
    ratingOutput,
    lossWeights,
    outputNames: options.outputNames ?? (outputs > 1 ? model.outputNames : undefined),
    target,
    ...datasetField(data),
    ...(options.layers ? { layers: options.layers } : {}),
  };
  return new Recommender(model, spec, data.encoders);
}
