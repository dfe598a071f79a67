// Fetches a MovieLens zip once, checks it against the .md5 GroupLens publishes beside it, and
// unpacks it under data/. What the cache guarantees (see the README):
// - every file and folder appears whole or not at all: each is written under a unique temporary
//   name and renamed into place, so several processes can fill one cache at once;
// - the unpacked folder holds .verified.json, the sizes and sha256 of what was extracted from a
//   zip whose MD5 matched; sizes are checked before every load, and a mismatch is repaired from
//   the zip (its MD5 checked again first) or by downloading again;
// - a verified zip is only replaced by another verified copy, or removed (with a warning) when it
//   matches its MD5 but cannot be unpacked, so the next try downloads it again.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { unzipSync } from "fflate";
import { ensureBackend } from "../backend/selectBackend";
import { createProgress } from "../ui/progress";
import { removeStaleSiblings, tempSibling, writeFileAtomic } from "../util/atomicWrite";
import { DatasetInfo, datasetInfo, DatasetName } from "./datasets";
import { DATA_DIR_ENV, defaultDataDir } from "./paths";
import { ensureFolder } from "../util/folders";

export const DEFAULT_BASE_URL = "https://files.grouplens.org/datasets/movielens";
/** Where to download from instead, e.g. file:///path/to/mirror or another https site. */
export const BASE_URL_ENV = "CF_MOVIELENS_URL";
/** A download fails when less than MIN_PROGRESS_BYTES arrive in this long. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const MIN_PROGRESS_BYTES = 1024;
/** The record, inside an unpacked release, of what was extracted from a verified zip. */
export const MANIFEST_NAME = ".verified.json";

export interface DownloadOptions {
  baseUrl?: string;
  dataDir?: string;
  progress?: boolean;
  /** Give up on a download when (almost) no bytes arrive for this long; default 30 s. */
  idleTimeoutMs?: number;
}

/** Turns a plain folder path into a file:// URL so both spellings work. */
export function resolveBaseUrl(baseUrl?: string): string {
  const base = baseUrl ?? process.env[BASE_URL_ENV] ?? DEFAULT_BASE_URL;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(base)) return base.replace(/\/+$/, "");
  return `file://${path.resolve(base)}`;
}

/** A failure of the local file being written, kept apart from network failures. */
class WriteError extends Error {}

/** "message (CODE)" of an error, or of its cause when fetch wrapped it in a bare "fetch failed"/"terminated". */
const describe = (error: unknown) => {
  const e = error as NodeJS.ErrnoException & { cause?: { code?: string; message?: string } };
  const { code, message } = e.cause ?? e;
  if (!message) return code ?? String(error);
  return code && !message.includes(code) ? `${message} (${code})` : message;
};
const ofSize = (received: number, size: number | undefined) => `${received} of ${size === undefined ? "an unknown number of" : size} bytes`;

/**
 * Streams the body of `url` into `sink`, chunk by chunk. Fails, naming the URL, the bytes
 * received and the expected length, on HTTP errors, a broken connection, a short body, or
 * when less than 1 KiB arrives in `idleMs` (a stalled or trickling server).
 */
async function streamFrom(url: string, idleMs: number, sink: (chunk: Buffer, size: number | undefined) => Promise<void> | void): Promise<number> {
  let received = 0;
  let size: number | undefined;
  const feed = async (chunk: Buffer) => {
    received += chunk.length;
    try {
      await sink(chunk, size);
    } catch (error) {
      throw error instanceof WriteError ? error : new WriteError((error as Error).message);
    }
  };
  if (url.startsWith("file://")) {
    const file = fileURLToPath(url);
    try {
      size = (await fs.promises.stat(file)).size;
    } catch {
      throw new Error(`${file} not found (from ${url})`);
    }
    try {
      for await (const chunk of fs.createReadStream(file)) await feed(chunk as Buffer);
    } catch (error) {
      if (error instanceof WriteError) throw error;
      throw new Error(`cannot read ${file} (from ${url}) after ${ofSize(received, size)}: ${describe(error)}`);
    }
    return received;
  }

  const controller = new AbortController();
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  let sinceArmed = 0;
  const arm = () => {
    clearTimeout(timer);
    sinceArmed = 0;
    timer = setTimeout(() => {
      stalled = true;
      controller.abort();
    }, idleMs);
  };
  arm();
  try {
    let response: Response;
    try {
      // identity: a Content-Length then counts the bytes this loop sees.
      response = await fetch(url, { signal: controller.signal, headers: { "accept-encoding": "identity" } });
    } catch (error) {
      if (stalled) throw new Error(`cannot download ${url}: no response in ${idleMs / 1000} s`);
      throw new Error(
        `cannot download ${url}: ${describe(error)}. Are you offline? Set ${BASE_URL_ENV} to a local mirror of the GroupLens folder, e.g. file:///path/to/movielens`,
      );
    }
    if (!response.ok || !response.body) throw new Error(`cannot download ${url}: HTTP ${response.status} ${response.statusText}`);
    // fetch decodes a gzip/deflate/br body itself; its Content-Length counts the encoded bytes.
    const encoding = response.headers.get("content-encoding");
    const length = Number(response.headers.get("content-length"));
    size = length > 0 && (!encoding || encoding === "identity") ? length : undefined;
    arm();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        sinceArmed += chunk.length;
        if (sinceArmed >= MIN_PROGRESS_BYTES) arm();
        await feed(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      }
    } catch (error) {
      if (error instanceof WriteError) throw error;
      if (stalled) throw new Error(`download of ${url} stalled: under ${MIN_PROGRESS_BYTES} bytes in ${idleMs / 1000} s, after ${ofSize(received, size)}`);
      throw new Error(`download of ${url} broke off after ${ofSize(received, size)}: ${describe(error)}`);
    }
  } finally {
    clearTimeout(timer);
    controller.abort(); // closes the connection when we stopped early; harmless once done
  }
  if (size !== undefined && received !== size) throw new Error(`truncated download of ${url}: got ${ofSize(received, size)}`);
  return received;
}

