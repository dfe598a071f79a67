/** [start, end) ranges of consecutive batches over `length` rows; the last one may be short. */
export function* batchRanges(length: number, batchSize: number): Generator<[number, number]> {
  for (let start = 0; start < length; start += batchSize) yield [start, Math.min(length, start + batchSize)];
}
