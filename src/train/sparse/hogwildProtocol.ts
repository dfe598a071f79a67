// What the main thread and the training worker threads (hogwildWorker.ts) say to each other.
// Types and constants only: both sides import it, and it loads no tfjs.
import type { FusedStepConfig, L2Mode, PlainTable } from "./fusedStep";
import type { RowState } from "./rowUpdates";

/** Slots of the shared Int32Array of counters. */
export const COUNTER = { steps: 0, batchesDone: 1, stop: 2, size: 3 } as const;

/** Handed to each worker once: every array here lives in a SharedArrayBuffer. */
export interface WorkerSetup {
  tables: PlainTable[];
  states: RowState[];
  penalisedAt: Int32Array[];
  config: FusedStepConfig;
  users: Int32Array;
  movies: Int32Array;
  ratings: Float32Array;
  /** The epoch's shuffled order of the ratings, written by the main thread before each epoch. */
  order: Int32Array;
  counters: Int32Array;
}

/** One epoch for one worker: batches first, first + stride, ... of the shuffled order. */
export interface EpochRequest {
  batchSize: number;
  batches: number;
  first: number;
  stride: number;
  learningRate: number;
  l2Mode: L2Mode;
  /** A batch loss this many times the first one (or than 1) means training diverged. */
  divergenceFactor: number;
  /** The run's first batch loss so far, NaN when none yet (the worker then takes its own). */
  firstLoss: number;
}

export interface EpochResult {
  /** Sum over the worker's batches of batch loss x batch length. */
  lossSum: number;
  firstLoss: number;
  /** The batch (counted from 1 in the epoch) whose loss diverged, and that loss. */
  failure?: { batch: number; value: number };
  /** An exception in the worker, with its stack. */
  error?: string;
}
