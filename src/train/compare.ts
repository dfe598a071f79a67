// Several training runs side by side: the comparison table the lessons end with.
import { History } from "./history";

export interface RunComparison {
  name: string;
  /** Epochs trained, and the epoch whose weights the model kept (the last, or the restored best). */
  epochs: number;
  keptEpoch: number;
  trainLoss: number;
  trainRmse: number;
  valRmse: number;
  valMae: number;
  bestValRmse: number;
  bestEpoch: number;
  /** valRmse minus the baseline's RMSE: negative means the model beats it. */
  vsBaseline: number;
}

/**
 * One row per run, in the order given, with the figures of the weights each model kept (after
 * early stopping with restoreBest, those of the restored epoch); `baseline` is usually globalMeanRmse(data).
 */
export function compareRuns(runs: Record<string, History>, options: { baseline?: number } = {}): RunComparison[] {
  return Object.entries(runs).map(([name, history]) => {
    if (history.length === 0) throw new Error(`compareRuns: run '${name}' has no epochs`);
    const final = history.result;
    const best = history.best;
    return {
      name,
      epochs: history.length,
      keptEpoch: final.epoch,
      trainLoss: final.loss,
      trainRmse: final.trainRmse,
      valRmse: final.valRmse,
      valMae: final.valMae,
      bestValRmse: best.valRmse,
      bestEpoch: best.epoch,
      vsBaseline: options.baseline === undefined ? NaN : final.valRmse - options.baseline,
    };
  });
}
