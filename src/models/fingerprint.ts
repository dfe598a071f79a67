// A model answers in the ids of the data set it was built for: its encoders map MovieLens ids to
// table rows. Handing it another data object (ml-latest-small's to an ml-100k model, or a subset
// encoded afresh) would look rows up by the wrong index and label them with the wrong titles,
// silently. Every function that takes a model and a data object checks the data against the
// model's fingerprint (its data set's name and its user and movie ids) here, and either refuses
// or says how to map the data's rows onto the model's.
import { EncodedRatings, Encoders } from "../prep/encodedRatings";
import { IdEncoder } from "../prep/idEncoder";
import { firstOutOfRange } from "../util/indexRange";
import { Recommender } from "./recommender";

/** What a data object shows of itself for the check: collabData's result has all three. */
export interface DataIdentity {
  name: string;
  /** The release it comes from ("ml-100k"); a subset keeps its source's. */
  dataset?: string;
  encoders: Encoders;
}

/** For each data row index, the model's row index of the same MovieLens id. */
export interface IndexMaps {
  users: Int32Array;
  movies: Int32Array;
}

/** The data set a data object (or a model's data) belongs to: the release, else its own name. */
export const datasetOf = (data: { name?: string; dataset?: string }): string | undefined => data.dataset ?? data.name;

/** The spec field that records it (none when the data has no name, so a save's JSON stays as read back). */
export const datasetField = (data: { name?: string; dataset?: string }): { dataset?: string } => {
  const dataset = datasetOf(data);
  return dataset === undefined ? {} : { dataset };
};

const sameIds = (a: IdEncoder, b: IdEncoder) => a === b || (a.size === b.size && a.ids.every((id, i) => id === b.ids[i]));

const count = (n: number) => n.toLocaleString("en-US");

function describe(recommender: Recommender): string {
  const { users, movies } = recommender.encoders;
  return `${recommender.dataset ? `'${recommender.dataset}'` : "another data set"} (${count(users.size)} users, ${count(movies.size)} movies)`;
}

function mapSide(model: IdEncoder, data: IdEncoder, side: "user" | "movie", recommender: Recommender, dataName: string, caller: string): Int32Array {
  const map = new Int32Array(data.size);
  let missing = 0;
  let example = 0;
  for (let i = 0; i < data.size; i++) {
    const id = data.ids[i];
    if (model.has(id)) map[i] = model.index(id);
    else if (missing++ === 0) example = id;
  }
  if (missing > 0) {
    throw new Error(
      `${caller}: the data object '${dataName}' has ${count(missing)} ${side}s the model has never seen (e.g. ${side} ${example}); ` +
        `the model was built for ${describe(recommender)}. Pass the data object the model was built from, or build a model for this data`,
    );
  }
  return map;
}

/**
 * Checks that `data` belongs to the model. Returns undefined when its rows are the model's rows
 * (the same data object, or the same ids), the row maps when its ids are a subset of the model's
 * (a subset of the same data set, encoded afresh), and throws when it comes from another data set
 * or holds ids the model has no row for, naming both data sets and what differs.
 */
export function modelIndexMaps(recommender: Recommender, data: DataIdentity, caller: string): IndexMaps | undefined {
  const model = recommender.encoders;
  if (data.encoders === model) return undefined;
  const theirs = datasetOf(data);
  if (recommender.dataset && theirs && recommender.dataset !== theirs) {
    throw new Error(
      `${caller}: this model was built for ${describe(recommender)}, but the data object is '${theirs}' ` +
        `(${count(data.encoders.users.size)} users, ${count(data.encoders.movies.size)} movies). Pass the data object the model was built from, or build a model for this data`,
    );
  }
  if (sameIds(model.users, data.encoders.users) && sameIds(model.movies, data.encoders.movies)) return undefined;
  return {
    users: mapSide(model.users, data.encoders.users, "user", recommender, data.name, caller),
    movies: mapSide(model.movies, data.encoders.movies, "movie", recommender, data.name, caller),
  };
}

/** The same ratings with their rows renumbered into the model's tables. */
export function remapRatings(set: EncodedRatings, maps: IndexMaps | undefined): EncodedRatings {
  if (!maps) return set;
  const users = new Int32Array(set.length);
  const movies = new Int32Array(set.length);
  for (let i = 0; i < set.length; i++) {
    users[i] = maps.users[set.users[i]];
    movies[i] = maps.movies[set.movies[i]];
  }
  return { users, movies, ratings: set.ratings, length: set.length };
}

/**
 * Encoded ratings given without their data object can only be checked for range: an index past
 * the model's tables would otherwise fail deep in tfjs ("GatherV2 ...") or read another row.
 */
export function checkIndices(recommender: Recommender, set: EncodedRatings, caller: string): void {
  const sides = [
    ["user", set.users, recommender.encoders.users.size],
    ["movie", set.movies, recommender.encoders.movies.size],
  ] as const;
  for (const [side, indices, size] of sides) {
    const i = firstOutOfRange(indices, size, set.length);
    if (i >= 0) {
      throw new Error(
        `${caller}: rating ${i} has ${side} index ${indices[i]}, but the model has ${count(size)} ${side}s (built for ${describe(recommender)}); ` +
          `encode ratings with the model's encoders (model.encoders), or pass the data object the model was built from`,
      );
    }
  }
}
