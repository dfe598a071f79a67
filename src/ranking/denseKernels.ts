// The two dense kernels EASE needs, on row-major Float64Arrays. Hand-written because measured:
// on ml-100k's 1,682 films ml-matrix takes about 6.5 s for the Gram matrix X^T X (a dense
// product, though X is 94% zeros) and about 50 s to invert through its Cholesky solve against
// the identity (column-strided loops); these take well under a second and a few seconds (npm run bench
// prints both against ml-matrix). Both loops run along contiguous rows.
import { UserItems } from "./userItems";

/**
 * G = X^T X for the binary user x film matrix X of `items`, n x n: accumulated per user over
 * the pairs of films they rated, so the cost follows Σ_u n_u^2, not users x films^2.
 */
export function gramMatrix(items: UserItems, n: number): Float64Array {
  const G = new Float64Array(n * n);
  for (let u = 0; u < items.nUsers; u++) {
    const from = items.starts[u];
    const to = items.starts[u + 1];
    for (let p = from; p < to; p++) {
      const row = items.movies[p] * n;
      for (let q = from; q < to; q++) G[row + items.movies[q]] += 1;
    }
  }
  return G;
}

/**
 * The inverse of a symmetric positive-definite n x n matrix by its Cholesky factor A = L L^T:
 * W = L^-1 (stored transposed, so every inner loop is a dot product of contiguous row runs),
 * then A^-1 = W^T W. Throws when A is not positive definite. `A` is left unchanged.
 */
export function choleskyInverse(A: Float64Array, n: number): Float64Array {
  if (A.length !== n * n) throw new Error(`choleskyInverse: expected ${n} x ${n} = ${n * n} values, got ${A.length}`);
  // L, lower triangle, row-major: L[i][j] = (A[i][j] - Σ_{c<j} L[i][c] L[j][c]) / L[j][j].
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let sum = A[ri + j];
      for (let c = 0; c < j; c++) sum -= L[ri + c] * L[rj + c];
      if (i === j) {
        if (!(sum > 0)) throw new Error(`choleskyInverse: the matrix is not positive definite (pivot ${i} is ${sum}); raise the regularisation`);
        L[ri + i] = Math.sqrt(sum);
      } else L[ri + j] = sum / L[rj + j];
    }
  }
  // Wt row j = column j of W = L^-1: W[i][j] = -(Σ_{c=j..i-1} L[i][c] W[c][j]) / L[i][i], W[j][j] = 1 / L[j][j].
  const Wt = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const wj = j * n;
    Wt[wj + j] = 1 / L[j * n + j];
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let sum = 0;
      for (let c = j; c < i; c++) sum += L[ri + c] * Wt[wj + c];
      Wt[wj + i] = -sum / L[ri + i];
    }
  }
  // A^-1[a][b] = Σ_i W[i][a] W[i][b] = Σ_{i >= max(a, b)} Wt[a][i] Wt[b][i].
  const P = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    const ra = a * n;
    for (let b = 0; b <= a; b++) {
      const rb = b * n;
      let sum = 0;
      for (let i = a; i < n; i++) sum += Wt[ra + i] * Wt[rb + i];
      P[ra + b] = sum;
      P[rb + a] = sum;
    }
  }
  return P;
}
