// Fetches a MovieLens zip once, checks it against the .md5 GroupLens publishes beside it,
// and unpacks it under data/. Every file appears whole or not at all: each is written to a
// temporary name first and renamed into place.
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { unzipSync } from "fflate";
import { createProgress } from "../ui/progress";
import { datasetInfo, DatasetName } from "./datasets";
import { defaultDataDir } from "./paths";

export const DEFAULT_BASE_URL = "https://files.grouplens.org/datasets/movielens";
/** Where to download from instead, e.g. file:///path/to/mirror or another https site. */
export const BASE_URL_ENV = "CF_MOVIELENS_URL";

export interface DownloadOptions {
  baseUrl?: string;
  dataDir?: string;
  progress?: boolean;
}

/** Turns a plain folder path into a file:// URL so both spellings work. */
export function resolveBaseUrl(baseUrl?: string): string {
  const base = baseUrl ?? process.env[BASE_URL_ENV] ?? DEFAULT_BASE_URL;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(base)) return base.replace(/\/+$/, "");
  return `file://${path.resolve(base)}`;
}

interface Source {
  stream: Readable;
  size: number | undefined;
}

async function open(url: string): Promise<Source> {
  if (url.startsWith("file://")) {
    const file = fileURLToPath(url);
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file);
    } catch {
      throw new Error(`${file} not found (from ${url})`);
    }
    return { stream: fs.createReadStream(file), size: stat.size };
  }
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? String(error);
    throw new Error(
      `cannot download ${url}: ${why}. Are you offline? Set ${BASE_URL_ENV} to a local mirror of the GroupLens folder, e.g. file:///path/to/movielens`,
    );
  }
  if (!response.ok || !response.body) throw new Error(`cannot download ${url}: HTTP ${response.status} ${response.statusText}`);
  const length = Number(response.headers.get("content-length"));
  return { stream: Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), size: length > 0 ? length : undefined };
}

async function readText(url: string): Promise<string> {
  const { stream } = await open(url);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** GroupLens's .md5 files hold the digest alone or as `MD5 (file) = digest`. */
export function parseMd5(text: string, source: string): string {
  const match = /\b[0-9a-f]{32}\b/i.exec(text);
  if (!match) throw new Error(`${source}: no MD5 digest found`);
  return match[0].toLowerCase();
}

function tempName(target: string): string {
  return `${target}.${randomBytes(4).toString("hex")}.tmp`;
}

/** Streams `url` into `target`, returning its MD5; on any failure nothing is left behind. */
async function downloadTo(url: string, target: string, showProgress: boolean): Promise<string> {
  const { stream, size } = await open(url);
  const temp = tempName(target);
  const hash = createHash("md5");
  const bar = createProgress({ label: `download ${path.basename(target)}`, total: size ?? 0, enabled: showProgress && size !== undefined });
  let received = 0;
  const out = fs.createWriteStream(temp);
  try {
    for await (const chunk of stream) {
      const buffer = chunk as Buffer;
      hash.update(buffer);
      received += buffer.length;
      bar.update(received, `${(received / 1e6).toFixed(1)} MB`);
      if (!out.write(buffer)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    if (size !== undefined && received !== size) {
      throw new Error(`truncated download of ${url}: got ${received} of ${size} bytes`);
    }
    bar.stop(`${(received / 1e6).toFixed(1)} MB`);
    await fs.promises.rename(temp, target);
    return hash.digest("hex");
  } catch (error) {
    bar.stop("failed");
    out.destroy();
    await fs.promises.rm(temp, { force: true });
    throw error;
  }
}

/** Unpacks the files under `<name>/` in the zip into `dir`, through a temporary folder. */
export function extractZip(zipFile: string, name: string, dir: string): void {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(fs.readFileSync(zipFile));
  } catch (error) {
    throw new Error(`${zipFile}: not a readable zip (truncated or corrupt?): ${(error as Error).message}`);
  }
  const temp = tempName(dir);
  try {
    let count = 0;
    for (const [entry, bytes] of Object.entries(entries)) {
      if (entry.endsWith("/")) continue;
      const relative = entry.startsWith(`${name}/`) ? entry.slice(name.length + 1) : entry;
      const target = path.resolve(temp, relative);
      if (!target.startsWith(temp + path.sep)) throw new Error(`${zipFile}: entry '${entry}' points outside the folder`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, bytes);
      count++;
    }
    if (count === 0) throw new Error(`${zipFile}: the zip holds no files`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(temp, dir);
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}

function hasFiles(dir: string, files: readonly string[]): boolean {
  return files.every((file) => fs.existsSync(path.join(dir, file)));
}

/**
 * Returns the folder of an unpacked MovieLens release, downloading and verifying it first
 * if the cache under data/ (or CF_DATA_DIR) doesn't have it yet.
 */
export async function downloadDataset(name: DatasetName, options: DownloadOptions = {}): Promise<string> {
  const info = datasetInfo(name);
  const dataDir = options.dataDir ?? defaultDataDir();
  const dir = path.join(dataDir, name);
  if (hasFiles(dir, info.files)) return dir;

  fs.mkdirSync(dataDir, { recursive: true });
  const zipFile = path.join(dataDir, `${name}.zip`);
  if (!fs.existsSync(zipFile)) {
    const base = resolveBaseUrl(options.baseUrl);
    const zipUrl = `${base}/${name}.zip`;
    const expected = parseMd5(await readText(`${zipUrl}.md5`), `${zipUrl}.md5`);
    if (info.md5 && expected !== info.md5) throw new Error(`${zipUrl}.md5 gives ${expected}, but GroupLens published ${info.md5} for ${name}.zip`);
    const partial = `${zipFile}.unverified`;
    const actual = await downloadTo(zipUrl, partial, options.progress ?? true);
    if (actual !== expected) {
      fs.rmSync(partial, { force: true });
      throw new Error(`checksum mismatch for ${zipUrl}: expected MD5 ${expected}, got ${actual}. The download is corrupt; try again.`);
    }
    fs.renameSync(partial, zipFile);
  }
  try {
    extractZip(zipFile, name, dir);
  } catch (error) {
    fs.rmSync(zipFile, { force: true }); // a damaged cache would fail every later call: fetch again next time
    throw error;
  }
  if (!hasFiles(dir, info.files)) {
    throw new Error(`${zipFile}: expected ${info.files.join(", ")} in the zip under ${name}/`);
  }
  return dir;
}
