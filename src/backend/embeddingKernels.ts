// Fast Embedding kernels for the wasm and cpu backends: a row gather and its gradient,
// a linear-time UnsortedSegmentSum.
//
// tf.gather's gradient (and so every Embedding's) is UnsortedSegmentSum. The stock cpu kernel
// builds one mask tensor per segment (O(segments x rows) work and as many kernel calls), which made
// one epoch of a dot+bias model on 80k ratings take about 70 minutes of CPU (npm run bench); wasm has no such kernel
// at all. This one reads the inputs once and scatters each row into its segment: O(rows x width).
// The wasm GatherV2 spends about 3 ms on a 1024 x 50 lookup; copying whole rows takes microseconds.
import * as tf from "@tensorflow/tfjs";

type TypedValues = Float32Array | Int32Array;
type Backend = "cpu" | "wasm";

// The cpu backend names its output constructor makeTensorInfo, the wasm backend makeOutput;
// wasm can also lend a view of its heap instead of a copy.
interface SyncBackend {
  readSync(dataId: object): unknown;
  typedArrayFromHeap?(info: tf.TensorInfo): TypedValues;
  makeTensorInfo?(shape: number[], dtype: tf.DataType, values?: TypedValues): tf.TensorInfo;
  makeOutput?(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: TypedValues): tf.TensorInfo;
}

/** Sums rows of `values` (shape [rows, ...rest]) into `numSegments` buckets chosen by `segmentIds`. */
export function segmentSum(
  values: ArrayLike<number>,
  rowWidth: number,
  segmentIds: ArrayLike<number>,
  numSegments: number,
  dtype: "float32" | "int32",
  into?: TypedValues,
): TypedValues {
  const out = into ?? (dtype === "int32" ? new Int32Array(numSegments * rowWidth) : new Float32Array(numSegments * rowWidth));
  if (into) out.fill(0);
  const rows = segmentIds.length;
  for (let r = 0; r < rows; r++) {
    const segment = segmentIds[r];
    // Negative or too-large ids are dropped, as TensorFlow's kernel does.
    if (segment < 0 || segment >= numSegments) continue;
    const src = r * rowWidth;
    const dst = segment * rowWidth;
    for (let c = 0; c < rowWidth; c++) out[dst + c] += values[src + c];
  }
  return out;
}

/** Copies rows `indices` of a [rows, rowWidth] table; an index out of range is an error, as in tf.gather. */
export function gatherRows(table: TypedValues, rowWidth: number, indices: ArrayLike<number>, dtype: "float32" | "int32"): TypedValues {
  const rows = table.length / rowWidth;
  const out = dtype === "int32" ? new Int32Array(indices.length * rowWidth) : new Float32Array(indices.length * rowWidth);
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i];
    if (!(row >= 0 && row < rows)) throw new Error(`GatherV2: the index value ${row} is not in [0, ${rows - 1}]`);
    out.set(table.subarray(row * rowWidth, (row + 1) * rowWidth), i * rowWidth);
  }
  return out;
}

function read(b: SyncBackend, info: tf.TensorInfo): TypedValues {
  return b.typedArrayFromHeap ? b.typedArrayFromHeap(info) : (b.readSync(info.dataId) as TypedValues);
}

function output(b: SyncBackend, shape: number[], dtype: tf.DataType, values: TypedValues): tf.TensorInfo {
  if (b.makeTensorInfo) return b.makeTensorInfo(shape, dtype, values);
  if (b.makeOutput) return b.makeOutput(shape, dtype, undefined, values);
  throw new Error("backend can't make output tensors");
}

function numericDtype(kernel: string, dtype: tf.DataType): "float32" | "int32" {
  if (dtype !== "float32" && dtype !== "int32") throw new Error(`${kernel}: unsupported dtype ${dtype}`);
  return dtype;
}

const size = (shape: number[]) => shape.reduce((a, d) => a * d, 1);

const segmentSumKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = attrs as unknown as { numSegments: number };
  const b = backend as unknown as SyncBackend;
  const dtype = numericDtype("UnsortedSegmentSum", x.dtype);
  const rows = size(segmentIds.shape);
  const rowWidth = rows === 0 ? 0 : size(x.shape) / rows;
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  if (b.makeOutput && b.typedArrayFromHeap) {
    // wasm: sum straight into the output's heap memory, saving an allocation and a copy.
    const info = b.makeOutput(outShape, dtype);
    segmentSum(read(b, x), rowWidth, read(b, segmentIds), numSegments, dtype, b.typedArrayFromHeap(info));
    return info;
  }
  return output(b, outShape, dtype, segmentSum(read(b, x), rowWidth, read(b, segmentIds), numSegments, dtype));
};

function makeGatherKernel(stock: tf.KernelConfig | undefined): tf.KernelFunc {
  return (args) => {
    const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const { axis, batchDims } = args.attrs as unknown as { axis: number; batchDims: number };
    const dtype = x.dtype;
    // Only the Embedding case (rows of a table) is ours; everything else stays stock.
    if ((axis !== 0 && axis !== -x.shape.length) || batchDims !== 0 || (dtype !== "float32" && dtype !== "int32")) {
      if (!stock) throw new Error("GatherV2: no stock kernel to fall back on");
      return stock.kernelFunc(args);
    }
    const b = args.backend as unknown as SyncBackend;
    const rowWidth = x.shape[0] === 0 ? 0 : size(x.shape) / x.shape[0];
    const out = gatherRows(read(b, x), rowWidth, read(b, indices), dtype);
    return output(b, [...indices.shape, ...x.shape.slice(1)], dtype, out);
  };
}

const stockKernels = new Map<string, tf.KernelConfig | undefined>();
const REPLACED = [tf.UnsortedSegmentSum, tf.GatherV2] as const;

function swapKernel(kernelName: string, backendName: Backend, config: tf.KernelConfig | undefined): void {
  if (tf.getKernel(kernelName, backendName)) tf.unregisterKernel(kernelName, backendName);
  if (config) tf.registerKernel(config);
}

/** Replaces the backend's UnsortedSegmentSum and row GatherV2 with the fast ones (idempotent). */
export function useFastEmbeddingKernels(backendName: Backend): void {
  for (const name of REPLACED) {
    const key = `${name}/${backendName}`;
    if (!stockKernels.has(key)) stockKernels.set(key, tf.getKernel(name, backendName));
  }
  const stockGather = stockKernels.get(`${tf.GatherV2}/${backendName}`);
  swapKernel(tf.UnsortedSegmentSum, backendName, { kernelName: tf.UnsortedSegmentSum, backendName, kernelFunc: segmentSumKernel });
  swapKernel(tf.GatherV2, backendName, {
    kernelName: tf.GatherV2,
    backendName,
    kernelFunc: makeGatherKernel(stockGather),
    setupFunc: stockGather?.setupFunc, // wasm kernels bind their C functions at setup
  });
}

/** Puts back the kernels tfjs shipped (tests and the benchmark compare against them). */
export function useStockEmbeddingKernels(backendName: Backend): void {
  for (const name of REPLACED) {
    const key = `${name}/${backendName}`;
    if (stockKernels.has(key)) swapKernel(name, backendName, stockKernels.get(key));
  }
}
