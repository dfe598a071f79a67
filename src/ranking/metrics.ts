// Ranking metrics of top-N lists against the held-out ratings, as Microsoft Recommenders defines
// them (recommenders/evaluation/python_evaluation.py), per user and averaged.
//
// For a user u with a list L_u (best first, cut at k) and relevant held-out films R_u (every
// held-out film, or those rated >= threshold), with hits at ranks r_1 < r_2 < ... (1-based):
//   precision@k   = |L_u ∩ R_u| / k                 (k even when the list is shorter, as Spark)
//   recall@k      = |L_u ∩ R_u| / |R_u|
//   nDCG@k        = DCG / IDCG, DCG = Σ_hits 1 / log(1 + r_i), IDCG = Σ_{i=1..min(|R_u|, k)} 1 / log(1 + i)
//                   (binary relevance; the log's base cancels)
//   AP (MAP)      = Σ_i (i / r_i) / |R_u|           (the published tables' "MAP"; recommenders' map)
//   AP@k (MAP@k)  = Σ_i (i / r_i) / min(|R_u|, k)   (recommenders' map_at_k, Spark's meanAveragePrecisionAt)
//   hit rate@k    = 1 if any hit, else 0
//   reciprocal rank = 1 / r_1, 0 without a hit      (averaged: MRR@k)
// Averages are over the users that have a list and at least one relevant held-out film (the
// "common users" of recommenders). Users without a relevant film have no recall and are left out.
// Two metrics describe the lists themselves, over every list given:
//   catalogue coverage = distinct films recommended / films in the data set
//   mean popularity    = mean number of training ratings of the recommended films
import { CollabData } from "../prep/collabData";
import { EncodedRatings } from "../prep/encodedRatings";
import { Recommender } from "../models/recommender";
import { Scorer } from "./scorer";
import { topN, TopN, TopNOptions } from "./topN";
import { movieCounts, userItems } from "./userItems";

export interface RankingOptions {
  /** Cut each list at k (default: the lists' length); k may not exceed it. */
  k?: number;
  /** Only held-out ratings of at least this many stars count as relevant (default: every one). */
  threshold?: number;
  /** The held-out ratings to judge against (default: the data object's validation set). */
  heldOut?: EncodedRatings;
}

/** Each judged user's figures, in the same order: for charts of their spread. */
export interface PerUserRanking {
  userIds: Int32Array;
  /** Relevant held-out films of the user, and how many of them the list holds. */
  relevant: Int32Array;
  hits: Int32Array;
  precision: Float64Array;
  recall: Float64Array;
  ndcg: Float64Array;
  averagePrecision: Float64Array;
  averagePrecisionAtK: Float64Array;
  hit: Float64Array;
  reciprocalRank: Float64Array;
}

export interface RankingMetrics {
  name: string;
  k: number;
  threshold: number | undefined;
  /** Users judged: with a list and at least one relevant held-out film. */
  users: number;
  precision: number;
  recall: number;
  ndcg: number;
  map: number;
  mapAtK: number;
  hitRate: number;
  mrr: number;
  coverage: number;
  meanPopularity: number;
  perUser: PerUserRanking;
}

const mean = (values: Float64Array) => (values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length);

