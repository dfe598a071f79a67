// Each user's films as one sorted run of encoded movie indices (compressed sparse rows): the
// training films a top-N list must skip and BPR must not sample, and the held-out films a list
// is judged against.
import { EncodedRatings } from "../prep/encodedRatings";

export interface UserItems {
  nUsers: number;
  /** The films of user u are movies[starts[u]..starts[u + 1]), ascending. */
  starts: Int32Array;
  movies: Int32Array;
  /** The rating of each entry of movies, in stars. */
  ratings: Float32Array;
}

/** Groups encoded ratings by user (a user's repeated film is kept once, with its last rating). */
export function userItems(set: EncodedRatings, nUsers: number, keep: (rating: number) => boolean = () => true): UserItems {
  const counts = new Int32Array(nUsers + 1);
  for (let i = 0; i < set.length; i++) {
    const u = set.users[i];
    if (!(u >= 0 && u < nUsers)) throw new Error(`userItems: user index ${u} at row ${i} is not in [0, ${nUsers - 1}]`);
    if (keep(set.ratings[i])) counts[u + 1]++;
  }
  for (let u = 0; u < nUsers; u++) counts[u + 1] += counts[u];
  const starts = counts.slice();
  const fill = counts.slice(0, nUsers);
  const order = new Int32Array(starts[nUsers]);
  for (let i = 0; i < set.length; i++) if (keep(set.ratings[i])) order[fill[set.users[i]]++] = i;
  const movies = new Int32Array(order.length);
  const ratings = new Float32Array(order.length);
  const outStarts = new Int32Array(nUsers + 1);
  let n = 0;
  for (let u = 0; u < nUsers; u++) {
    const rows = Array.from(order.subarray(starts[u], starts[u + 1])).sort((a, b) => set.movies[a] - set.movies[b] || a - b);
    for (const row of rows) {
      if (n > outStarts[u] && movies[n - 1] === set.movies[row]) ratings[n - 1] = set.ratings[row];
      else {
        movies[n] = set.movies[row];
        ratings[n] = set.ratings[row];
        n++;
      }
    }
    outStarts[u + 1] = n;
  }
  return { nUsers, starts: outStarts, movies: movies.subarray(0, n), ratings: ratings.subarray(0, n) };
}

/** Whether user u has film m (binary search in the user's sorted run). */
export function hasItem(items: UserItems, u: number, m: number): boolean {
  let lo = items.starts[u];
  let hi = items.starts[u + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = items.movies[mid];
    if (x === m) return true;
    if (x < m) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** How many training ratings each film has: its popularity. */
export function movieCounts(set: EncodedRatings, nMovies: number): Int32Array {
  const counts = new Int32Array(nMovies);
  for (let i = 0; i < set.length; i++) counts[set.movies[i]]++;
  return counts;
}
