/** The LSTM kernel: training (fast path and tf.layers reference), validation, inference, export. */
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
export { crossValidateLstm, stratifiedKFold, stratifiedHoldout, subsetSequences } from './validation.ts';
export type { CrossValidateOptions, CrossValidation, ValidationScheme } from './validation.ts';
export { toLayersModel, fromLayersModel, fromLayersModelAsync, buildLayersModel } from './layers-model.ts';
export { initLstmWeights, cloneWeights } from './init.ts';
export { LstmInputError, LstmBackendFailure, isAbortError, abortError } from './errors.ts';
export { rocAuc, accuracy, meanBce } from './metrics.ts';
export { nativeKernelsSupported } from './native-kernels.ts';
export { fusedVariant, overrideFusedVariant, registerGpuLstmKernels } from './gpu-kernels.ts';
export type { FusedVariant } from './gpu-kernels.ts';
export { lstmForwardFlops } from './flops.ts';
