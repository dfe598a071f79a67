// Picks the fastest tfjs backend this machine can run: the native TensorFlow bindings
// (GPU, then CPU) when they are installed, else WebAssembly, else plain JavaScript.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { useFastEmbeddingKernels } from "./embeddingKernels";

export type BackendChoice = "tensorflow-gpu" | "tensorflow" | "wasm" | "cpu";
export const BACKEND_CHOICES: readonly BackendChoice[] = ["tensorflow-gpu", "tensorflow", "wasm", "cpu"];

/** The environment variable that forces one backend, e.g. CF_BACKEND=cpu. */
export const BACKEND_ENV = "CF_BACKEND";

const NATIVE_PACKAGES: Record<"tensorflow-gpu" | "tensorflow", string> = {
  "tensorflow-gpu": "@tensorflow/tfjs-node-gpu",
  tensorflow: "@tensorflow/tfjs-node",
};

/**
 * Loads a native binding if it is really installed. danfojs-node's dependency on tfjs-node is
 * aliased to plain @tensorflow/tfjs (libtensorflow can't be downloaded everywhere), so the
 * package name is checked, not just whether require() succeeds.
 */
function loadNative(choice: "tensorflow-gpu" | "tensorflow"): boolean {
  const pkg = NATIVE_PACKAGES[choice];
  try {
    const manifest = require(`${pkg}/package.json`) as { name?: string };
    if (manifest.name !== pkg) return false;
    require(pkg); // registers the "tensorflow" backend
    return tf.findBackend("tensorflow") !== null;
  } catch {
    return false;
  }
}

async function tryBackend(choice: BackendChoice): Promise<boolean> {
  if (choice === "tensorflow-gpu" || choice === "tensorflow") {
    return loadNative(choice) && (await tf.setBackend("tensorflow"));
  }
  useFastEmbeddingKernels(choice);
  try {
    return await tf.setBackend(choice);
  } catch {
    return false;
  }
}

export interface BackendInfo {
  choice: BackendChoice;
  tfjsBackend: string;
  forced: boolean;
}

let selected: Promise<BackendInfo> | undefined;

/**
 * Selects and initialises the backend once per process and prints which one runs.
 * `prefer` (or CF_BACKEND) forces one; forcing a backend that can't start is an error.
 */
export function selectBackend(options: { prefer?: BackendChoice; quiet?: boolean } = {}): Promise<BackendInfo> {
  if (!selected) {
    selected = pickBackend(options).catch((error) => {
      selected = undefined;
      throw error;
    });
  }
  return selected;
}

async function pickBackend(options: { prefer?: BackendChoice; quiet?: boolean }): Promise<BackendInfo> {
  const fromEnv = process.env[BACKEND_ENV] || undefined;
  if (fromEnv && !BACKEND_CHOICES.includes(fromEnv as BackendChoice)) {
    throw new Error(`${BACKEND_ENV}=${fromEnv} is not a backend; use one of ${BACKEND_CHOICES.join(", ")}`);
  }
  const forced = options.prefer ?? (fromEnv as BackendChoice | undefined);
  const candidates = forced ? [forced] : BACKEND_CHOICES;
  for (const choice of candidates) {
    if (await tryBackend(choice)) {
      await tf.ready();
      const info = { choice, tfjsBackend: tf.getBackend(), forced: forced !== undefined };
      if (!options.quiet) console.log(describeBackend(info));
      return info;
    }
  }
  const hint = forced && forced.startsWith("tensorflow") ? ` (is ${NATIVE_PACKAGES[forced as "tensorflow"]} installed?)` : "";
  throw new Error(`tfjs backend '${forced}' could not be started${hint}`);
}

export function describeBackend(info: BackendInfo): string {
  const why = info.forced ? `forced by ${BACKEND_ENV} or options` : "best available";
  return `cf-lessons: tfjs backend '${info.choice}' (${why})`;
}
