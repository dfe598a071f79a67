// Plain typed-array loops for the ranking benchmark, in the most direct form: what the library's
// top-N, metrics and predict paths are timed against in the same run.

/** Every film's dot+bias score for each user, training films skipped, top k by insertion, hits counted. */
export function referenceTopN(
  tables: { U: Float32Array; M: Float32Array; mb: Float32Array; k: number; nUsers: number; nMovies: number },
  train: { users: Int32Array; movies: Int32Array },
  held: { users: Int32Array; movies: Int32Array },
  n: number,
): number {
  const { U, M, mb, k, nUsers, nMovies } = tables;
  const seen = new Uint8Array(nUsers * nMovies);
  for (let i = 0; i < train.users.length; i++) seen[train.users[i] * nMovies + train.movies[i]] = 1;
  const relevant = new Uint8Array(nUsers * nMovies);
  for (let i = 0; i < held.users.length; i++) relevant[held.users[i] * nMovies + held.movies[i]] = 1;
  const best = new Float32Array(n);
  const bestMovie = new Int32Array(n);
  let hits = 0;
  for (let u = 0; u < nUsers; u++) {
    best.fill(-Infinity);
    for (let m = 0; m < nMovies; m++) {
      if (seen[u * nMovies + m]) continue;
      let s = mb[m];
      for (let c = 0; c < k; c++) s += U[u * k + c] * M[m * k + c];
      if (s <= best[n - 1]) continue;
      let j = n - 1;
      while (j > 0 && best[j - 1] < s) {
        best[j] = best[j - 1];
        bestMovie[j] = bestMovie[j - 1];
        j--;
      }
      best[j] = s;
      bestMovie[j] = m;
    }
    for (let r = 0; r < n; r++) hits += relevant[u * nMovies + bestMovie[r]];
  }
  return hits;
}

/** dot+bias with the sigmoid range for each (user, movie) pair. */
export function referencePredict(tables: { U: Float32Array; M: Float32Array; ub: Float32Array; mb: Float32Array; k: number }, users: Int32Array, movies: Int32Array, range: [number, number]): Float32Array {
  const { U, M, ub, mb, k } = tables;
  const out = new Float32Array(users.length);
  for (let i = 0; i < users.length; i++) {
    const u = users[i], m = movies[i];
    let s = ub[u] + mb[m];
    for (let c = 0; c < k; c++) s += U[u * k + c] * M[m * k + c];
    out[i] = range[0] + (range[1] - range[0]) / (1 + Math.exp(-s));
  }
  return out;
}
