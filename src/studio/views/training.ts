/**
 * Reading training histories for the curves: which series an epoch field is (training or
 * validation loss / AUC, whether it came live as `valLoss` or from the history table as
 * `val_loss`) and the best epoch. Pure and tested.
 */

/** The series the training curves draw. */
export type SeriesKind = 'loss' | 'valLoss' | 'auc' | 'valAuc';

/** The series a history field is, or null for fields the curves do not draw (accuracy, seconds). */
export function seriesKind(field: string): SeriesKind | null {
  switch (field.replace(/_/g, '').toLowerCase()) {
    case 'loss':
      return 'loss';
    case 'valloss':
      return 'valLoss';
    case 'auc':
      return 'auc';
    case 'valauc':
      return 'valAuc';
    default:
      return null;
  }
}

/**
 * The epoch with the lowest validation loss (the first of equals), else the lowest training
 * loss when there is no validation curve; null when there are no losses.
 */
export function bestEpoch(records: readonly { epoch: number; kind: SeriesKind; value: number }[]): { epoch: number; value: number; by: 'valLoss' | 'loss' } | null {
  for (const by of ['valLoss', 'loss'] as const) {
    let best: { epoch: number; value: number; by: 'valLoss' | 'loss' } | null = null;
    for (const r of records) if (r.kind === by && Number.isFinite(r.value) && (best === null || r.value < best.value)) best = { epoch: r.epoch, value: r.value, by };
    if (best) return best;
  }
  return null;
}
