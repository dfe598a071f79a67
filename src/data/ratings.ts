// Ratings held column-wise in typed arrays: compact (13 bytes a rating) and ready for tensors.

export interface Ratings {
  readonly userIds: Int32Array;
  readonly movieIds: Int32Array;
  readonly ratings: Float32Array;
  /** Seconds since 1970, as MovieLens stores them. */
  readonly timestamps: Uint32Array;
  readonly length: number;
}

export function createRatings(columns: Omit<Ratings, "length">): Ratings {
  const length = columns.userIds.length;
  for (const [name, column] of Object.entries(columns)) {
    if (column.length !== length) throw new Error(`ratings column ${name} has ${column.length} rows, expected ${length}`);
  }
  return { ...columns, length };
}

/** The rows at `indices`, in that order. */
export function selectRatings(ratings: Ratings, indices: ArrayLike<number>): Ratings {
  const n = indices.length;
  const out = {
    userIds: new Int32Array(n),
    movieIds: new Int32Array(n),
    ratings: new Float32Array(n),
    timestamps: new Uint32Array(n),
  };
  for (let i = 0; i < n; i++) {
    const j = indices[i];
    out.userIds[i] = ratings.userIds[j];
    out.movieIds[i] = ratings.movieIds[j];
    out.ratings[i] = ratings.ratings[j];
    out.timestamps[i] = ratings.timestamps[j];
  }
  return createRatings(out);
}

/** The rows for which `keep` is true. */
export function filterRatings(ratings: Ratings, keep: (row: number) => boolean): Ratings {
  const indices: number[] = [];
  for (let i = 0; i < ratings.length; i++) if (keep(i)) indices.push(i);
  return selectRatings(ratings, indices);
}
