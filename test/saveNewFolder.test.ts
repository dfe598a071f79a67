import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { selectBackend, dotBiasModel, saveRecommender, loadRecommender } from "../src";
import { fitEncoders } from "../src/prep";
import { lowRankRatings } from "./synthetic";
import { tempDir } from "./helpers";

test("saving into folders that don't exist yet creates them (a notebook's first save to models/<name>)", async () => {
  await selectBackend({ quiet: true });
  const data = lowRankRatings({ count: 300, seed: 3 });
  const model = dotBiasModel({ encoders: fitEncoders(data) }, { factors: 4, seed: 1 });
  const parent = path.join(tempDir(), "models", "lesson");
  const dir = path.join(parent, "bias");
  await saveRecommender(model, dir);
  assert.deepEqual(fs.readdirSync(parent), ["bias"]);
  const loaded = await loadRecommender(dir);
  const [u, m] = [[data.userIds[0]], [data.movieIds[0]]];
  assert.deepEqual(loaded.predict(u, m), model.predict(u, m));
});
