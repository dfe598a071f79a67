// Saving a trained recommender to a folder and loading it back, on every backend (tfjs's own
// file:// handler needs tfjs-node). The layout is tfjs's: model.json + weights.bin, which
// tf.loadLayersModel reads too, plus recommender.json with the id encoders, the model spec and
// checksums that tie the three files together.
import * as fs from "node:fs";
import * as path from "node:path";
import { createHash } from "node:crypto";
import * as tf from "@tensorflow/tfjs";
import "./layers"; // registers the custom layers a saved model may contain
import { ensureBackend } from "../backend/selectBackend";
import { IdEncoder } from "../prep/idEncoder";
import { removeStaleSiblings, siblingsOf, tempSibling } from "../util/atomicWrite";
import { acquireFolderLock, lockHolder } from "../util/folderLock";
import { ensureFolder } from "../util/folders";
import { ModelSpec, Recommender } from "./recommender";
import { embeddingsReading } from "./structure";

/** Marks recommender.json as ours, so a save is told apart from any other folder. */
const FORMAT = "cf-lessons recommender";
const FORMAT_VERSION = 2;
const SAVE_FILES = ["model.json", "recommender.json", "weights.bin"];
/** A save moved aside while the new one is renamed in; load restores it if the rename never came. */
const OLD_SUFFIX = ".old";

interface RecommenderFile {
  format: string;
  version: number;
  spec: ModelSpec;
  userIds: number[];
  movieIds: number[];
  /** sha256 of weights.bin, of model.json, and of spec + ids as written here. */
  sha256: { weights: string; model: string; contents: string };
}

const sha256 = (bytes: string | Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const contentsDigest = (file: Pick<RecommenderFile, "spec" | "userIds" | "movieIds">) => sha256(JSON.stringify([file.spec, file.userIds, file.movieIds]));

function joinWeights(data: ArrayBuffer | ArrayBuffer[]): ArrayBuffer {
  return Array.isArray(data) ? tf.io.CompositeArrayBuffer.join(data) : data;
}

/** Parses a JSON file of a save, naming the file when it is missing or not JSON. */
function readJson(dir: string, name: string): unknown {
  const file = path.join(dir, name);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new Error(`${file}: missing; is ${dir} a folder written by saveRecommender?`);
    throw new Error(`${file}: cannot read: ${code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message}); the save is damaged`);
  }
}

/** True when `dir` holds only a save's files and a recommender.json that saveRecommender wrote (any version). */
function isSave(dir: string): boolean {
  try {
    const names = fs.readdirSync(dir);
    if (!names.includes("recommender.json") || names.some((name) => !SAVE_FILES.includes(name))) return false;
    const meta = JSON.parse(fs.readFileSync(path.join(dir, "recommender.json"), "utf8")) as Partial<RecommenderFile>;
    // Version 1 had no marker but the same fields.
    return meta.format === FORMAT || (meta.version === 1 && typeof meta.spec === "object" && Array.isArray(meta.userIds));
  } catch {
    return false;
  }
}

/** What is at the target now; anything that isn't nothing, an empty folder or an earlier save is refused. */
function checkTarget(dir: string): { target: string; existing: "none" | "empty" | "save" } {
  if (dir.trim() === "") throw new Error("saveRecommender: the folder name is empty");
  const target = path.resolve(dir);
  const cwd = process.cwd();
  if (target === cwd || cwd.startsWith(target.endsWith(path.sep) ? target : target + path.sep)) {
    throw new Error(`saveRecommender: refusing to save over ${target}: it is the working folder or holds it; name a new folder, e.g. ${path.join(dir, "model")}`);
  }
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch {
    return { target, existing: "none" };
  }
  if (!stat.isDirectory()) throw new Error(`saveRecommender: ${target} exists and is not a folder; refusing to replace it`);
  if (fs.readdirSync(target).length === 0) return { target, existing: "empty" };
  if (!isSave(target)) {
    throw new Error(`saveRecommender: ${target} is a folder saveRecommender didn't write (it holds other files than ${SAVE_FILES.join(", ")}); refusing to replace it`);
  }
  return { target, existing: "save" };
}

/**
 * Writes the folder through a temporary sibling and renames: a crash leaves the old save
 * intact (or moved aside to `<dir>.<id>.old`, which loadRecommender restores). Only an earlier
 * save or an empty folder is replaced; any other file or folder at `dir` is an error.
 */
