export * from "./metrics";
export * from "./evaluate";
export * from "./biasRanking";
export * from "./pca";
export * from "./neighbours";
export * from "./recommend";
export * from "./moviePca";
export * from "./predictionsByRating";
