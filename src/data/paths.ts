import * as path from "node:path";

/** The environment variable that moves the dataset cache elsewhere. */
export const DATA_DIR_ENV = "CF_DATA_DIR";

/** The project's data/ folder (the same from src/ under tsx and from dist/ once built), or CF_DATA_DIR. */
export function defaultDataDir(): string {
  const fromEnv = process.env[DATA_DIR_ENV];
  // Set but empty would resolve to the working folder and fill it with the cache.
  if (fromEnv !== undefined && fromEnv.trim() === "") {
    throw new Error(`${DATA_DIR_ENV} is set but empty; unset it to use ${path.resolve(__dirname, "..", "..", "data")}, or name the cache folder`);
  }
  return fromEnv ?? path.resolve(__dirname, "..", "..", "data");
}
