// Ranking reads a model's tables by the data object's row numbers, so the two must be encoded
// alike: the model's fingerprint check (models/fingerprint.ts), without the subset mapping.
import { CollabData } from "../prep/collabData";
import { modelIndexMaps } from "../models/fingerprint";
import { Recommender } from "../models/recommender";

/** Refuses a data object from another data set, or one that numbers its users or movies differently. */
export function checkSameRows(recommender: Recommender, data: CollabData, caller: string): void {
  if (modelIndexMaps(recommender, data, caller)) {
    throw new Error(`${caller}: the data object '${data.name}' numbers its users and movies differently from the data the model was built on; build the model on this data object`);
  }
}
