// Error metrics in rating units (stars).

function checkLengths(predicted: ArrayLike<number>, actual: ArrayLike<number>): void {
  if (predicted.length !== actual.length) throw new Error(`metrics: ${predicted.length} predictions for ${actual.length} ratings`);
  if (actual.length === 0) throw new Error("metrics: no ratings to compare");
}

export function rmse(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  checkLengths(predicted, actual);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += (predicted[i] - actual[i]) ** 2;
  return Math.sqrt(sum / actual.length);
}

export function mae(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  checkLengths(predicted, actual);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(predicted[i] - actual[i]);
  return sum / actual.length;
}

/** RMSE of each user's ratings: who the model serves well and who it doesn't. */
export function perUserRmse(userIds: ArrayLike<number>, predicted: ArrayLike<number>, actual: ArrayLike<number>): Map<number, { rmse: number; count: number }> {
  checkLengths(predicted, actual);
  const sums = new Map<number, { squared: number; count: number }>();
  for (let i = 0; i < actual.length; i++) {
    const entry = sums.get(userIds[i]) ?? { squared: 0, count: 0 };
    entry.squared += (predicted[i] - actual[i]) ** 2;
    entry.count++;
    sums.set(userIds[i], entry);
  }
  return new Map([...sums].map(([user, { squared, count }]) => [user, { rmse: Math.sqrt(squared / count), count }]));
}

/** RMSE of always predicting the training mean: the floor every model must beat. */
export function globalMeanRmse(trainRatings: ArrayLike<number>, testRatings: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < trainRatings.length; i++) mean += trainRatings[i];
  mean /= trainRatings.length;
  return rmse(Array.from(testRatings, () => mean), testRatings);
}
