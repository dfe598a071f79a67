// The Embedding layers of a model, seen as tables in plain typed memory: which model input
// indexes each, its L2 penalty, and its weights. The sparse step trains on them (src/train/sparse),
// and the typed-array predict and top-N paths read them.
import * as tf from "@tensorflow/tfjs";

/** What the sparse step needs to know about one Embedding layer. */
export interface EmbeddingTable {
  layer: tf.layers.Layer;
  /** Position among the model's inputs of the index input that looks rows up in it. */
  input: number;
  rows: number;
  width: number;
  /** Keras's l2(...) on the table: the penalty l2 * sum(w^2) and its gradient 2 * l2 * w. */
  l2: number;
  /** The weights, row-major, as the sparse step trains them (written back by storeTables). */
  values: Float32Array;
}

interface EmbeddingInternals {
  inputDim: number;
  outputDim: number;
  embeddingsRegularizer?: { getConfig(): { l1?: number; l2?: number } };
}

/**
 * The model's Embedding layers when every one reads one of the model's inputs directly, as in
 * all the index-input models here; undefined when there are none or the graph is another shape.
 */
export function findEmbeddingTables(model: tf.LayersModel): EmbeddingTable[] | undefined {
  const tables: EmbeddingTable[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() !== "Embedding") continue;
    if (layer.inboundNodes.length !== 1) return undefined; // shared between inputs: not ours
    const source = layer.inboundNodes[0].inboundLayers;
    const input = source.length === 1 ? model.inputLayers.indexOf(source[0]) : -1;
    if (input < 0) return undefined;
    const internals = layer as unknown as EmbeddingInternals;
    const regularizer = internals.embeddingsRegularizer?.getConfig() ?? {};
    if (regularizer.l1) return undefined; // only L2 has a row-wise form here
    tables.push({ layer, input, rows: internals.inputDim, width: internals.outputDim, l2: regularizer.l2 ?? 0, values: new Float32Array(0) });
  }
  return tables.length > 0 ? tables : undefined;
}

/** Copies the tfjs weights into the tables (the model may have been changed since the last step). */
export function loadTables(tables: EmbeddingTable[]): void {
  for (const table of tables) {
    const [weights] = table.layer.getWeights();
    const data = weights.dataSync() as Float32Array;
    if (table.values.length !== data.length) table.values = new Float32Array(data.length);
    table.values.set(data);
  }
}

/** Writes the trained tables back into the model's variables, for predict, save and analysis. */
export function storeTables(tables: EmbeddingTable[]): void {
  for (const table of tables) {
    // A copy: the cpu backend would otherwise keep (and later see changes to) the array itself.
    const tensor = tf.tensor2d(table.values.slice(), [table.rows, table.width]);
    table.layer.setWeights([tensor]);
    tensor.dispose();
  }
}

/** The trainable variables that are not embedding tables (dense layers, batch norm). */
export function otherTrainableVariables(model: tf.LayersModel, tables: EmbeddingTable[]): tf.Variable[] {
  const owned = new Set(tables.flatMap((t) => t.layer.trainableWeights.map((w) => w.id)));
  return model.trainableWeights.filter((w) => !owned.has(w.id)).map((w) => w.read() as tf.Variable);
}