async function readText(url: string, idleMs: number): Promise<string> {
  const chunks: Buffer[] = [];
  await streamFrom(url, idleMs, (chunk) => void chunks.push(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

/** GroupLens's .md5 files hold the digest alone or as `MD5 (file) = digest`. */
export function parseMd5(text: string, source: string): string {
  const match = /\b[0-9a-f]{32}\b/i.exec(text);
  if (!match) throw new Error(`${source}: no MD5 digest found`);
  return match[0].toLowerCase();
}

/** Streams `url` into the new file `temp`, returning its MD5; every failure is a rejection, and `temp` is removed. */
async function downloadTo(url: string, temp: string, label: string, showProgress: boolean, idleMs: number): Promise<string> {
  const hash = createHash("md5");
  let bar: ReturnType<typeof createProgress> | undefined;
  let written = 0;
  let handle: fs.promises.FileHandle | undefined;
  try {
    await streamFrom(url, idleMs, async (chunk, size) => {
      bar ??= createProgress({ label: `download ${label}`, total: size ?? 0, enabled: showProgress && size !== undefined });
      try {
        handle ??= await fs.promises.open(temp, "wx");
        for (let offset = 0; offset < chunk.length; ) offset += (await handle.write(chunk, offset)).bytesWritten;
      } catch (error) {
        throw new WriteError(`cannot write ${temp}: ${describe(error)}`);
      }
      hash.update(chunk);
      written += chunk.length;
      bar.update(written, `${(written / 1e6).toFixed(1)} MB`);
    });
    if (!handle) handle = await fs.promises.open(temp, "wx"); // an empty body
    await handle.close();
    handle = undefined;
    bar?.stop(`${(written / 1e6).toFixed(1)} MB`);
    return hash.digest("hex");
  } catch (error) {
    bar?.stop("failed");
    await handle?.close().catch(() => undefined);
    await fs.promises.rm(temp, { force: true });
    throw error;
  }
}

interface Manifest {
  zip: { file: string; md5: string };
  files: Record<string, { size: number; sha256: string }>;
}

function readManifest(dir: string): Manifest | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_NAME), "utf8")) as Manifest;
    return typeof manifest.files === "object" && manifest.files !== null ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** The cheap check before every load: the record is there, lists the release's files, and every size matches. */
function cacheIsIntact(dir: string, info: DatasetInfo): boolean {
  const manifest = readManifest(dir);
  if (!manifest || !info.files.every((file) => file in manifest.files)) return false;
  return Object.entries(manifest.files).every(([file, { size }]) => {
    try {
      return fs.statSync(path.join(dir, file)).size === size;
    } catch {
      return false;
    }
  });
}

/**
 * Unpacks the files under `<name>/` in the zip into the new folder `into`, and writes the
 * manifest there last. A zip entry pointing outside the folder is an error.
 */
