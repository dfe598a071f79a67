// cf-lessons: collaborative filtering on MovieLens with TensorFlow.js.
//
//   const ml = await cf.loadMovieLens("ml-100k");
//   const data = cf.collabData(ml, { split: "u1" });
//   const model = cf.dotBiasModel(data, { factors: 50 });
//   await cf.train(model, data, { epochs: 5, learningRate: 5e-3 });
//   cf.evaluate(model, data).rmse;
//
// The names a lesson uses are at the top level; the building blocks under them stay reachable
// by layer: cf.data, cf.prep, cf.layers, cf.kernels, cf.ranking.

export { selectBackend, BackendChoice, BackendInfo } from "./backend/selectBackend";
export { loadMovieLens, readMovieLens, MovieLens, Split100k } from "./data/loadMovieLens";
export * from "./data/loadMovieLensOr";
export { DATASETS, DatasetName } from "./data/datasets";
export { downloadDataset } from "./data/download";
export { DataError } from "./data/dataError";
export { Movie } from "./data/movies";
export { Ratings } from "./data/ratings";
export { collabData, CollabData, CollabDataOptions, RatingScale, RatingSource } from "./prep/collabData";
export { EncodedRatings, Encoders } from "./prep/encodedRatings";
export { IdEncoder } from "./prep/idEncoder";
export { crosstab } from "./prep/crosstab";
export * from "./prep/frames";
export * from "./models";
export * from "./train";
export * from "./analysis";
export * from "./plot";
export * from "./ranking";
export * from "./ui/keyFigures";

export * as data from "./data";
export * as prep from "./prep";
export * as layers from "./models/layers";
export * as kernels from "./backend/embeddingKernels";
export * as ranking from "./ranking";
