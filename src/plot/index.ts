export * from "./specs";
export * from "./render";
export * from "./show";
export * from "./table";
export * from "./comparison";
