import { test } from "node:test";
import * as assert from "node:assert/strict";
import { keyFigures, progressDefault } from "../src/ui";

function captured(run: () => void): string {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    run();
  } finally {
    console.log = log;
  }
  return lines.join("\n");
}

test("key figures print one greppable line each, numbers rounded to 4 decimals", () => {
  const out = captured(() => keyFigures({ "val RMSE (dot+bias)": 0.912345678, epochs: 5, dataset: "ml-100k" }));
  assert.equal(out, "key figure: val RMSE (dot+bias) = 0.9123\nkey figure: epochs = 5\nkey figure: dataset = ml-100k");
});

test("key figures refuse what would break the line format, naming the figure", () => {
  assert.throws(() => keyFigures({ rmse: NaN }), /rmse is NaN/);
  assert.throws(() => keyFigures({ "a = b": 1 }), /"a = b" must be/);
  assert.throws(() => keyFigures({ note: "two\nlines" }), /note must be on one line/);
  assert.throws(() => keyFigures({}), /no figures/);
});

test("no progress bar by default inside a notebook", () => {
  const global = globalThis as { __tslab__?: unknown };
  global.__tslab__ = {};
  try {
    assert.equal(progressDefault(), false);
  } finally {
    delete global.__tslab__;
  }
  assert.equal(progressDefault(), Boolean(process.stderr.isTTY));
});