export function extractZip(zipFile: string, name: string, into: string, zipMd5 = ""): void {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(fs.readFileSync(zipFile));
  } catch (error) {
    throw new Error(`${zipFile}: not a readable zip (truncated or corrupt?): ${(error as Error).message}`);
  }
  const manifest: Manifest = { zip: { file: path.basename(zipFile), md5: zipMd5 }, files: {} };
  fs.mkdirSync(into);
  try {
    for (const [entry, bytes] of Object.entries(entries)) {
      if (entry.endsWith("/")) continue;
      const relative = entry.startsWith(`${name}/`) ? entry.slice(name.length + 1) : entry;
      const target = path.resolve(into, relative);
      if (!target.startsWith(into + path.sep)) throw new Error(`${zipFile}: entry '${entry}' points outside the folder`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, bytes);
      manifest.files[path.relative(into, target).split(path.sep).join("/")] = { size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
    }
    if (Object.keys(manifest.files).length === 0) throw new Error(`${zipFile}: the zip holds no files`);
    fs.writeFileSync(path.join(into, MANIFEST_NAME), JSON.stringify(manifest, null, 1));
  } catch (error) {
    fs.rmSync(into, { recursive: true, force: true });
    throw error;
  }
}

const md5Of = (file: string) => createHash("md5").update(fs.readFileSync(file)).digest("hex");

/** Returns the MD5 of `<name>.zip` in the cache after making sure the zip there matches it, downloading it if needed. */
async function verifiedZip(info: DatasetInfo, zipFile: string, options: DownloadOptions, idleMs: number): Promise<string> {
  const zipUrl = `${resolveBaseUrl(options.baseUrl)}/${info.name}.zip`;
  const md5File = `${zipFile}.md5`;
  let published: string | undefined;
  const publishedMd5 = async () => {
    if (published) return published;
    const expected = parseMd5(await readText(`${zipUrl}.md5`, idleMs), `${zipUrl}.md5`);
    if (info.md5 && expected !== info.md5) throw new Error(`${zipUrl}.md5 gives ${expected}, but GroupLens published ${info.md5} for ${info.name}.zip`);
    return (published = expected);
  };
  if (fs.existsSync(zipFile)) {
    let stored: string | undefined;
    try {
      stored = parseMd5(fs.readFileSync(md5File, "utf8"), md5File);
    } catch {
      stored = undefined; // a cache from before the .md5 was kept: ask the source
    }
    const expected = stored ?? info.md5 ?? (await publishedMd5());
    if (md5Of(zipFile) === expected) {
      if (!stored) writeFileAtomic(md5File, `${expected}\n`);
      return expected;
    }
    console.warn(`${zipFile} doesn't match its MD5 ${expected} (damaged on disk?); downloading it again`);
  }
  const expected = await publishedMd5();
  const temp = tempSibling(zipFile);
  const actual = await downloadTo(zipUrl, temp, path.basename(zipFile), options.progress ?? true, idleMs);
  if (actual !== expected) {
    fs.rmSync(temp, { force: true });
    throw new Error(`checksum mismatch for ${zipUrl}: expected MD5 ${expected}, got ${actual}. The download is corrupt; try again.`);
  }
  writeFileAtomic(md5File, `${expected}\n`);
  fs.renameSync(temp, zipFile); // over a damaged copy, or another process's identical verified one
  return expected;
}

/** Puts the extracted folder `temp` in place of `dir`, unless another process already put an intact copy there. */
function install(temp: string, dir: string, info: DatasetInfo): void {
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      fs.renameSync(temp, dir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST" && code !== "EISDIR" && code !== "ENOTDIR") throw error;
    }
    if (cacheIsIntact(dir, info)) break; // another process won the race
    // A damaged (or pre-manifest) copy: move it aside and try again.
    const aside = tempSibling(dir);
    try {
      fs.renameSync(dir, aside);
    } catch {
      continue; // someone else moved it first
    }
    if (cacheIsIntact(aside, info)) {
      // Another process installed a good copy just before: put it back for readers already using it.
      try {
        fs.renameSync(aside, dir);
        fs.rmSync(temp, { recursive: true, force: true });
        return;
      } catch {
        /* a third copy went in meanwhile; any intact one will do */
      }
    }
    fs.rmSync(aside, { recursive: true, force: true });
  }
  fs.rmSync(temp, { recursive: true, force: true });
  if (!cacheIsIntact(dir, info)) throw new Error(`${dir}: could not be put in place; other processes keep replacing it`);
}

/** Removes temporary files and folders that killed runs left for this release. */
function removeStaleTemps(dataDir: string, name: string): void {
  const dir = path.join(dataDir, name);
  const zipFile = `${dir}.zip`;
  for (const target of [dir, zipFile, `${zipFile}.md5`, `${zipFile}.unverified`]) removeStaleSiblings(target, ".tmp");
  // Earlier versions downloaded to <name>.zip.unverified before checking it.
  const unverified = `${zipFile}.unverified`;
  try {
    if (Date.now() - fs.statSync(unverified).mtimeMs > 60 * 60 * 1000) fs.rmSync(unverified, { force: true });
  } catch {
    /* not there */
  }
}

