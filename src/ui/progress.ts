// One progress display for downloads and training: a cli-progress bar in terminals,
// a single updating line in a tslab notebook (where stderr is not a terminal).
import { SingleBar, Presets } from "cli-progress";

export interface Progress {
  update(done: number, status?: string): void;
  stop(finalStatus?: string): void;
}

/** True inside a tslab kernel, which installs this global before running a cell. */
export function inNotebook(): boolean {
  return (globalThis as { __tslab__?: unknown }).__tslab__ !== undefined;
}

/**
 * Whether training shows a progress bar when not told: yes in a terminal, no in a notebook,
 * where the one log line per epoch says it all (a bar there would repeat every line).
 */
export function progressDefault(): boolean {
  return !inNotebook() && Boolean(process.stderr.isTTY);
}

interface TslabDisplay {
  text(s: string): void;
}

function notebookDisplay(): TslabDisplay | undefined {
  try {
    // Loaded only in a notebook; tslab is a kernel, not something library users must have.
    const tslab = require("tslab") as { newDisplay(): TslabDisplay };
    return tslab.newDisplay();
  } catch {
    return undefined;
  }
}

function formatLine(label: string, done: number, total: number, status: string): string {
  const pct = total > 0 ? Math.min(100, (100 * done) / total) : 0;
  const width = 30;
  const filled = Math.round((pct / 100) * width);
  return `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${pct.toFixed(0)}% ${status}`.trimEnd();
}

export interface ProgressOptions {
  label: string;
  total: number;
  /** Off for tests and batch jobs that want quiet output. */
  enabled?: boolean;
}

export function createProgress({ label, total, enabled = true }: ProgressOptions): Progress {
  if (!enabled) return { update() {}, stop() {} };
  const display = inNotebook() ? notebookDisplay() : undefined;
  if (display) {
    let last = 0;
    return {
      update(done, status = "") {
        const now = Date.now();
        if (now - last < 200 && done < total) return; // throttle redraws
        last = now;
        display.text(formatLine(label, done, total, status));
      },
      stop(finalStatus = "") {
        display.text(formatLine(label, total, total, finalStatus));
      },
    };
  }
  const bar = new SingleBar(
    { format: `${label} [{bar}] {percentage}% {status}`, stream: process.stderr, noTTYOutput: false, hideCursor: true },
    Presets.legacy,
  );
  bar.start(total, 0, { status: "" });
  return {
    update(done, status = "") {
      bar.update(done, { status });
    },
    stop(finalStatus = "") {
      bar.update(total, { status: finalStatus });
      bar.stop();
    },
  };
}
