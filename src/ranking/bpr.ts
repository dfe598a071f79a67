// BPR (Rendle et al. 2009, "Bayesian Personalized Ranking from Implicit Feedback"): train a
// dot / dot+bias model to rank instead of to predict stars. Each training rating (u, i) is a
// positive; a film j the user has not rated in training is sampled as its negative; the model's
// score s(u, f) = user_u . movie_f + movieBias_f (the user's bias cancels) is pushed to put i above j:
//   loss = -log sigma(s(u, i) - s(u, j)),  averaged over the batch, plus l2 * sum(w^2) of the rows it touches.
// Each step works on the rows the batch touches only, with the row-wise optimizers of the sparse
// step (lazy Adam by default), so its cost follows the batch, not the tables.
import { CollabData } from "../prep/collabData";
import { seededRandom, shuffledIndices } from "../prep/random";
import { DotGraph, matchDotGraph } from "../models/dotGraph";
import { findEmbeddingTables, loadTables, storeTables } from "../models/embeddingTables";
import { Recommender } from "../models/recommender";
import { createRowState, OptimizerName, OPTIMIZER_NAMES, RowState, updateRows } from "../train/sparse/rowOptimizers";
import { lessonEpochs } from "../train/lessonEpochs";
import { checkSameRows } from "./fingerprint";
import { rankingMetrics } from "./metrics";
import { topN } from "./topN";
import { hasItem, UserItems, userItems } from "./userItems";

export interface BprOptions {
  epochs?: number;
  learningRate?: number;
  /** Positives per step (default 1024). */
  batchSize?: number;
  /** Negatives sampled per positive (default 4: on ml-100k, 4 reached nDCG@10 0.457 where 1 reached 0.434). */
  negatives?: number;
  /** L2 penalty l2 * sum(w^2) on the rows each step touches, each step (default 2e-5; 1e-4 underfits ml-100k). */
  l2?: number;
  optimizer?: OptimizerName;
  seed?: number;
  /** nDCG@k and precision@k on the validation set after each epoch (default 10; false for none). */
  validateAt?: number | false;
  /** One line per epoch (default true). */
  log?: boolean;
}

export interface BprEpoch {
  epoch: number;
  /** Mean of -log sigma(s_pos - s_neg) over the epoch's triples, without the L2 penalty. */
  loss: number;
  seconds: number;
  /** Validation nDCG@k and precision@k, when validateAt is set and the data has a validation set. */
  ndcg?: number;
  precision?: number;
}

/** The optimizer state of a model's BPR training, kept so a second trainBpr call continues it. */
interface BprState {
  optimizer: OptimizerName;
  states: RowState[];
  steps: number;
}
const bprStates = new WeakMap<object, BprState>();

const positiveInteger = (x: number) => Number.isInteger(x) && x > 0;

function checkOptions(o: Required<Omit<BprOptions, "validateAt" | "log">>): void {
  for (const name of ["epochs", "batchSize", "negatives"] as const) {
    if (!positiveInteger(o[name])) throw new Error(`trainBpr: ${name} must be a positive integer, got ${o[name]}`);
  }
  if (!(Number.isFinite(o.learningRate) && o.learningRate > 0)) throw new Error(`trainBpr: learningRate must be a positive number, got ${o.learningRate}`);
  if (!(Number.isFinite(o.l2) && o.l2 >= 0)) throw new Error(`trainBpr: l2 must be a number >= 0, got ${o.l2}`);
  if (!OPTIMIZER_NAMES.includes(o.optimizer)) throw new Error(`trainBpr: optimizer must be one of ${OPTIMIZER_NAMES.join(", ")}, got ${JSON.stringify(o.optimizer)}`);
}

