export * from "./idEncoder";
export * from "./random";
export * from "./split";
export * from "./crosstab";
export * from "./encodedRatings";
export * from "./collabData";
export * from "./frames";
export * from "./subset";
