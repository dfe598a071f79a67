// The fused forward and backward pass of the matrix-factorisation models (dot product, plus
// biases, optionally squashed by the sigmoid rating range) as one loop over the batch in typed
// memory: no tensors, no allocations, no tfjs import, so the training worker threads load it too.

/** The tables the kernel reads: row-major weights of `width` columns. */
export interface DotTables {
  user: { values: Float32Array; width: number };
  movie: { values: Float32Array; width: number };
  userBias?: { values: Float32Array };
  movieBias?: { values: Float32Array };
  range?: { min: number; max: number };
}

export interface DotGradients {
  user: Float32Array;
  movie: Float32Array;
  userBias?: Float32Array;
  movieBias?: Float32Array;
}

/**
 * Adds to `grads` the gradient of weight * mean((output - target)^2) with respect to the looked-up
 * rows: row localUser[i] of grads.user belongs to table row users[i] (rows the batch repeats
 * accumulate). `grads` must be zero on the rows in use. Returns the loss.
 */
export function dotGradients(
  g: DotTables,
  batch: { users: Int32Array; movies: Int32Array; localUsers: Int32Array; localMovies: Int32Array; targets: Float32Array; length: number },
  weight: number,
  grads: DotGradients,
): number {
  const k = g.user.width;
  const U = g.user.values;
  const M = g.movie.values;
  const ub = g.userBias?.values;
  const mb = g.movieBias?.values;
  const range = g.range;
  const n = batch.length;
  const scale = (2 * weight) / n;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const u = batch.users[i] * k;
    const m = batch.movies[i] * k;
    let score = 0;
    for (let c = 0; c < k; c++) score += U[u + c] * M[m + c];
    if (ub && mb) score += ub[batch.users[i]] + mb[batch.movies[i]];
    let out = score;
    let slope = 1;
    if (range) {
      const s = 1 / (1 + Math.exp(-score));
      out = range.min + (range.max - range.min) * s;
      slope = (range.max - range.min) * s * (1 - s);
    }
    const error = out - batch.targets[i];
    squares += error * error;
    const d = scale * error * slope;
    const gu = batch.localUsers[i] * k;
    const gm = batch.localMovies[i] * k;
    for (let c = 0; c < k; c++) {
      grads.user[gu + c] += d * M[m + c];
      grads.movie[gm + c] += d * U[u + c];
    }
    if (grads.userBias && grads.movieBias) {
      grads.userBias[batch.localUsers[i]] += d;
      grads.movieBias[batch.localMovies[i]] += d;
    }
  }
  return (weight * squares) / n;
}
