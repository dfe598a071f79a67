import { Encoders } from "../prep/encodedRatings";
import { RatingScale } from "../prep/collabData";
import { DEFAULT_TARGET, TargetScale } from "./recommender";

/** What a builder needs from the data: the id vocabularies, and the scale and mean for defaults. */
export interface ModelData {
  encoders: Encoders;
  /** The data object's name and release: the model keeps them as part of its fingerprint. */
  name?: string;
  dataset?: string;
  ratingScale?: RatingScale;
  globalMean?: number;
}

export interface ModelOptions {
  /** Embedding width (latent factors); the lessons use 50. */
  factors?: number;
  /** L2 penalty on embedding tables. */
  l2?: number;
  /** Seed for initialisers and dropout, for reproducible runs. */
  seed?: number;
  /**
   * Train on (rating - shift) / scale; predictions come back in stars. Default: centred on the
   * data's global mean (as Surprise's SVD adds mu), or left as stars with a sigmoid range.
   */
  target?: TargetScale;
  /**
   * Squash the output with a sigmoid into [min, max] (fastai's y_range). `true`: half a star
   * beyond the data's scale each side, e.g. [0, 5.5] for 0.5-5 stars, so the ends are reachable.
   */
  ratingRange?: boolean | [number, number];
}

export const DEFAULT_FACTORS = 50;

/** The sigmoid range and training target a builder's options and data amount to. */
export function outputScale(data: ModelData, options: Pick<ModelOptions, "ratingRange" | "target">): { ratingRange: [number, number] | undefined; target: TargetScale } {
  let ratingRange: [number, number] | undefined;
  if (options.ratingRange === true) {
    if (!data.ratingScale) throw new Error("ratingRange: true needs the data's rating scale: pass the data object from collabData, or give [min, max]");
    ratingRange = [data.ratingScale.min - 0.5, data.ratingScale.max + 0.5];
  } else if (Array.isArray(options.ratingRange)) {
    const [min, max] = options.ratingRange;
    if (!(Number.isFinite(min) && Number.isFinite(max) && min < max)) throw new Error(`ratingRange: [${min}, ${max}] is not an interval`);
    ratingRange = [min, max];
  }
  const centred = !ratingRange && data.globalMean !== undefined ? { shift: data.globalMean, scale: 1 } : DEFAULT_TARGET;
  const target = options.target ?? centred;
  if (!(Number.isFinite(target.shift) && target.scale > 0)) throw new Error(`target: shift must be finite and scale positive, got ${JSON.stringify(target)}`);
  return { ratingRange, target };
}

/**
 * Builders take the data object; an old-style `{ users, movies }` encoders object (or anything
 * else) is refused with what to pass instead, not a TypeError about `encoders`.
 */
export function checkModelData(data: unknown, builder: string): asserts data is ModelData {
  const value = data as Partial<ModelData> & { users?: unknown; movies?: unknown } | null | undefined;
  const hasEncoders = (x: unknown) => typeof x === "object" && x !== null && typeof (x as { users?: { size?: unknown } }).users?.size === "number" && typeof (x as { movies?: { size?: unknown } }).movies?.size === "number";
  if (typeof value === "object" && value !== null && hasEncoders(value.encoders)) return;
  const got =
    value === undefined || value === null
      ? String(value)
      : hasEncoders(value)
        ? "an encoders object { users, movies } (the old way)"
        : `an object with ${Object.keys(value).slice(0, 6).join(", ") || "no fields"}`;
  throw new Error(`${builder}: its first argument must be the data object from collabData (e.g. cf.dotBiasModel(cf.collabData(ml), { factors: 50 })); got ${got}. For bare encoders, pass { encoders }`);
}
