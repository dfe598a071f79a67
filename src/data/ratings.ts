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

/** Grows typed-array columns while a file is parsed. */
export class RatingsBuilder {
  private userIds = new Int32Array(1024);
  private movieIds = new Int32Array(1024);
  private ratings = new Float32Array(1024);
  private timestamps = new Uint32Array(1024);
  private size = 0;

  push(userId: number, movieId: number, rating: number, timestamp: number): void {
    if (this.size === this.userIds.length) this.grow();
    const i = this.size++;
    this.userIds[i] = userId;
    this.movieIds[i] = movieId;
    this.ratings[i] = rating;
    this.timestamps[i] = timestamp;
  }

  private grow(): void {
    const capacity = this.userIds.length * 2;
    const grow = <T extends Int32Array | Float32Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.userIds = grow(this.userIds, (n) => new Int32Array(n));
    this.movieIds = grow(this.movieIds, (n) => new Int32Array(n));
    this.ratings = grow(this.ratings, (n) => new Float32Array(n));
    this.timestamps = grow(this.timestamps, (n) => new Uint32Array(n));
  }

  build(): Ratings {
    const n = this.size;
    return createRatings({
      userIds: this.userIds.slice(0, n),
      movieIds: this.movieIds.slice(0, n),
      ratings: this.ratings.slice(0, n),
      timestamps: this.timestamps.slice(0, n),
    });
  }
}
