export * from "./atomicWrite";
export * from "./batches";
