/** Set CF_LESSON_EPOCHS to shorten every training run of the lessons (CI uses 1). */
export const LESSON_EPOCHS_ENV = "CF_LESSON_EPOCHS";

/** The number of epochs a lesson asks for, unless CF_LESSON_EPOCHS caps it. */
export function lessonEpochs(wanted: number): number {
  const cap = Number(process.env[LESSON_EPOCHS_ENV]);
  return Number.isInteger(cap) && cap > 0 ? Math.min(cap, wanted) : wanted;
}
