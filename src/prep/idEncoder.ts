// Maps MovieLens ids (sparse, arbitrary) to contiguous indices 0..n-1 for embedding tables, and back.

/** Ids below this (all MovieLens ids) get an array lookup instead of a Map: ml-25m encodes 25M ids. */
const DIRECT_LIMIT = 1 << 25;

function isSmallId(id: number): boolean {
  return Number.isInteger(id) && id >= 0 && id < DIRECT_LIMIT;
}

export class IdEncoder {
  private readonly indexById: Map<number, number>;
  /** index + 1 by id, when every id is small; 0 for an id not in the encoder. */
  private direct: Int32Array | undefined;

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
    let max = 0;
    let small = true;
    for (let i = 0; i < values.length && small; i++) {
      small = isSmallId(values[i]);
      if (values[i] > max) max = values[i];
    }
    if (!small) return new IdEncoder(Array.from(new Set(Array.from(values))).sort((a, b) => a - b), what, source);
    // One pass marking the ids present, one over the marks: no per-rating JavaScript values.
    const present = new Uint8Array(max + 1);
    for (let i = 0; i < values.length; i++) present[values[i]] = 1;
    const distinct: number[] = [];
    for (let id = 0; id <= max; id++) if (present[id]) distinct.push(id);
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
      const name = this.what === "id" ? "id" : `${this.what} id`;
      // "1" from a text box or a CSV column looks like user 1 in a message, but isn't the number 1.
      const raw = id as unknown;
      if (typeof raw !== "number") {
        const asNumber = Number(raw);
        const hint = typeof raw === "string" && raw.trim() !== "" && Number.isInteger(asNumber) && this.indexById.has(asNumber) ? `; pass the number ${asNumber}` : "";
        throw new Error(`${name} ${JSON.stringify(raw)} is a ${typeof raw}, not a number: ids are numbers${hint}`);
      }
      throw new Error(`unknown ${name} ${id}: not among the ${this.ids.length} ${this.what === "id" ? "ids" : `${this.what}s`}${where}`);
    }
    return index;
  }

  encode(values: ArrayLike<number>): Int32Array {
    const out = new Int32Array(values.length);
    if (values.length > 10_000 && this.ids.every(isSmallId)) {
      this.direct ??= this.directTable();
      const direct = this.direct;
      if (values instanceof Int32Array) {
        // Loaded ratings' ids: whole numbers already, so one bounds check is the whole test.
        for (let i = 0; i < values.length; i++) {
          const id = values[i];
          const slot = id >= 0 && id < direct.length ? direct[id] : 0;
          out[i] = slot > 0 ? slot - 1 : this.index(id); // index() names the unknown id
        }
        return out;
      }
      for (let i = 0; i < values.length; i++) {
        const slot = isSmallId(values[i]) && values[i] < direct.length ? direct[values[i]] : 0;
        out[i] = slot > 0 ? slot - 1 : this.index(values[i]); // index() names the unknown id
      }
      return out;
    }
    for (let i = 0; i < values.length; i++) out[i] = this.index(values[i]);
    return out;
  }

  private directTable(): Int32Array {
    const table = new Int32Array(this.ids.reduce((max, id) => Math.max(max, id), 0) + 1);
    this.ids.forEach((id, index) => (table[id] = index + 1));
    return table;
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
