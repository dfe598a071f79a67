import * as cf from "../src";
import * as rk from "../src/ranking";
(async () => {
  await cf.selectBackend();
  const ml = await cf.loadMovieLens("ml-100k");
  const r80 = cf.collabData(ml, { split: "random", validFraction: 0.2, seed: 42 });
  const fmt = (m: rk.RankingMetrics) => `${m.name.padEnd(22)} users ${m.users} P@10 ${m.precision.toFixed(3)} R@10 ${m.recall.toFixed(3)} nDCG ${m.ndcg.toFixed(3)} MAP ${m.map.toFixed(3)} MAP@k ${m.mapAtK.toFixed(3)} HR ${m.hitRate.toFixed(3)} MRR ${m.mrr.toFixed(3)} cov ${m.coverage.toFixed(3)} pop ${m.meanPopularity.toFixed(0)}`;
  let t = performance.now();
  console.log("80/20 random:", fmt(rk.evaluateTopN(rk.mostPopular(r80), r80)), ((performance.now() - t) / 1000).toFixed(3), "s");
  const data = cf.collabData(ml, { split: "per-user", validFraction: 0.25, seed: 42 });
  console.log("per-user train", data.train.length, "valid", data.valid!.length);
  for (const s of [rk.mostPopular(data), rk.randomScorer(data)]) {
    t = performance.now();
    console.log(fmt(rk.evaluateTopN(s, data)), ((performance.now() - t) / 1000).toFixed(3), "s");
  }
  for (const lambda of [100, 200, 300, 500, 1000]) {
    t = performance.now();
    const e = rk.fitEase(data, { lambda });
    const fit = (performance.now() - t) / 1000;
    t = performance.now();
    console.log(fmt(rk.evaluateTopN(e, data)), "fit", fit.toFixed(2), "s, lists+metrics", ((performance.now() - t) / 1000).toFixed(3), "s");
  }
})();