/** The metrics of top-N lists (see the definitions at the top of this file). */
export function rankingMetrics(top: TopN, data: CollabData, options: RankingOptions = {}): RankingMetrics {
  const { k = top.k, threshold } = options;
  if (!(Number.isInteger(k) && k > 0 && k <= top.k)) throw new Error(`rankingMetrics: k must be an integer from 1 to the lists' length ${top.k}, got ${k}`);
  if (threshold !== undefined && !Number.isFinite(threshold)) throw new Error(`rankingMetrics: threshold must be a number of stars, got ${threshold}`);
  const heldOut = options.heldOut ?? data.valid;
  if (!heldOut) throw new Error(`rankingMetrics: '${data.name}' has no validation set to judge the lists against; build it with a split (e.g. split: "per-user") or pass heldOut`);
  if (top.nMovies !== data.nMovies) throw new Error(`rankingMetrics: the lists rank ${top.nMovies} films but '${data.name}' has ${data.nMovies}`);
  const relevant = userItems(heldOut, data.nUsers, threshold === undefined ? undefined : (r) => r >= threshold);

  const judged: number[] = [];
  for (let i = 0; i < top.users.length; i++) {
    const u = top.users[i];
    if (relevant.starts[u + 1] > relevant.starts[u]) judged.push(i);
  }
  const n = judged.length;
  const per: PerUserRanking = {
    userIds: new Int32Array(n),
    relevant: new Int32Array(n),
    hits: new Int32Array(n),
    precision: new Float64Array(n),
    recall: new Float64Array(n),
    ndcg: new Float64Array(n),
    averagePrecision: new Float64Array(n),
    averagePrecisionAtK: new Float64Array(n),
    hit: new Float64Array(n),
    reciprocalRank: new Float64Array(n),
  };
  const discount = Float64Array.from({ length: k }, (_, r) => 1 / Math.log2(r + 2));
  const isRelevant = new Uint8Array(data.nMovies);
  judged.forEach((i, j) => {
    const u = top.users[i];
    const from = relevant.starts[u];
    const to = relevant.starts[u + 1];
    for (let p = from; p < to; p++) isRelevant[relevant.movies[p]] = 1;
    const count = to - from;
    let hits = 0, dcg = 0, precisionSum = 0, firstHit = 0;
    for (let r = 0; r < k; r++) {
      const m = top.movies[i * top.k + r];
      if (m < 0 || !isRelevant[m]) continue;
      hits++;
      dcg += discount[r];
      precisionSum += hits / (r + 1);
      if (firstHit === 0) firstHit = r + 1;
    }
    for (let p = from; p < to; p++) isRelevant[relevant.movies[p]] = 0;
    let idcg = 0;
    for (let r = 0; r < Math.min(count, k); r++) idcg += discount[r];
    per.userIds[j] = data.encoders.users.id(u);
    per.relevant[j] = count;
    per.hits[j] = hits;
    per.precision[j] = hits / k;
    per.recall[j] = hits / count;
    per.ndcg[j] = dcg / idcg;
    per.averagePrecision[j] = precisionSum / count;
    per.averagePrecisionAtK[j] = precisionSum / Math.min(count, k);
    per.hit[j] = hits > 0 ? 1 : 0;
    per.reciprocalRank[j] = firstHit > 0 ? 1 / firstHit : 0;
  });
  const { coverage, meanPopularity } = listProfile(top, data, k);
  return {
    name: top.name,
    k,
    threshold,
    users: n,
    precision: mean(per.precision),
    recall: mean(per.recall),
    ndcg: mean(per.ndcg),
    map: mean(per.averagePrecision),
    mapAtK: mean(per.averagePrecisionAtK),
    hitRate: mean(per.hit),
    mrr: mean(per.reciprocalRank),
    coverage,
    meanPopularity,
    perUser: per,
  };
}

/** Share of the catalogue the lists cover, and the mean training count of the films they show. */
function listProfile(top: TopN, data: CollabData, k: number): { coverage: number; meanPopularity: number } {
  const popularity = movieCounts(data.train, data.nMovies);
  const shown = new Uint8Array(data.nMovies);
  let sum = 0, count = 0;
  for (let i = 0; i < top.users.length; i++) {
    for (let r = 0; r < k; r++) {
      const m = top.movies[i * top.k + r];
      if (m < 0) break;
      shown[m] = 1;
      sum += popularity[m];
      count++;
    }
  }
  return { coverage: shown.reduce((a, b) => a + b, 0) / data.nMovies, meanPopularity: count ? sum / count : NaN };
}

/** Top-N lists and their metrics in one call: `evaluateTopN(model, data, { k: 10 })`. */
export function evaluateTopN(model: Scorer | Recommender, data: CollabData, options: TopNOptions & RankingOptions = {}): RankingMetrics & { lists: TopN } {
  const lists = topN(model, data, options);
  return { ...rankingMetrics(lists, data, options), lists };
}
