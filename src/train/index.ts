export * from "./history";
export * from "./train";
export * from "./compare";
export * from "./lessonEpochs";
