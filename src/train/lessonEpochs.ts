/** Set CF_LESSON_EPOCHS to shorten every training run of the lessons (CI uses 1). */
export const LESSON_EPOCHS_ENV = "CF_LESSON_EPOCHS";

/**
 * The cap CF_LESSON_EPOCHS sets, or undefined when it is unset. Anything but a positive whole
 * number is an error: a typo ("abc", "2.5", "0") would otherwise run the full lessons unnoticed.
 */
export function lessonEpochsCap(): number | undefined {
  const text = process.env[LESSON_EPOCHS_ENV];
  if (text === undefined) return undefined;
  const cap = Number(text);
  if (text.trim() === "" || !Number.isInteger(cap) || cap <= 0) {
    throw new Error(`${LESSON_EPOCHS_ENV} must be a positive whole number of epochs, got ${JSON.stringify(text)}; unset it to train the epochs each lesson asks for`);
  }
  return cap;
}

/** The number of epochs a lesson asks for, unless CF_LESSON_EPOCHS caps it. */
export function lessonEpochs(wanted: number): number {
  const cap = lessonEpochsCap();
  return cap === undefined ? wanted : Math.min(cap, wanted);
}
