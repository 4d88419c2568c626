/**
 * Undo/redo history of immutable snapshots (the pipeline document). Pure: the page keeps one
 * per project and pushes a snapshot after every committed edit.
 */

/** An undo stack over immutable values. */
export interface History<T> {
  /** The current value. */
  readonly present: T;
  /** Whether there is something to undo. */
  readonly canUndo: boolean;
  /** Whether there is something to redo. */
  readonly canRedo: boolean;
  /** Records a new present; clears the redo branch. Identical values (===) are ignored. */
  push(value: T): T;
  /** Steps back; returns the restored value (the present when there is nothing to undo). */
  undo(): T;
  /** Steps forward; returns the restored value (the present when there is nothing to redo). */
  redo(): T;
  /** Replaces the present without a new undo step (a refinement of the edit just made); clears the redo branch. */
  amend(value: T): T;
  /** Forgets everything and starts again from `value` (e.g. when a project is opened). */
  reset(value: T): T;
}

/** Creates a history holding at most `limit` past states. */
export function createHistory<T>(initial: T, limit = 200): History<T> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`History limit must be a whole number of at least 1, got ${limit}.`);
  let past: T[] = [];
  let present = initial;
  let future: T[] = [];
  return {
    get present() {
      return present;
    },
    get canUndo() {
      return past.length > 0;
    },
    get canRedo() {
      return future.length > 0;
    },
    push(value) {
      if (value === present) return present;
      past.push(present);
      // Oldest states fall off so a long session cannot grow memory without bound.
      if (past.length > limit) past = past.slice(past.length - limit);
      present = value;
      future = [];
      return present;
    },
    undo() {
      const previous = past.pop();
      if (previous === undefined) return present;
      future.push(present);
      present = previous;
      return present;
    },
    redo() {
      const next = future.pop();
      if (next === undefined) return present;
      past.push(present);
      present = next;
      return present;
    },
    amend(value) {
      present = value;
      future = [];
      return present;
    },
    reset(value) {
      past = [];
      future = [];
      present = value;
      return present;
    },
  };
}