/** The distinct rows of one table a batch touches, numbered 0..count-1 (as the sparse step does). */
class Rows {
  readonly slot: Int32Array;
  unique: Int32Array;
  count = 0;
  constructor(rows: number, capacity: number) {
    this.slot = new Int32Array(rows).fill(-1);
    this.unique = new Int32Array(capacity);
  }
  local(row: number): number {
    let s = this.slot[row];
    if (s < 0) {
      s = this.slot[row] = this.count++;
      this.unique[s] = row;
    }
    return s;
  }
  release(): void {
    for (let j = 0; j < this.count; j++) this.slot[this.unique[j]] = -1;
    this.count = 0;
  }
}

/** A film the user has not rated in training, uniformly at random. */
function sampleNegative(seen: UserItems, u: number, nMovies: number, random: () => number): number {
  if (seen.starts[u + 1] - seen.starts[u] >= nMovies) throw new Error(`trainBpr: user index ${u} rated every film in training; there is no negative to sample`);
  for (;;) {
    const j = Math.floor(random() * nMovies);
    if (!hasItem(seen, u, j)) return j;
  }
}

/**
 * Trains a dot or dot+bias model in place with the BPR loss, on the data object's training
 * ratings, and returns one entry per epoch: `await trainBpr(model, data, { epochs: 20 })`.
 * The model then ranks well but no longer predicts stars: use it for top-N lists, not RMSE.
 */
