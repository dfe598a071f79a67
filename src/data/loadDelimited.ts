// Ratings files with one rating a line and a fixed separator: ml-100k's tab-separated
// u.data (and its u1.base... splits) and ml-1m's '::'-separated ratings.dat.
import { Ratings } from "./ratings";
import { parseRatingsFile, ParseOptions, RatingsScale } from "./ratingsParser";

export function loadDelimitedRatings(file: string, separator: string, scale: RatingsScale, options?: ParseOptions): Ratings {
  return parseRatingsFile(file, { kind: "delimited", separator }, scale, options);
}
