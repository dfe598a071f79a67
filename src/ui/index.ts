export * from "./progress";
export * from "./displayBundle";
export * from "./table";
export * from "./keyFigures";
