// What each MovieLens release is and where its files live inside the zip GroupLens publishes.

export type DatasetName = "ml-latest-small" | "ml-100k" | "ml-1m" | "ml-25m" | "ml-32m";

export interface DatasetInfo {
  name: DatasetName;
  /** The folder the zip unpacks to and the files the loader reads from it. */
  files: readonly string[];
  ratingScale: { min: number; max: number; step: number };
  /** How the files are encoded: the older releases predate UTF-8 at GroupLens. */
  encoding: "utf8" | "latin1";
  description: string;
  /** The MD5 GroupLens publishes for the zip, checked as well as the .md5 file beside it. */
  md5?: string;
}

export const DATASETS: Record<DatasetName, DatasetInfo> = {
  "ml-latest-small": {
    name: "ml-latest-small",
    files: ["ratings.csv", "movies.csv"],
    ratingScale: { min: 0.5, max: 5, step: 0.5 },
    encoding: "utf8",
    description: "100,836 ratings of 9,742 movies by 610 users, 0.5-5 stars (CSV)",
  },
  "ml-100k": {
    name: "ml-100k",
    files: ["u.data", "u.item", "u.genre", "u1.base", "u1.test"],
    ratingScale: { min: 1, max: 5, step: 1 },
    encoding: "latin1",
    description: "100,000 ratings of 1,682 movies by 943 users, 1-5 stars, fixed splits u1-u5/ua/ub",
  },
  "ml-1m": {
    name: "ml-1m",
    files: ["ratings.dat", "movies.dat"],
    ratingScale: { min: 1, max: 5, step: 1 },
    encoding: "latin1",
    description: "1,000,209 ratings of 3,706 movies by 6,040 users, 1-5 stars ('::' separated)",
  },
  "ml-25m": {
    name: "ml-25m",
    files: ["ratings.csv", "movies.csv"],
    ratingScale: { min: 0.5, max: 5, step: 0.5 },
    encoding: "utf8",
    description: "25,000,095 ratings across 62,423 movies by 162,541 users, 0.5-5 stars (CSV, 250 MB zip)",
    md5: "6b51fb2759a8657d3bfcbfc42b592ada",
  },
  "ml-32m": {
    name: "ml-32m",
    files: ["ratings.csv", "movies.csv"],
    ratingScale: { min: 0.5, max: 5, step: 0.5 },
    encoding: "utf8",
    description: "32,000,204 ratings across 87,585 movies by 200,948 users, 0.5-5 stars (CSV, 239 MB zip)",
    md5: "d472be332d4daa821edc399621853b57",
  },
};

export function datasetInfo(name: string): DatasetInfo {
  const info = (DATASETS as Record<string, DatasetInfo | undefined>)[name];
  if (!info) throw new Error(`unknown dataset '${name}'; known: ${Object.keys(DATASETS).join(", ")}`);
  return info;
}
