/** What each epoch of training measured; arrays are index-aligned by epoch. */
export interface History {
  epoch: number[];
  learningRate: number[];
  /** Training loss (weighted MSE in model units plus regularisation). */
  loss: number[];
  /** Validation loss in the same units, without regularisation. */
  valLoss: number[];
  /** Validation RMSE and MAE in stars, from the rating output. */
  valRmse: number[];
  valMae: number[];
  seconds: number[];
}

export function emptyHistory(): History {
  return { epoch: [], learningRate: [], loss: [], valLoss: [], valRmse: [], valMae: [], seconds: [] };
}

/** One history after another, e.g. the stages of a training sequence run in separate calls. */
export function concatHistories(...histories: History[]): History {
  const out = emptyHistory();
  for (const h of histories) {
    const offset = out.epoch.length;
    out.epoch.push(...h.epoch.map((_, i) => offset + i + 1));
    out.learningRate.push(...h.learningRate);
    out.loss.push(...h.loss);
    out.valLoss.push(...h.valLoss);
    out.valRmse.push(...h.valRmse);
    out.valMae.push(...h.valMae);
    out.seconds.push(...h.seconds);
  }
  return out;
}

export function formatEpoch(h: History, i: number, total: number): string {
  const parts = [`epoch ${h.epoch[i]}/${total}`, `lr ${h.learningRate[i]}`, `loss ${h.loss[i].toFixed(4)}`];
  if (!Number.isNaN(h.valLoss[i])) parts.push(`val_loss ${h.valLoss[i].toFixed(4)}`, `val_rmse ${h.valRmse[i].toFixed(4)}`, `val_mae ${h.valMae[i].toFixed(4)}`);
  parts.push(`${h.seconds[i].toFixed(1)}s`);
  return parts.join("  ");
}
