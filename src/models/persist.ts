// Saving a trained recommender to a folder and loading it back, on every backend (tfjs's own
// file:// handler needs tfjs-node). The layout is tfjs's: model.json + weights.bin, which
// tf.loadLayersModel reads too, plus recommender.json with the id encoders and model spec.
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import * as tf from "@tensorflow/tfjs";
import "./layers"; // registers the custom layers a saved model may contain
import { IdEncoder } from "../prep/idEncoder";
import { ModelSpec, Recommender } from "./recommender";

const FORMAT_VERSION = 1;

interface RecommenderFile {
  version: number;
  spec: ModelSpec;
  userIds: number[];
  movieIds: number[];
}

function joinWeights(data: ArrayBuffer | ArrayBuffer[]): ArrayBuffer {
  return Array.isArray(data) ? tf.io.CompositeArrayBuffer.join(data) : data;
}

/** Writes the folder through a temporary sibling and a rename: a crash leaves the old save intact. */
export async function saveRecommender(recommender: Recommender, dir: string): Promise<void> {
  const target = path.resolve(dir);
  const temp = `${target}.${randomBytes(4).toString("hex")}.tmp`;
  fs.mkdirSync(temp, { recursive: true });
  try {
    await recommender.model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        fs.writeFileSync(path.join(temp, "weights.bin"), Buffer.from(joinWeights(artifacts.weightData!)));
        const manifest = {
          format: "layers-model",
          generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
          convertedBy: null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs }],
        };
        fs.writeFileSync(path.join(temp, "model.json"), JSON.stringify(manifest));
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    );
    const file: RecommenderFile = {
      version: FORMAT_VERSION,
      spec: recommender.spec,
      userIds: recommender.encoders.users.toJSON(),
      movieIds: recommender.encoders.movies.toJSON(),
    };
    fs.writeFileSync(path.join(temp, "recommender.json"), JSON.stringify(file));
    const old = fs.existsSync(target) ? `${target}.${randomBytes(4).toString("hex")}.old` : undefined;
    if (old) fs.renameSync(target, old);
    fs.renameSync(temp, target);
    if (old) fs.rmSync(old, { recursive: true, force: true });
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}

export async function loadRecommender(dir: string): Promise<Recommender> {
  const read = (name: string) => {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) throw new Error(`${file}: missing; is ${dir} a folder written by saveRecommender?`);
    return fs.readFileSync(file);
  };
  const meta = JSON.parse(read("recommender.json").toString("utf8")) as RecommenderFile;
  if (meta.version !== FORMAT_VERSION) throw new Error(`${path.join(dir, "recommender.json")}: format version ${meta.version}, expected ${FORMAT_VERSION}`);
  const manifest = JSON.parse(read("model.json").toString("utf8")) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  const weights = read("weights.bin");
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: manifest.modelTopology,
      weightSpecs: manifest.weightsManifest.flatMap((group) => group.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
  return new Recommender(model, meta.spec, { users: new IdEncoder(meta.userIds), movies: new IdEncoder(meta.movieIds) });
}
