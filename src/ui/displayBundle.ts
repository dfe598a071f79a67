// Sends a Jupyter display_data message with several MIME types at once. tslab's public display
// API sends one type per message; its kernel-side writer takes a whole bundle.
import { inNotebook } from "./progress";

type WriteDisplayData = (content: { data: Record<string, unknown>; metadata: object; transient: object }, update: boolean) => void;

/** Returns false (having sent nothing) outside a tslab kernel. */
export function sendDisplayBundle(data: Record<string, unknown>, metadata: Record<string, unknown> = {}): boolean {
  if (!inNotebook()) return false;
  let write: WriteDisplayData | undefined;
  try {
    write = (require("tslab/dist/jupyter") as { lastWriteDisplayData?: WriteDisplayData }).lastWriteDisplayData;
  } catch {
    return false;
  }
  if (!write) return false;
  write({ data, metadata, transient: {} }, false);
  return true;
}