/**
 * Returns the folder of an unpacked MovieLens release, downloading and verifying it first
 * if the cache under data/ (or CF_DATA_DIR) doesn't have it intact.
 */
export async function downloadDataset(name: DatasetName, options: DownloadOptions = {}): Promise<string> {
  await ensureBackend();
  const info = datasetInfo(name);
  const dataDir = path.resolve(options.dataDir ?? defaultDataDir());
  const dir = path.join(dataDir, name);
  if (fs.existsSync(dataDir)) removeStaleTemps(dataDir, name);
  if (cacheIsIntact(dir, info)) return dir;

  ensureFolder(dataDir, options.dataDir !== undefined ? "the dataDir option" : process.env[DATA_DIR_ENV] !== undefined ? DATA_DIR_ENV : "the dataset cache");
  const zipFile = path.join(dataDir, `${name}.zip`);
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const zipUrl = `${resolveBaseUrl(options.baseUrl)}/${name}.zip`;
  const fetchVerified = async () => {
    try {
      return await verifiedZip(info, zipFile, options, idleMs);
    } catch (error) {
      throw new Error(`${(error as Error).message}${copyHint(info, dir, zipFile)}`);
    }
  };
  const md5 = await fetchVerified();
  let temp: string;
  try {
    temp = unpack(zipFile, info, dir, md5);
  } catch (error) {
    // It matched its MD5 yet can't be used (cut before the MD5 was made, wrong folder inside...):
    // keeping it would fail the same way on every call, even after the source is fixed.
    const first = (error as Error).message;
    discardZip(zipFile);
    console.warn(`${first}\n${zipFile} matched its MD5 but cannot be used; removed it from the cache and downloading it again from ${zipUrl}`);
    let again: string;
    try {
      again = await fetchVerified();
      temp = unpack(zipFile, info, dir, again);
    } catch (second) {
      discardZip(zipFile);
      throw new Error(
        `${(second as Error).message}\n${name}.zip from ${zipUrl} matches its MD5 but cannot be used, twice; it was removed from the cache, ` +
          `so the next call downloads it again. Replace the copy at the source (${BASE_URL_ENV} names the mirror)`,
      );
    }
  }
  install(temp, dir, info);
  return dir;
}

/** Extracts the cached zip into a new temporary sibling of `dir`, checking the release's files are there. */
function unpack(zipFile: string, info: DatasetInfo, dir: string, md5: string): string {
  const temp = tempSibling(dir);
  extractZip(zipFile, info.name, temp, md5);
  const missing = info.files.filter((file) => !fs.existsSync(path.join(temp, file)));
  if (missing.length > 0) {
    const found = fs.readdirSync(temp).filter((entry) => entry !== MANIFEST_NAME);
    fs.rmSync(temp, { recursive: true, force: true });
    throw new Error(`${zipFile}: expected ${missing.join(", ")} in the zip under ${info.name}/; it holds ${found.join(", ") || "nothing else"}`);
  }
  return temp;
}

function discardZip(zipFile: string): void {
  fs.rmSync(zipFile, { force: true });
  fs.rmSync(`${zipFile}.md5`, { force: true });
}

/**
 * When fetching failed, what the cache already holds and how to use it: an unpacked folder with
 * no record of being verified (unzipped by hand, or by an earlier version), or a zip with no .md5.
 */
function copyHint(info: DatasetInfo, dir: string, zipFile: string): string {
  const hints: string[] = [];
  if (fs.existsSync(zipFile) && !fs.existsSync(`${zipFile}.md5`)) {
    hints.push(
      `${zipFile} is there but has no ${path.basename(zipFile)}.md5 beside it (an earlier version kept none), so it can't be checked offline; ` +
        `if you trust it, write its MD5 there (cd ${path.dirname(zipFile)} && md5sum ${path.basename(zipFile)} > ${path.basename(zipFile)}.md5) and call again`,
    );
  }
  if (info.files.every((file) => fs.existsSync(path.join(dir, file))) && !fs.existsSync(path.join(dir, MANIFEST_NAME))) {
    hints.push(`${dir} holds an unpacked copy of ${info.name} that was never verified (no ${MANIFEST_NAME}); to use it as it is: readMovieLens("${info.name}", ${JSON.stringify(dir)})`);
  }
  return hints.length ? `\n${hints.join("\n")}` : "";
}
