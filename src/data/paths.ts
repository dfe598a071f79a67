import * as path from "node:path";

/** The environment variable that moves the dataset cache elsewhere. */
export const DATA_DIR_ENV = "CF_DATA_DIR";

/** The project's data/ folder (the same from src/ under tsx and from dist/ once built). */
export function defaultDataDir(): string {
  return process.env[DATA_DIR_ENV] ?? path.resolve(__dirname, "..", "..", "data");
}
