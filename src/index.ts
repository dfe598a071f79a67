// cf-lessons: collaborative filtering on MovieLens with TensorFlow.js.
export * from "./backend";
export * from "./data";
export * from "./prep";
export * from "./ui/progress";
export * from "./models";
export * from "./train";
export * from "./analysis";
export * from "./plot";
