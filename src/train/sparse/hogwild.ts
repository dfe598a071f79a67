// Multi-threaded epochs for the fused sparse step, Hogwild!-style (as word2vec, fastText and
// LIBMF train on CPUs): the tables, the optimizer state and the ratings live in
// SharedArrayBuffers, and N worker threads each take every N-th batch of the epoch's shuffled
// order and update the shared rows without locks. Two threads rarely hold the same row at once
// (a batch touches a thousand of ml-25m's 220k rows), so this converges as one thread does; what
// it gives up is bitwise reproducibility, since the threads' interleaving varies run to run.
// There is no hand-off per step: the main thread only starts each epoch and sums the losses.
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { EncodedRatings } from "../../prep/encodedRatings";
import type { L2Mode } from "./fusedStep";
import { COUNTER, EpochRequest, EpochResult, WorkerSetup } from "./hogwildProtocol";
import type { SparseStep } from "./sparseStep";

/** The loss of one multi-threaded epoch, or the batch where it diverged. */
export interface ThreadedEpoch {
  lossSum: number;
  firstLoss: number;
  failure?: { batch: number; value: number };
}

/** A copy in shared memory, unless the array already lives there. */
function shared<T extends Int32Array | Float32Array>(array: T, make: (buffer: SharedArrayBuffer) => T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const copy = make(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}

/**
 * Starts one worker. From dist/ the worker is the compiled .js beside this file; from the
 * TypeScript sources (tests, the bench, anything run under tsx) it loads tsx's require hook first,
 * since a worker does not inherit the loaders of the thread that starts it.
 */
function spawnWorker(setup: WorkerSetup): Worker {
  const extension = path.extname(__filename);
  const file = path.join(__dirname, `hogwildWorker${extension}`);
  if (extension !== ".ts") return new Worker(file, { workerData: setup });
  const hook = require.resolve("tsx/cjs");
  return new Worker(`require(${JSON.stringify(hook)}); require(${JSON.stringify(file)});`, { eval: true, workerData: setup });
}

export class HogwildPool {
  private failed: Error | undefined;

  private constructor(
    private readonly step: SparseStep,
    private readonly setup: WorkerSetup,
    private readonly workers: Worker[],
  ) {
    for (const worker of workers) {
      worker.on("error", (error) => (this.failed ??= error));
    }
  }

  /** `threads` workers over `data` for the model of `step` (which must have a fusedConfig). */
  static start(step: SparseStep, data: EncodedRatings, threads: number): HogwildPool {
    const config = step.fusedConfig;
    if (!config) throw new Error("sparse step: only the fused dot / dot+bias step runs on several threads");
    const { tables, states, penalisedAt } = step.shared();
    const setup: WorkerSetup = {
      tables,
      states,
      penalisedAt,
      config,
      users: shared(data.users.subarray(0, data.length), (b) => new Int32Array(b)),
      movies: shared(data.movies.subarray(0, data.length), (b) => new Int32Array(b)),
      ratings: shared(data.ratings.subarray(0, data.length), (b) => new Float32Array(b)),
      order: new Int32Array(new SharedArrayBuffer(4 * data.length)),
      counters: new Int32Array(new SharedArrayBuffer(4 * COUNTER.size)),
    };
    const workers = Array.from({ length: threads }, () => spawnWorker(setup));
    return new HogwildPool(step, setup, workers);
  }

  get threads(): number {
    return this.workers.length;
  }

  /**
   * One epoch over `order` (a permutation of the ratings) on every thread; `onProgress` hears the
   * batches done every 200 ms. The step count carries on from the step's own.
   */
  async epoch(
    order: Int32Array,
    options: { batchSize: number; learningRate: number; l2Mode: L2Mode; divergenceFactor: number; firstLoss: number | undefined },
    onProgress?: (batchesDone: number) => void,
  ): Promise<ThreadedEpoch> {
    if (this.failed) throw this.failed;
    const { counters } = this.setup;
    this.setup.order.set(order);
    Atomics.store(counters, COUNTER.steps, this.step.steps);
    Atomics.store(counters, COUNTER.batchesDone, 0);
    Atomics.store(counters, COUNTER.stop, 0);
    const batches = Math.ceil(order.length / options.batchSize);
    const base = { batchSize: options.batchSize, batches, stride: this.workers.length, learningRate: options.learningRate, l2Mode: options.l2Mode, divergenceFactor: options.divergenceFactor, firstLoss: options.firstLoss ?? NaN };
    const timer = onProgress ? setInterval(() => onProgress(Atomics.load(counters, COUNTER.batchesDone)), 200) : undefined;
    let results: EpochResult[];
    try {
      results = await Promise.all(this.workers.map((worker, first) => this.request(worker, { ...base, first })));
    } finally {
      if (timer) clearInterval(timer);
      this.step.steps = Atomics.load(counters, COUNTER.steps);
    }
    const error = results.find((r) => r.error)?.error;
    if (error) throw new Error(`train: a training thread failed: ${error}`);
    onProgress?.(Atomics.load(counters, COUNTER.batchesDone));
    const failures = results.filter((r) => r.failure).map((r) => r.failure!);
    return {
      lossSum: results.reduce((sum, r) => sum + r.lossSum, 0),
      firstLoss: results[0].firstLoss, // worker 0 ran batch 1
      failure: failures.sort((a, b) => a.batch - b.batch)[0],
    };
  }

  private request(worker: Worker, request: EpochRequest): Promise<EpochResult> {
    return new Promise((resolve, reject) => {
      const onMessage = (result: EpochResult) => {
        worker.off("exit", onExit);
        resolve(result);
      };
      const onExit = (code: number) => {
        worker.off("message", onMessage);
        reject(this.failed ?? new Error(`train: a training thread stopped (exit code ${code})`));
      };
      worker.once("message", onMessage);
      worker.once("exit", onExit);
      worker.postMessage(request);
    });
  }

  /** Stops the workers; the shared tables stay with the step. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
