// Maps MovieLens ids (sparse, arbitrary) to contiguous indices 0..n-1 for embedding tables, and back.

export class IdEncoder {
  private readonly indexById: Map<number, number>;

  /**
   * `what` names the ids in errors ("user", "movie") and `source` the data set they come from,
   * so an unknown id says which table and data set it was looked up in.
   */
  constructor(
    readonly ids: readonly number[],
    readonly what = "id",
    readonly source?: string,
  ) {
    this.indexById = new Map(ids.map((id, index) => [id, index]));
    if (this.indexById.size !== ids.length) throw new Error("IdEncoder: ids must be distinct");
  }

  /** Encoder over the distinct ids in `values`, in ascending order so it is reproducible. */
  static fit(values: ArrayLike<number>, what = "id", source?: string): IdEncoder {
    const distinct = Array.from(new Set(Array.from(values))).sort((a, b) => a - b);
    return new IdEncoder(distinct, what, source);
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: number): boolean {
    return this.indexById.has(id);
  }

  /** Index of one id; an id never seen in fitting is an error, not a silent 0. */
  index(id: number): number {
    const index = this.indexById.get(id);
    if (index === undefined) {
      const where = this.source ? ` in ${this.source}` : "";
      throw new Error(`unknown ${this.what === "id" ? "id" : `${this.what} id`} ${id}: not among the ${this.ids.length} ${this.what === "id" ? "ids" : `${this.what}s`}${where}`);
    }
    return index;
  }

  encode(values: ArrayLike<number>): Int32Array {
    const out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = this.index(values[i]);
    return out;
  }

  id(index: number): number {
    if (!(index >= 0 && index < this.ids.length)) throw new Error(`IdEncoder: index ${index} out of range 0..${this.ids.length - 1}`);
    return this.ids[index];
  }

  decode(indices: ArrayLike<number>): number[] {
    return Array.from(indices, (index) => this.id(index));
  }

  toJSON(): number[] {
    return [...this.ids];
  }
}
