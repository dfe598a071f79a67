export * from "./selectBackend";
export { gatherRows, segmentSum, useFastEmbeddingKernels, useStockEmbeddingKernels } from "./embeddingKernels";
