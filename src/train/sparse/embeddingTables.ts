// The tables live in the models layer now (predict and top-N read them too); kept here for the step's imports.
export * from "../../models/embeddingTables";
