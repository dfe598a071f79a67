// The two lists any recommender must beat: the films most people rated, and films at random.
import { CollabData } from "../prep/collabData";
import { seededRandom } from "../prep/random";
import { Scorer } from "./scorer";
import { movieCounts } from "./userItems";

/** Scores each film by its number of training ratings: the same list for everyone, less what they've seen. */
export function mostPopular(data: CollabData): Scorer {
  const counts = Float32Array.from(movieCounts(data.train, data.nMovies));
  return {
    name: "most popular",
    nMovies: data.nMovies,
    scoreUsers(users, out) {
      for (let i = 0; i < users.length; i++) out.set(counts, i * data.nMovies);
    },
  };
}

/** Scores every film at random (seeded): the floor that any model's lists must clear. */
export function randomScorer(data: CollabData, seed = 42): Scorer {
  const random = seededRandom(seed);
  return {
    name: "random",
    nMovies: data.nMovies,
    scoreUsers(users, out) {
      for (let i = 0; i < users.length * data.nMovies; i++) out[i] = random();
    },
  };
}
