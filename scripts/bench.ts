// npm run bench: speed and accuracy targets, each measured against a baseline in the same run.
//   1. one epoch of dot+bias (k=50) on ml-latest-small: this project's backend setup vs tfjs's
//      stock cpu kernels (too slow for a whole epoch: timed on a few batches and scaled up);
//   2. validation RMSE of dot+bias after training, against the global-mean baseline:
//      ml-100k u1.base/u1.test (target <= 0.92) and ml-latest-small 80/20 (target <= 0.88).
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import {
  selectBackend, useFastEmbeddingKernels, useStockEmbeddingKernels, loadMovieLens, read100kSplit, randomSplit, fitEncoders, encodeRatings,
  dotBiasModel, train, globalMeanRmse, EncodedRatings, Recommender,
} from "../src";

const { values: args } = parseArgs({ options: { "stock-batches": { type: "string", default: "1" }, epochs: { type: "string", default: "6" } } });

async function timeBatches(recommender: Recommender, data: EncodedRatings, batches: number): Promise<number> {
  const batchSize = 1024;
  const slice = { users: data.users.subarray(0, batches * batchSize), movies: data.movies.subarray(0, batches * batchSize), ratings: data.ratings.subarray(0, batches * batchSize), length: batches * batchSize };
  const started = performance.now();
  await train(recommender, slice, { epochs: 1, batchSize, learningRate: 1e-3, progress: false, log: false });
  return (performance.now() - started) / batches;
}

function report(name: string, value: string, target: string, met: boolean): void {
  console.log(`${name.padEnd(52)} ${value.padStart(12)}   target ${target.padEnd(10)} ${met ? "met" : "MISSED"}`);
}

async function speed(): Promise<void> {
  const info = await selectBackend();
  const ml = await loadMovieLens("ml-latest-small");
  const encoders = fitEncoders(ml.ratings);
  const data = encodeRatings(randomSplit(ml.ratings, { seed: 42 }).train, encoders);
  const batches = Math.ceil(data.length / 1024);

  const ours = dotBiasModel(encoders, { factors: 50, seed: 1 });
  await timeBatches(ours, data, 2); // warm-up: kernel set-up, first allocations
  const started = performance.now();
  await train(ours, data, { epochs: 1, batchSize: 1024, learningRate: 1e-3, progress: false, log: false });
  const epochSeconds = (performance.now() - started) / 1000;

  await tf.setBackend("cpu");
  useStockEmbeddingKernels("cpu");
  const stockPerBatch = await timeBatches(dotBiasModel(encoders, { factors: 50, seed: 1 }), data, Number(args["stock-batches"]));
  useFastEmbeddingKernels("cpu");
  await tf.setBackend(info.tfjsBackend);

  console.log(`\ndot+bias k=50, one epoch of ${data.length} ratings (${batches} batches of 1024), ${require("node:os").cpus().length} cores`);
  report(`  ${info.choice} + fast Embedding kernels: epoch`, `${epochSeconds.toFixed(2)} s`, "< 1 s", epochSeconds < 1);
  console.log(`  stock tfjs cpu kernels: ${stockPerBatch.toFixed(0)} ms a batch, so about ${((stockPerBatch * batches) / 60000).toFixed(1)} min an epoch`);
  console.log(`  speed-up: ${((stockPerBatch * batches) / 1000 / epochSeconds).toFixed(0)}x`);
}

async function accuracy(name: string, trainSet: EncodedRatings, testSet: EncodedRatings, recommender: Recommender, target: number, baseline: number): Promise<void> {
  const history = await train(recommender, trainSet, { epochs: Number(args.epochs), learningRate: 5e-3, batchSize: 1024, validation: testSet, progress: false, log: false, seed: 1 });
  const final = history.valRmse.at(-1)!;
  report(`  ${name}: val RMSE (global mean ${baseline.toFixed(3)})`, final.toFixed(4), `<= ${target}`, final <= target);
}

async function rmseTargets(): Promise<void> {
  console.log(`\ndot+bias k=50 with sigmoid range and L2, ${args.epochs} epochs at lr 0.005`);
  const ml100k = await loadMovieLens("ml-100k");
  const u1 = read100kSplit(ml100k.dir, "u1");
  const enc100k = fitEncoders(ml100k.ratings);
  await accuracy("ml-100k u1.base/u1.test", encodeRatings(u1.train, enc100k), encodeRatings(u1.test, enc100k),
    dotBiasModel(enc100k, { factors: 50, l2: 1e-4, ratingRange: [0.5, 5.5], seed: 1 }), 0.92, globalMeanRmse(u1.train.ratings, u1.test.ratings));

  const small = await loadMovieLens("ml-latest-small");
  const split = randomSplit(small.ratings, { seed: 42 });
  const encSmall = fitEncoders(small.ratings);
  await accuracy("ml-latest-small 80/20", encodeRatings(split.train, encSmall), encodeRatings(split.test, encSmall),
    dotBiasModel(encSmall, { factors: 50, l2: 1e-4, ratingRange: [0, 5.5], seed: 1 }), 0.88, globalMeanRmse(split.train.ratings, split.test.ratings));
}

(async () => {
  await speed();
  await rmseTargets();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
