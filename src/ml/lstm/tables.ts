/** The LSTM's results as tables and JSON: predictions (id, score, label, fold) and the training history. */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import type { JsonObject } from '../../engine/ports.ts';
import type { EpochRecord } from './types.ts';

/** The predictions table: id, score, label (null when not 0/1), fold (−1 = not scored out of fold). */
export function lstmPredictionsTable(ids: readonly string[], score: Float32Array, labels: ArrayLike<number>, fold: Int32Array): ColumnTable {
  return aq.table({
    id: ids.slice(),
    score: Array.from(score),
    label: Array.from(labels, (y) => (y === 0 || y === 1 ? y : null)),
    fold: Array.from(fold),
  });
}

/** One row per epoch of every training: fold (−1 = final model), epoch, losses, accuracy, AUCs, seconds. */
export function lstmHistoryTable(rows: readonly (EpochRecord & { fold: number })[]): ColumnTable {
  return aq.table({
    fold: rows.map((r) => r.fold),
    epoch: rows.map((r) => r.epoch),
    loss: rows.map((r) => r.loss),
    val_loss: rows.map((r) => finiteOrNull(r.valLoss)),
    accuracy: rows.map((r) => r.accuracy),
    auc: rows.map((r) => finiteOrNull(r.auc)),
    val_auc: rows.map((r) => finiteOrNull(r.valAuc)),
    seconds: rows.map((r) => r.seconds),
  });
}

/** An epoch record as JSON (non-finite figures as null), without its seconds. */
export function epochJson(r: EpochRecord): JsonObject {
  return { epoch: r.epoch, loss: r.loss, valLoss: finiteOrNull(r.valLoss), accuracy: r.accuracy, auc: finiteOrNull(r.auc), valAuc: finiteOrNull(r.valAuc) };
}

function finiteOrNull(v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v : null;
}