export async function saveRecommender(recommender: Recommender, dir: string): Promise<void> {
  const { target } = checkTarget(dir);
  ensureFolder(path.dirname(target), `saveRecommender("${dir}")`); // e.g. "models/" on a first save to "models/lesson1-bias"
  removeStaleSiblings(target, ".tmp");
  const temp = tempSibling(target);
  fs.mkdirSync(temp);
  let old: string | undefined;
  let release: (() => void) | undefined;
  try {
    let weights: Uint8Array | undefined;
    let modelJson = "";
    await recommender.model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        weights = new Uint8Array(joinWeights(artifacts.weightData!));
        modelJson = JSON.stringify({
          format: "layers-model",
          generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
          convertedBy: null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs }],
        });
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    );
    fs.writeFileSync(path.join(temp, "weights.bin"), weights!);
    fs.writeFileSync(path.join(temp, "model.json"), modelJson);
    const contents = { spec: recommender.spec, userIds: recommender.encoders.users.toJSON(), movieIds: recommender.encoders.movies.toJSON() };
    const file: RecommenderFile = {
      format: FORMAT,
      version: FORMAT_VERSION,
      ...contents,
      sha256: { weights: sha256(weights!), model: sha256(modelJson), contents: contentsDigest(contents) },
    };
    fs.writeFileSync(path.join(temp, "recommender.json"), JSON.stringify(file)); // last: a save is complete once it exists
    // Processes saving to one folder take turns swapping theirs in; each sees what the last one left.
    release = await acquireFolderLock(target, "saveRecommender");
    const { existing } = checkTarget(dir);
    if (existing === "save") {
      old = tempSibling(target).replace(/\.tmp$/, OLD_SUFFIX);
      fs.renameSync(target, old);
    }
    fs.renameSync(temp, target); // also replaces an empty folder
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    if (old && !fs.existsSync(target)) fs.renameSync(old, target);
    release?.();
    const message = (error as Error).message;
    throw new Error(message.startsWith("saveRecommender") ? message : `saveRecommender: cannot write ${target}: ${message}`);
  }
  try {
    // The new save is in place: earlier saves moved aside (by this call or an interrupted one) are superseded.
    for (const aside of siblingsOf(target, OLD_SUFFIX)) if (isSave(aside)) fs.rmSync(aside, { recursive: true, force: true });
  } finally {
    release();
  }
}

/**
 * When an interrupted save left `dir` missing, moves the earlier save it had set aside back.
 * Not while a live process holds the folder's lock: that save is between its two renames.
 */
async function recoverInterruptedSave(dir: string): Promise<void> {
  const target = path.resolve(dir);
  const interrupted = () => !fs.existsSync(target) && siblingsOf(target, OLD_SUFFIX).some(isSave);
  if (!interrupted() || lockHolder(target)) return;
  const release = await acquireFolderLock(target, "loadRecommender");
  try {
    if (!interrupted()) return; // the saver finished, or another loader restored it
    const candidates = siblingsOf(target, OLD_SUFFIX).filter(isSave);
    const newest = candidates.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
    fs.renameSync(newest, target);
    console.warn(`loadRecommender: ${target} was missing after an interrupted save; restored the earlier save from ${newest}`);
  } finally {
    release();
  }
}

/** How long a load waits for saves by other processes to finish before it gives up. */
const LOAD_WAIT_MS = 60_000;

