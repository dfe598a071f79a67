// EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"): a closed-form
// item-item model. With X the binary users x films matrix of training ratings,
//   P = (X^T X + lambda I)^-1,   B = I - P diag(1 / diag(P))   (so B's diagonal is zero),
// and a user's scores are x_u B: each film scored by the learned weights from the films they rated.
import { CollabData } from "../prep/collabData";
import { choleskyInverse, gramMatrix } from "./denseKernels";
import { Scorer } from "./scorer";
import { userItems, UserItems } from "./userItems";

export interface EaseOptions {
  /** L2 regularisation lambda on B (default 300; Steck used 200-1000 on MovieLens). */
  lambda?: number;
  /**
   * The most films accepted (default 3000). The fit inverts a films x films matrix: memory grows
   * with films^2 (8 bytes each, four copies) and time with films^3.
   */
  maxMovies?: number;
}

export interface EaseModel extends Scorer {
  lambda: number;
  /** B, films x films row-major: B[i * nMovies + j] is how much having rated i adds to j's score. */
  weights: Float32Array;
  /** Seconds the fit took. */
  seconds: number;
}

/** Fits EASE on the data object's training ratings (every rating counts as 1, whatever its stars). */
export function fitEase(data: CollabData, options: EaseOptions = {}): EaseModel {
  const { lambda = 300, maxMovies = 3000 } = options;
  if (!(Number.isFinite(lambda) && lambda > 0)) throw new Error(`fitEase: lambda must be a positive number, got ${lambda}`);
  if (!(Number.isInteger(maxMovies) && maxMovies > 0)) throw new Error(`fitEase: maxMovies must be a positive integer, got ${maxMovies}`);
  const n = data.nMovies;
  if (n > maxMovies) {
    const gb = (4 * 8 * n * n) / 1e9;
    throw new Error(
      `fitEase: '${data.name}' has ${n} films; EASE inverts a ${n} x ${n} matrix (about ${gb.toFixed(1)} GB and ~${Math.round(n ** 3 / 2e9)}e9 operations), ` +
        `which is impractical here beyond ${maxMovies} films. Keep the most-rated films (e.g. with filterRatings) or raise maxMovies if you have the time and memory.`,
    );
  }
  const started = performance.now();
  const items = userItems(data.train, data.nUsers);
  const G = gramMatrix(items, n);
  for (let i = 0; i < n; i++) G[i * n + i] += lambda;
  const P = choleskyInverse(G, n);
  const B = new Float32Array(n * n);
  for (let j = 0; j < n; j++) {
    const d = P[j * n + j];
    for (let i = 0; i < n; i++) if (i !== j) B[i * n + j] = -P[i * n + j] / d;
  }
  return easeScorer(B, n, items, lambda, (performance.now() - started) / 1000);
}

function easeScorer(B: Float32Array, n: number, items: UserItems, lambda: number, seconds: number): EaseModel {
  return {
    name: `EASE (lambda ${lambda})`,
    nMovies: n,
    lambda,
    weights: B,
    seconds,
    scoreUsers(users, out) {
      out.fill(0, 0, users.length * n);
      for (let i = 0; i < users.length; i++) {
        const row = i * n;
        for (let p = items.starts[users[i]]; p < items.starts[users[i] + 1]; p++) {
          const from = items.movies[p] * n;
          for (let j = 0; j < n; j++) out[row + j] += B[from + j];
        }
      }
    },
  };
}
