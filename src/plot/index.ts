export * from "./specs";
export * from "./render";
export * from "./show";
export * from "./table";
export * from "./comparison";
export * from "./frame";
export * from "./predictionsByRatingChart";
