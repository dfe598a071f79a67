/** Throws unless `value` is a positive integer, naming the option. */
export function checkCount(value: number, what: string): void {
  if (!(Number.isInteger(value) && value > 0)) throw new Error(`${what} must be a positive integer, got ${value}`);
}
