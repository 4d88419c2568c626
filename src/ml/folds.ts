/**
 * The one fold split of the studio, for tabular kernels: the stratified k-fold and stratified
 * hold-out that the LSTM uses (src/ml/lstm/validation.ts), re-exported so that every learner
 * on a canvas assigns the same customers to the same folds from the same seed and labels.
 */
export { stratifiedKFold, stratifiedHoldout } from './lstm/validation.ts';
