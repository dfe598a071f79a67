// One training worker thread of a multi-threaded epoch (hogwild.ts). It runs the fused sparse
// step on its share of the epoch's shuffled batches, updating the shared tables and optimizer
// state in place without locks, and answers each epoch with its summed loss. Plain typed-array
// code: it imports no tfjs.
import { parentPort, workerData } from "node:worker_threads";
import { FusedRowStep } from "./fusedStep";
import { EpochRequest, EpochResult, WorkerSetup, COUNTER } from "./hogwildProtocol";

const setup = workerData as WorkerSetup;
const step = new FusedRowStep(setup.tables, setup.states, setup.penalisedAt, setup.config);
const { users, movies, ratings, order, counters } = setup;

function runEpoch(request: EpochRequest): EpochResult {
  const { batchSize, batches, first, stride, learningRate, l2Mode, divergenceFactor } = request;
  const batchUsers = new Int32Array(batchSize);
  const batchMovies = new Int32Array(batchSize);
  const batchRatings = new Float32Array(batchSize);
  let firstLoss = request.firstLoss;
  let lossSum = 0;
  for (let b = first; b < batches; b += stride) {
    if (Atomics.load(counters, COUNTER.stop) !== 0) break; // another thread saw the loss diverge
    const start = b * batchSize;
    const n = Math.min(order.length, start + batchSize) - start;
    for (let i = 0; i < n; i++) {
      const j = order[start + i];
      batchUsers[i] = users[j];
      batchMovies[i] = movies[j];
      batchRatings[i] = ratings[j];
    }
    const stepNumber = Atomics.add(counters, COUNTER.steps, 1) + 1;
    const value = step.step(batchUsers.subarray(0, n), batchMovies.subarray(0, n), batchRatings.subarray(0, n), learningRate, stepNumber, l2Mode);
    if (Number.isNaN(firstLoss)) firstLoss = value;
    if (!Number.isFinite(value) || value > divergenceFactor * Math.max(firstLoss, 1)) {
      Atomics.store(counters, COUNTER.stop, 1);
      return { lossSum, firstLoss, failure: { batch: b + 1, value } };
    }
    lossSum += value * n;
    Atomics.add(counters, COUNTER.batchesDone, 1);
  }
  return { lossSum, firstLoss };
}

parentPort!.on("message", (request: EpochRequest) => {
  try {
    parentPort!.postMessage(runEpoch(request));
  } catch (error) {
    Atomics.store(counters, COUNTER.stop, 1);
    parentPort!.postMessage({ lossSum: NaN, firstLoss: NaN, error: String((error as Error).stack ?? error) } satisfies EpochResult);
  }
});
