// The two training choices whose right answer depends on the data's size: how many threads run
// the sparse step, and where it applies L2. Lessons-sized data keeps today's exact, Keras-like
// run; from LARGE_TRAINING_SET ratings on, the defaults switch to what holds at ml-25m's scale.
import * as os from "node:os";
import { L2Mode, L2_MODES } from "./sparse/fusedStep";
import { SparseStep } from "./sparse/sparseStep";

/** From this many training ratings on (ml-1m's size) "auto" threads and L2 mode "batch" apply. */
export const LARGE_TRAINING_SET = 1_000_000;

/** More threads than this gain little: the tables' rows start to collide and memory bandwidth runs out. */
const MAX_AUTO_THREADS = 16;

export type Threads = number | "auto";

/**
 * The number of threads to train on. Default: 1 when a seed is given (a seeded run is exact and
 * reproducible), else "auto". "auto" is every core for a large training set trained by the fused
 * sparse step (dot / dot+bias models), else 1. An explicit count above 1 needs that step.
 */
export function chooseThreads(requested: Threads | undefined, seedGiven: boolean, trainingRatings: number, rowStep: SparseStep | undefined, modelKind: string): number {
  const threads = requested ?? (seedGiven ? 1 : "auto");
  const multiThreadable = rowStep?.fusedConfig !== undefined;
  if (threads === "auto") return multiThreadable && trainingRatings >= LARGE_TRAINING_SET ? Math.max(1, Math.min(MAX_AUTO_THREADS, os.availableParallelism())) : 1;
  if (!(typeof threads === "number" && Number.isInteger(threads) && threads > 0)) throw new Error(`train: threads must be a positive integer or "auto", got ${JSON.stringify(threads)}`);
  if (threads > 1 && !multiThreadable) {
    throw new Error(`train: threads ${threads} needs the sparse step of a dot product or dot+bias model (with or without the rating range); '${modelKind}' trains with threads: 1`);
  }
  return threads;
}

/**
 * Where the sparse step applies L2 (see L2Mode). Default: "dense" (Keras's maths, as the lessons
 * and the dense step) below LARGE_TRAINING_SET training ratings, "batch" from there on. The
 * dense steps pull every row on every step, so they only take "dense".
 */
export function chooseL2Mode(requested: L2Mode | undefined, step: "sparse" | "dense" | "tfjs", trainingRatings: number): L2Mode {
  if (requested !== undefined && !L2_MODES.includes(requested)) throw new Error(`train: l2Mode must be "dense" or "batch", got ${JSON.stringify(requested)}`);
  if (step !== "sparse") {
    if (requested === "batch") throw new Error(`train: l2Mode "batch" is the sparse step's; step "${step}" applies L2 to every row on every step (l2Mode "dense")`);
    return "dense";
  }
  return requested ?? (trainingRatings >= LARGE_TRAINING_SET ? "batch" : "dense");
}
