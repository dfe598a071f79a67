/** What one epoch of training measured. */
export interface EpochRecord {
  epoch: number;
  learningRate: number;
  /** Training loss as minimised: weighted MSE in model units, with dropout and regularisation. */
  loss: number;
  /** Validation loss in the same units, without dropout or regularisation. */
  valLoss: number;
  /** RMSE and MAE in stars of the rating output, on the training set (after the epoch) and on validation. */
  trainRmse: number;
  trainMae: number;
  valRmse: number;
  valMae: number;
  seconds: number;
}

const FIELDS = ["epoch", "learningRate", "loss", "valLoss", "trainRmse", "trainMae", "valRmse", "valMae", "seconds"] as const;

/** Per-epoch figures of a training run, as index-aligned arrays, with its final and best epochs. */
export class History {
  epoch: number[] = [];
  learningRate: number[] = [];
  loss: number[] = [];
  valLoss: number[] = [];
  trainRmse: number[] = [];
  trainMae: number[] = [];
  valRmse: number[] = [];
  valMae: number[] = [];
  seconds: number[] = [];
  /** Each output's own MSE per epoch for multi-output models (the hybrid's heads), training and validation. */
  headLoss: Record<string, number[]> = {};
  valHeadLoss: Record<string, number[]> = {};
  /** Set when early stopping went back to the weights of this (1-based) epoch at the end. */
  restoredEpoch: number | undefined;

  get length(): number {
    return this.epoch.length;
  }

  push(record: EpochRecord, heads: { train: Record<string, number>; valid: Record<string, number> } = { train: {}, valid: {} }): void {
    for (const field of FIELDS) this[field].push(record[field]);
    for (const [name, value] of Object.entries(heads.train)) (this.headLoss[name] ??= []).push(value);
    for (const [name, value] of Object.entries(heads.valid)) (this.valHeadLoss[name] ??= []).push(value);
  }

  at(index: number): EpochRecord {
    const i = index < 0 ? this.length + index : index;
    if (!(i >= 0 && i < this.length)) throw new Error(`history has ${this.length} epochs; no epoch at index ${index}`);
    return Object.fromEntries(FIELDS.map((field) => [field, this[field][i]])) as unknown as EpochRecord;
  }

  /** The last epoch. */
  get final(): EpochRecord {
    return this.at(-1);
  }

  /** The epoch whose weights the model ended with: the restored one after early stopping, else the last. */
  get result(): EpochRecord {
    return this.restoredEpoch === undefined ? this.final : this.at(this.epoch.indexOf(this.restoredEpoch));
  }

  /** The epoch with the lowest validation RMSE (lowest training loss when there was no validation). */
  get best(): EpochRecord {
    const scores = this.valRmse.every((v) => Number.isNaN(v)) ? this.loss : this.valRmse;
    let best = 0;
    scores.forEach((score, i) => {
      if (score < scores[best]) best = i;
    });
    return this.at(best);
  }
}

export function emptyHistory(): History {
  return new History();
}

/** One history after another, e.g. the stages of a training sequence run in separate calls. */
export function concatHistories(...histories: History[]): History {
  const out = new History();
  for (const h of histories) {
    for (let i = 0; i < h.length; i++) {
      const pick = (heads: Record<string, number[]>) => Object.fromEntries(Object.entries(heads).map(([name, values]) => [name, values[i]]));
      out.push({ ...h.at(i), epoch: out.length + 1 }, { train: pick(h.headLoss), valid: pick(h.valHeadLoss) });
    }
  }
  return out;
}

export function formatEpoch(h: History, i: number, total: number): string {
  const r = h.at(i);
  const parts = [`epoch ${r.epoch}/${total}`, `lr ${r.learningRate}`, `loss ${r.loss.toFixed(4)}`];
  if (!Number.isNaN(r.trainRmse)) parts.push(`train_rmse ${r.trainRmse.toFixed(4)}`);
  if (!Number.isNaN(r.valLoss)) parts.push(`val_loss ${r.valLoss.toFixed(4)}`, `val_rmse ${r.valRmse.toFixed(4)}`, `val_mae ${r.valMae.toFixed(4)}`);
  for (const [name, values] of Object.entries(h.valHeadLoss)) parts.push(`val_${name.replace(/\W+/g, "_")} ${values[i].toFixed(4)}`);
  parts.push(`${r.seconds.toFixed(1)}s`);
  return parts.join("  ");
}
