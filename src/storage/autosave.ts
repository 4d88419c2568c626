/**
 * Debounced autosave: edits arriving in quick succession become one save after a quiet
 * period; at most one save runs at a time, and the newest pending state always wins.
 */

/** Autosave state for the UI. */
export type AutosaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

/** Options of `createAutosave`. */
export interface AutosaveOptions<T> {
  /** Quiet period before saving, in ms. */
  delayMs: number;
  /** Writes one state (rejects on failure). */
  save: (value: T) => Promise<void>;
  /** Hears state changes and the failure, if any. */
  onState?: (state: AutosaveState, error?: unknown) => void;
}

/** A debounced saver. */
export interface Autosave<T> {
  /** Records a new state; it is saved after the quiet period. */
  schedule(value: T): void;
  /** Saves any pending state now and waits for it (e.g. before closing or switching projects). */
  flush(): Promise<void>;
  /** Drops any pending state. */
  cancel(): void;
}

/** Creates a debounced saver. */
export function createAutosave<T>(options: AutosaveOptions<T>): Autosave<T> {
  const notify = options.onState ?? (() => undefined);
  let pending: { value: T } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;

  async function drain(): Promise<void> {
    // Saves run one after another; each picks up the newest pending state.
    while (pending) {
      const { value } = pending;
      pending = null;
      notify('saving');
      try {
        await options.save(value);
        notify(pending ? 'pending' : 'saved');
      } catch (err) {
        notify('error', err);
      }
    }
  }

  function start(): Promise<void> {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    running ??= drain().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    schedule(value) {
      pending = { value };
      notify('pending');
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        void start();
      }, options.delayMs);
    },
    async flush() {
      if (running) await running;
      if (pending) await start();
    },
    cancel() {
      pending = null;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
