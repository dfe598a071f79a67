// tfjs's Dropout draws its mask from the layer's `seed` on every call, so a seeded layer repeats
// one mask on every batch of a run (and an unseeded one can't be replayed). Training gives each
// Dropout layer a new seed at every step instead, made from the run's seed, the layer's position
// and the step's number: each step draws a fresh mask, and the same seed replays a run exactly.
import * as tf from "@tensorflow/tfjs";

/** The field tfjs's Dropout and SpatialDropout1D read in call() (private in the typings). */
interface Seeded {
  seed?: number;
}

const DROPOUT_CLASSES = new Set(["Dropout", "SpatialDropout1D"]);

function dropoutLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.flatMap((layer) => (layer instanceof tf.LayersModel ? dropoutLayers(layer) : DROPOUT_CLASSES.has(layer.getClassName()) ? [layer] : []));
}

/** A 32-bit mix of three integers (murmur3's finaliser), so nearby steps get unrelated seeds. */
export function mixSeed(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35) ^ Math.imul(c + 0x7f4a7c15, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class DropoutSeeds {
  private readonly layers: { layer: Seeded; own: number | undefined }[];

  constructor(
    model: tf.LayersModel,
    private readonly runSeed: number,
  ) {
    this.layers = dropoutLayers(model).map((layer) => ({ layer: layer as unknown as Seeded, own: (layer as unknown as Seeded).seed }));
  }

  get count(): number {
    return this.layers.length;
  }

  /** Seeds every Dropout layer for training step `step` (a layer's own seed, if it has one, joins the mix). */
  set(step: number): void {
    this.layers.forEach(({ layer, own }, i) => (layer.seed = mixSeed(mixSeed(own ?? 0, this.runSeed, i), step, 1)));
  }

  /** Gives each layer back the seed it was built with (what its config and a save show). */
  restore(): void {
    for (const { layer, own } of this.layers) layer.seed = own;
  }
}
