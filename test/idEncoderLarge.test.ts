import { test } from "node:test";
import * as assert from "node:assert/strict";
import { IdEncoder } from "../src/prep";
import { seededRandom } from "../src/prep/random";

test("large id arrays (the lookup-table path) encode as the Map does and still name an unknown id", () => {
  const random = seededRandom(3);
  const ids = Int32Array.from({ length: 50_000 }, () => 1 + Math.floor(random() * 200_000));
  const encoder = IdEncoder.fit(ids, "movie", "ml-test");
  assert.deepEqual(encoder.ids, [...new Set(ids)].sort((a, b) => a - b));
  const encoded = encoder.encode(ids);
  for (let i = 0; i < ids.length; i += 997) assert.equal(encoded[i], encoder.index(ids[i]));
  assert.deepEqual(encoder.decode(encoded), [...ids]);
  const withUnknown = Int32Array.from(ids);
  withUnknown[40_000] = 999_999;
  assert.throws(() => encoder.encode(withUnknown), /unknown movie id 999999: not among the \d+ movies in ml-test/);
  // Ids no lookup table can hold take the Map path.
  const huge = IdEncoder.fit([5, 3_000_000_000, 5, 7]);
  assert.deepEqual(huge.ids, [5, 7, 3_000_000_000]);
  assert.deepEqual([...huge.encode(Array.from({ length: 20_000 }, (_, i) => [5, 7, 3_000_000_000][i % 3]))].slice(0, 3), [0, 1, 2]);
});
