import seedrandom from "seedrandom";

/** A seeded generator: the same seed gives the same splits and initialisations on every machine. */
export function seededRandom(seed: number | string): () => number {
  return seedrandom(String(seed));
}

/** Fisher-Yates shuffle of 0..n-1. */
export function shuffledIndices(n: number, random: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
