// The whole forward and backward pass of the matrix-factorisation models (dot product, plus
// biases, optionally squashed by the sigmoid rating range) as one loop over the batch in typed
// memory: no tensors, no allocations. tfjs spends more on dispatching a dozen small kernels
// per step than this loop spends on the arithmetic.

// The graph recognition and the forward pass live in the models layer (predict and top-N use them).
export { DotGraph, dotPredict, matchDotGraph } from "../../models/dotGraph";

// The gradients: a module of their own without tfjs, for the worker threads.
export { DotGradients, DotTables, dotGradients } from "./dotGradients";
