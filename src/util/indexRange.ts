/** The position of the first index outside [0, size), or -1 when every index is a row of the table. */
export function firstOutOfRange(indices: ArrayLike<number>, size: number, length = indices.length): number {
  for (let i = 0; i < length; i++) {
    const index = indices[i];
    if (!(index >= 0 && index < size)) return i;
  }
  return -1;
}
