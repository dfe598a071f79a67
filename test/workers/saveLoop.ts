// A separate process for test/saveConcurrency.test.ts: saves to, or loads from, one folder in a
// loop and prints one JSON line: how many calls succeeded and the distinct failures.
// Both workers start on the wall clock at `startAt`, so their calls overlap however long each took to start.
import { collabData, dotBiasModel, loadRecommender, saveRecommender, selectBackend } from "../../src";
import { lowRankRatings } from "../synthetic";

const sleepUntil = (time: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, time - Date.now())));

async function main(): Promise<void> {
  const [mode, dir, seedText, startText, secondsText] = process.argv.slice(2);
  await selectBackend({ quiet: true });
  const data = collabData({ name: "synthetic", ratings: lowRankRatings({ count: 800, seed: 5 }) }, { split: "none" });
  const model = dotBiasModel(data, { factors: 4, seed: Number(seedText) });
  const startAt = Number(startText);
  const endAt = startAt + 1000 * Number(secondsText);
  let ok = 0;
  const failures: string[] = [];
  const attempt = async (call: () => Promise<unknown>) => {
    try {
      await call();
      ok++;
    } catch (error) {
      const message = (error as Error).message;
      if (!failures.includes(message)) failures.push(message);
    }
  };
  await sleepUntil(startAt);
  if (mode === "saveNew") {
    // Round i starts at the same moment in both workers: both save to the new folder model-i.
    for (let i = 0; i < 5 * Number(secondsText); i++) {
      await sleepUntil(startAt + i * 200);
      await attempt(() => saveRecommender(model, `${dir}/model-${i}`));
    }
  } else {
    // At least 20 calls, however late this worker started on a loaded machine.
    for (let calls = 0; Date.now() < endAt || calls < 20; calls++) {
      await attempt(async () => {
        if (mode === "save") return saveRecommender(model, dir);
        const loaded = await loadRecommender(dir);
        if (loaded.encoders.users.size !== data.nUsers) throw new Error("loaded a save with other ids");
      });
    }
  }
  console.log(JSON.stringify({ ok, failures }));
}

void main();
