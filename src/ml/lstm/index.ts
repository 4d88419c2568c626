/**
 * The LSTM kernel: training (fast path and tf.layers reference), validation, inference, export.
 *
 * - Pick the backend first: `await selectBackend(ladder, { wasmPaths })` (../tf-backend.ts).
 * - `trainLstm(train, validation, options, { signal, onEpoch, onProgress, ladder, onBackendFallback })`.
 *   Cancel: abort the signal; the run stops before its next batch and rejects with a
 *   DOMException named 'AbortError' (`isAbortError(e)`). A backend that fails mid-run
 *   (device lost, kernel missing) hands over to the next one in `ladder`, continuing from
 *   the last completed epoch's weights with a fresh Adam state; `onBackendFallback` says so.
 *   Without a ladder the failure rejects as LstmBackendFailure with `resume` state, which
 *   can be passed back as `hooks.resume`.
 * - Cross-validation: src/ml/cross-validate.ts, with `lstmFitTask` (./fit-task.ts) as the
 *   training a pool can run on any lane.
 * - Bad options or data reject with LstmInputError (`param` names the culprit).
 * - Export: `toLayersModel(model).save(...)` writes model.json + weights.bin for
 *   tf.loadLayersModel; `fromLayersModel` reads such a model back into plain weights.
 */
export type {
  BackendFallbackEvent,
  BestSoFar,
  EngineName,
  EpochRecord,
  LstmLayerWeights,
  LstmOptions,
  LstmWeights,
  SequenceSet,
  TrainedLstm,
  TrainHooks,
  TrainResume,
} from './types.ts';
export { trainLstm, chooseEngine, classWeights, validateOptions, validateSequences } from './train.ts';
export { predictLstm } from './predict.ts';
export { subsetSequences } from './subset.ts';
export { fitLstm, lstmFitTask, isLstmWeights, isTrainedLstm } from './fit-task.ts';
export type { LstmFitInput, LstmFitOutput, LstmFitReport } from './fit-task.ts';
export { probeFastPath } from './probe.ts';
export { toLayersModel, fromLayersModel, fromLayersModelAsync, buildLayersModel } from './layers-model.ts';
export { initLstmWeights, cloneWeights } from './init.ts';
export { LstmInputError, LstmBackendFailure, isAbortError, abortError } from './errors.ts';
export { rocAuc, accuracy, meanBce } from './metrics.ts';
export { nativeKernelsSupported } from './native-kernels.ts';
export { fusedVariant, overrideFusedVariant, registerGpuLstmKernels } from './gpu-kernels.ts';
export type { FusedVariant } from './gpu-kernels.ts';
export { lstmForwardFlops } from './flops.ts';