interface SaveContents {
  meta: RecommenderFile;
  manifest: { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  weights: Buffer;
}

/** The fields of recommender.json that loading relies on; a missing one is named, not a TypeError later. */
function checkRecommenderFile(meta: RecommenderFile, file: string): void {
  const problems: string[] = [];
  const isIdList = (ids: unknown) => Array.isArray(ids) && ids.every((id) => Number.isInteger(id));
  if (typeof meta.spec !== "object" || meta.spec === null) problems.push("spec (the model's description) is missing");
  if (!isIdList(meta.userIds)) problems.push(meta.userIds === undefined ? "userIds is missing" : "userIds is not a list of integer ids");
  if (!isIdList(meta.movieIds)) problems.push(meta.movieIds === undefined ? "movieIds is missing" : "movieIds is not a list of integer ids");
  const sums = meta.sha256 as Partial<RecommenderFile["sha256"]> | undefined;
  if (!sums || typeof sums.weights !== "string" || typeof sums.model !== "string" || typeof sums.contents !== "string") problems.push("sha256 (the checksums) is missing or incomplete");
  if (problems.length > 0) throw new Error(`${file}: ${problems.join("; ")}. The file was edited or damaged; save the model again`);
}

/** Reads and checks the three files of a save once; `seen` gets recommender.json's text first thing. */
function readSaveOnce(dir: string, seen: { metaText?: string }): SaveContents {
  const metaFile = path.join(dir, "recommender.json");
  try {
    seen.metaText = fs.readFileSync(metaFile, "utf8");
  } catch {
    /* readJson names what is wrong */
  }
  const meta = readJson(dir, "recommender.json") as RecommenderFile;
  if (meta.format !== FORMAT || meta.version !== FORMAT_VERSION) {
    const found = meta.format === FORMAT ? `format version ${meta.version}` : meta.version === 1 ? "format version 1 (no checksums)" : "not a saveRecommender file";
    throw new Error(`${metaFile}: ${found}; expected version ${FORMAT_VERSION}. Save the model again with this version`);
  }
  checkRecommenderFile(meta, metaFile);
  const modelFile = path.join(dir, "model.json");
  const manifest = readJson(dir, "model.json") as SaveContents["manifest"];
  if (sha256(fs.readFileSync(modelFile)) !== meta.sha256.model) {
    throw new Error(`${modelFile}: its checksum doesn't match recommender.json; it was changed or comes from another save`);
  }
  const weightsFile = path.join(dir, "weights.bin");
  let weights: Buffer;
  try {
    weights = fs.readFileSync(weightsFile);
  } catch (error) {
    throw new Error(`${weightsFile}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (sha256(weights) !== meta.sha256.weights) {
    throw new Error(`${weightsFile}: its checksum doesn't match recommender.json; the weights were changed or come from another save`);
  }
  return { meta, manifest, weights };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The three files of one save, whole: when another process replaces the save while they are read
 * (recommender.json differs afterwards, or a save holds the folder's lock), they are read again,
 * so a load sees the old save or the new one, never a mix. Damage with no save under way is an error.
 */
async function readSaveWhole(dir: string): Promise<SaveContents> {
  const target = path.resolve(dir);
  const metaFile = path.join(dir, "recommender.json");
  const deadline = Date.now() + LOAD_WAIT_MS;
  const metaNow = () => {
    try {
      return fs.readFileSync(metaFile, "utf8");
    } catch {
      return undefined;
    }
  };
  for (;;) {
    await recoverInterruptedSave(dir);
    const seen: { metaText?: string } = {};
    let failure: unknown;
    try {
      const contents = readSaveOnce(dir, seen);
      if (metaNow() === seen.metaText) return contents;
    } catch (error) {
      failure = error;
    }
    const changed = metaNow() !== seen.metaText;
    const saving = lockHolder(target);
    if (failure && !saving && !changed) throw failure;
    if (Date.now() > deadline) {
      throw new Error(`loadRecommender: ${target} kept changing for ${LOAD_WAIT_MS / 1000} s while other processes saved to it${saving ? ` (pid ${saving.pid} holds it now)` : ""}; try again`);
    }
    await sleep(10 + Math.random() * 20);
  }
}

function tableRows(model: tf.LayersModel, layerName: string): number {
  return model.getLayer(layerName).getWeights()[0].shape[0];
}

/** Every embedding table must have one row per id of its encoder, or predictions would go to the wrong ids. */
function checkTableSizes(model: tf.LayersModel, spec: ModelSpec, encoders: { users: IdEncoder; movies: IdEncoder }, file: string): void {
  const sides = [
    ["user", encoders.users.size],
    ["movie", encoders.movies.size],
  ] as const;
  if (spec.input === "oneHot") {
    const width = model.inputs[0].shape[1];
    if (width !== encoders.users.size + encoders.movies.size) {
      throw new Error(`${file}: ${encoders.users.size} user ids + ${encoders.movies.size} movie ids, but the model's one-hot input is ${width} wide; the ids don't belong to these weights`);
    }
    return;
  }
  for (const layer of model.layers) {
    if (layer.getClassName() !== "Embedding") continue;
    const input = [0, 1].find((i) => embeddingsReading(model, i).includes(layer));
    const side = input === undefined ? sides.find(([name]) => layer.name.startsWith(name)) : sides[input];
    if (!side) continue;
    const rows = tableRows(model, layer.name);
    if (rows !== side[1]) {
      throw new Error(`${file}: ${side[1]} ${side[0]} ids, but the model's ${layer.name} table has ${rows} rows; the ids don't belong to these weights`);
    }
  }
}

export async function loadRecommender(dir: string): Promise<Recommender> {
  await ensureBackend();
  const metaFile = path.join(dir, "recommender.json");
  const { meta, manifest, weights } = await readSaveWhole(dir);
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: manifest.modelTopology,
      weightSpecs: manifest.weightsManifest.flatMap((group) => group.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
  const encoders = { users: new IdEncoder(meta.userIds, "user", meta.spec.dataset), movies: new IdEncoder(meta.movieIds, "movie", meta.spec.dataset) };
  checkTableSizes(model, meta.spec, encoders, metaFile);
  if (contentsDigest(meta) !== meta.sha256.contents) {
    throw new Error(`${metaFile}: the ids or spec were edited after saving (checksum mismatch); predictions would go to the wrong movies`);
  }
  return new Recommender(model, meta.spec, encoders);
}
