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
/** Set once the selected backend has finished starting. */
let running: BackendInfo | undefined;

/** Which backend CF_BACKEND names, if any; a name that isn't a backend is an error. */
function backendFromEnv(): BackendChoice | undefined {
  const fromEnv = process.env[BACKEND_ENV] || undefined;
  if (fromEnv && !BACKEND_CHOICES.includes(fromEnv as BackendChoice)) {
    throw new Error(`${BACKEND_ENV}=${fromEnv} is not a backend; use one of ${BACKEND_CHOICES.join(", ")}`);
  }
  return fromEnv as BackendChoice | undefined;
}

/**
 * Selects and initialises the backend once per process and prints which one runs.
 * `prefer` (or CF_BACKEND) forces one; forcing a backend that can't start is an error, and so
 * is asking for another backend once one runs (tfjs models can't move between backends).
 */
export function selectBackend(options: { prefer?: BackendChoice; quiet?: boolean } = {}): Promise<BackendInfo> {
  if (!selected) {
    selected = pickBackend(options).then(
      (info) => (running = info),
      (error) => {
        selected = undefined;
        throw error;
      },
    );
    return selected;
  }
  const { prefer } = options;
  if (prefer === undefined) return selected;
  return selected.then((info) => {
    if (info.choice !== prefer) {
      throw new Error(`selectBackend: the '${info.choice}' backend is already running; it can't be switched to '${prefer}' in the same process`);
    }
    return info;
  });
}

/** Selects the backend if nothing has yet (as selectBackend() does, honouring CF_BACKEND). */
export function ensureBackend(): Promise<BackendInfo> {
  return selectBackend();
}

/**
 * For synchronous entry points: when nothing is selected yet, starts the cpu backend with the
 * fast kernels (the only one that starts synchronously) and says so once. A CF_BACKEND naming
 * another backend can't be honoured synchronously, so that is an error asking to select first.
 */
export function ensureBackendSync(): void {
  if (running) return;
  if (selected) throw new Error("the tfjs backend is still starting: `await cf.selectBackend()` before this call");
  const fromEnv = backendFromEnv();
  if (fromEnv && fromEnv !== "cpu") {
    throw new Error(`${BACKEND_ENV}=${fromEnv} needs an asynchronous start: run \`await cf.selectBackend()\` before this call`);
  }
  useFastEmbeddingKernels("cpu");
  void tf.setBackend("cpu"); // the cpu backend initialises synchronously: it is set when this returns
  if (tf.getBackend() !== "cpu") throw new Error("the cpu backend could not be started synchronously; run `await cf.selectBackend()` first");
  const info: BackendInfo = { choice: "cpu", tfjsBackend: "cpu", forced: fromEnv !== undefined };
  running = info;
  selected = Promise.resolve(info);
  console.log(
    info.forced
      ? describeBackend(info)
      : "cf-lessons: tfjs backend 'cpu' (started on first use; `await cf.selectBackend()` before it picks the fastest, e.g. wasm)",
  );
}

async function pickBackend(options: { prefer?: BackendChoice; quiet?: boolean }): Promise<BackendInfo> {
  const forced = options.prefer ?? backendFromEnv();
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
