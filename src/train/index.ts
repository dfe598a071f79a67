export * from "./history";
export * from "./train";
export * from "./lessonEpochs";
