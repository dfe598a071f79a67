// A separate process for test/saveConcurrency.test.ts: saves to, or loads from, one folder in a
// loop and prints one JSON line: how many calls succeeded and the distinct failures.
import { collabData, dotBiasModel, loadRecommender, saveRecommender, selectBackend } from "../../src";
import { lowRankRatings } from "../synthetic";

async function main(): Promise<void> {
  const [mode, dir, countText, seedText] = process.argv.slice(2);
  await selectBackend({ quiet: true });
  const data = collabData({ name: "synthetic", ratings: lowRankRatings({ count: 800, seed: 5 }) }, { split: "none" });
  const model = dotBiasModel(data, { factors: 4, seed: Number(seedText ?? 1) });
  let ok = 0;
  const failures: string[] = [];
  const deadline = Date.now() + 20_000;
  for (let i = 0; i < Number(countText) && Date.now() < deadline; i++) {
    try {
      if (mode === "save") await saveRecommender(model, dir);
      else {
        const loaded = await loadRecommender(dir);
        if (loaded.encoders.users.size !== data.nUsers) throw new Error("loaded a save with other ids");
      }
      ok++;
    } catch (error) {
      const message = (error as Error).message;
      if (!failures.includes(message)) failures.push(message);
    }
  }
  console.log(JSON.stringify({ ok, failures }));
}

void main();
