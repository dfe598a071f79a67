export * from "./encodedRatings";
export * from "./history";
export * from "./train";
export * from "./persist";
export * from "./lessonEpochs";
