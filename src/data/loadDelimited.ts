// Ratings files with one rating a line and a fixed separator: ml-100k's tab-separated
// u.data (and its u1.base... splits) and ml-1m's '::'-separated ratings.dat.
import { expectFields, parseId, parseRating, parseTimestamp } from "./fields";
import { forEachLine } from "./lines";
import { Ratings, RatingsBuilder } from "./ratings";

export function loadDelimitedRatings(file: string, separator: string, scale: { min: number; max: number }): Ratings {
  const builder = new RatingsBuilder();
  forEachLine(file, "latin1", (text, line) => {
    const at = { file, line };
    const fields = text.split(separator);
    expectFields(fields, 4, separator === "\t" ? "\\t" : separator, at);
    builder.push(
      parseId(fields[0], "user id", at),
      parseId(fields[1], "movie id", at),
      parseRating(fields[2], scale, at),
      parseTimestamp(fields[3], at),
    );
  });
  return builder.build();
}
