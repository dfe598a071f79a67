import { TargetScale } from "./recommender";

export interface ModelOptions {
  /** Embedding width (latent factors); the lessons use 50. */
  factors?: number;
  /** L2 penalty on embedding tables. */
  l2?: number;
  /** Seed for initialisers and dropout, for reproducible runs. */
  seed?: number;
  /** Train on (rating - shift) / scale; predictions come back in stars. */
  target?: TargetScale;
  /** Squash the output with a sigmoid into [min, max] (seed 004: about 4% better). */
  ratingRange?: [number, number];
}

export const DEFAULT_FACTORS = 50;
