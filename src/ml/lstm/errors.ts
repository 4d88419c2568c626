/** Errors the LSTM kernel throws, each recognisable by class and a stable `code`. */
import type { TrainResume } from './types.ts';

/** A parameter or input that cannot be trained on; the message names it and echoes the value. */
export class LstmInputError extends Error {
  /** Stable code for callers that map errors to messages. */
  readonly code = 'lstm-invalid-input';
  /** The parameter or input at fault (e.g. 'units', 'x'). */
  readonly param: string;

  constructor(param: string, message: string) {
    super(message);
    this.name = 'LstmInputError';
    this.param = param;
  }
}

/** The backend failed mid-training (device lost, kernel missing, …); `resume` says where it stopped. */
export class LstmBackendFailure extends Error {
  /** Stable code. */
  readonly code = 'lstm-backend-failed';
  /** Backend that failed. */
  readonly backend: string;
  /** Where to continue on another backend. */
  readonly resume: TrainResume;

  constructor(backend: string, reason: string, resume: TrainResume) {
    super(`Training on the ${backend} backend failed: ${reason}`);
    this.name = 'LstmBackendFailure';
    this.backend = backend;
    this.resume = resume;
  }
}

/** The error thrown when an AbortSignal stops training: a DOMException named 'AbortError'. */
export function abortError(): DOMException {
  return new DOMException('Aborted', 'AbortError');
}

/** Whether an error is the cancellation thrown by the LSTM functions (or any AbortError). */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && error.name === 'AbortError';
}
