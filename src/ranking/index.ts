export * from "./scorer";
export * from "./topN";
export * from "./metrics";
export * from "./baselines";
export * from "./ease";
export { gramMatrix, choleskyInverse } from "./denseKernels";
export { userItems, UserItems, movieCounts } from "./userItems";
export * from "./bpr";