export async function trainBpr(recommender: Recommender, data: CollabData, options: BprOptions = {}): Promise<BprEpoch[]> {
  const o = { epochs: 20, learningRate: 5e-3, batchSize: 1024, negatives: 4, l2: 2e-5, optimizer: "adam" as OptimizerName, seed: 0, ...options };
  checkOptions(o);
  o.epochs = lessonEpochs(o.epochs); // CF_LESSON_EPOCHS caps BPR's epochs as it caps train's
  checkSameRows(recommender, data, "trainBpr");
  const { validateAt = 10, log = true } = options;
  const model = recommender.model;
  const tables = recommender.spec.input === "indices" ? findEmbeddingTables(model) : undefined;
  const graph: DotGraph | undefined = tables && matchDotGraph(model, tables);
  if (!tables || !graph) throw new Error(`trainBpr: needs a dot-product or dot+bias model (cf.dotProductModel, cf.dotBiasModel); '${recommender.kind}' is another shape`);
  if (graph.movie.rows !== data.nMovies || graph.user.rows !== data.nUsers) {
    throw new Error(`trainBpr: the model has ${graph.user.rows} users x ${graph.movie.rows} films but '${data.name}' has ${data.nUsers} x ${data.nMovies}; build it on this data object`);
  }
  if (data.train.length === 0) throw new Error(`trainBpr: '${data.name}' has no training ratings`);
  loadTables(tables);
  const trained = [graph.user, graph.movie, ...(graph.movieBias ? [graph.movieBias] : [])];
  let state = bprStates.get(model);
  if (state && state.optimizer !== o.optimizer) throw new Error(`trainBpr: this model was trained with ${state.optimizer}; a training sequence keeps its optimizer (got ${o.optimizer})`);
  if (!state) bprStates.set(model, (state = { optimizer: o.optimizer, states: trained.map((t) => createRowState(o.optimizer, t.values.length)), steps: 0 }));

  const k = graph.user.width;
  const U = graph.user.values;
  const M = graph.movie.values;
  const mb = graph.movieBias?.values;
  const seen = userItems(data.train, data.nUsers);
  const capacity = o.batchSize * (o.negatives + 1);
  const users = new Rows(data.nUsers, capacity);
  const movies = new Rows(data.nMovies, capacity);
  const gradU = new Float32Array(capacity * k);
  const gradM = new Float32Array(capacity * k);
  const gradB = new Float32Array(capacity);
  const diff = new Float32Array(k);
  const random = seededRandom(o.seed);
  const epsilon = 1e-7;
  const history: BprEpoch[] = [];
  const set = data.train;

  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const started = performance.now();
    const order = shuffledIndices(set.length, random);
    let lossSum = 0;
    for (let start = 0; start < set.length; start += o.batchSize) {
      const end = Math.min(set.length, start + o.batchSize);
      const n = (end - start) * o.negatives;
      const scale = 1 / n;
      for (let b = start; b < end; b++) {
        const u = set.users[order[b]];
        const i = set.movies[order[b]];
        const lu = users.local(u);
        const li = movies.local(i);
        if (lu === users.count - 1) gradU.fill(0, lu * k, (lu + 1) * k);
        if (li === movies.count - 1) gradM.fill(0, li * k, (li + 1) * k), (gradB[li] = 0);
        for (let s = 0; s < o.negatives; s++) {
          const j = sampleNegative(seen, u, data.nMovies, random);
          const lj = movies.local(j);
          if (lj === movies.count - 1) gradM.fill(0, lj * k, (lj + 1) * k), (gradB[lj] = 0);
          let x = mb ? mb[i] - mb[j] : 0;
          for (let c = 0; c < k; c++) {
            diff[c] = M[i * k + c] - M[j * k + c];
            x += U[u * k + c] * diff[c];
          }
          // -log sigma(x) = softplus(-x), computed without overflow; its slope is -sigma(-x).
          lossSum += x > 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x));
          const g = (-1 / (1 + Math.exp(x))) * scale;
          for (let c = 0; c < k; c++) {
            const w = g * U[u * k + c];
            gradU[lu * k + c] += g * diff[c];
            gradM[li * k + c] += w;
            gradM[lj * k + c] -= w;
          }
          gradB[li] += g;
          gradB[lj] -= g;
        }
      }
      state.steps++;
      const update = { optimizer: o.optimizer, learningRate: o.learningRate, step: state.steps, epsilon };
      addL2(U, k, users, gradU, o.l2);
      addL2(M, k, movies, gradM, o.l2);
      updateRows(U, k, users.unique, users.count, gradU, state.states[0], update);
      updateRows(M, k, movies.unique, movies.count, gradM, state.states[1], update);
      if (mb) {
        addL2(mb, 1, movies, gradB, o.l2);
        updateRows(mb, 1, movies.unique, movies.count, gradB, state.states[2], update);
      }
      users.release();
      movies.release();
    }
    storeTables(tables); // the model's variables take the trained tables before anyone reads them
    const entry: BprEpoch = { epoch, loss: lossSum / (set.length * o.negatives), seconds: (performance.now() - started) / 1000 };
    if (validateAt !== false && data.valid) {
      const metrics = rankingMetrics(topN(recommender, data, { k: validateAt }), data);
      entry.ndcg = metrics.ndcg;
      entry.precision = metrics.precision;
    }
    if (!Number.isFinite(entry.loss)) throw new Error(`trainBpr: loss became ${entry.loss} at epoch ${epoch} (learning rate ${o.learningRate}); lower the learning rate`);
    history.push(entry);
    if (log) {
      const metrics = entry.ndcg === undefined ? "" : `  nDCG@${validateAt} ${entry.ndcg.toFixed(4)}  precision@${validateAt} ${entry.precision!.toFixed(4)}`;
      console.log(`BPR epoch ${epoch}/${o.epochs}  loss ${entry.loss.toFixed(4)}${metrics}  ${entry.seconds.toFixed(2)} s`);
    }
    await new Promise(setImmediate); // let notebook output and timers run between epochs
  }
  return history;
}

/** Adds the gradient 2 * l2 * w of the penalty l2 * sum(w^2) to the batch's rows. */
function addL2(table: Float32Array, width: number, rows: Rows, grads: Float32Array, l2: number): void {
  if (l2 === 0) return;
  for (let j = 0; j < rows.count; j++) {
    const base = rows.unique[j] * width;
    for (let c = 0; c < width; c++) grads[j * width + c] += 2 * l2 * table[base + c];
  }
}
