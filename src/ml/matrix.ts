/**
 * Dense row-major matrices as the numeric kernels (k-means, PCA, logistic regression,
 * silhouette, entropy weights) receive them, plus the input checks they share.
 *
 * Indexing note: the tsconfig enables noUncheckedIndexedAccess, which types every typed-array
 * read as `number | undefined`. Kernels read typed arrays inside loops whose bounds are the
 * array's own shape, so they use the non-null `!` on those reads rather than a runtime
 * fallback that would hide an indexing bug behind a silent 0.
 */

/** A dense n × d matrix stored row-major: entry (i, j) is `values[i * d + j]`. */
export interface Matrix {
  /** The n · d entries, row after row. */
  values: Float64Array | Float32Array;
  /** Number of rows (observations). */
  n: number;
  /** Number of columns (features). */
  d: number;
}

/** Error raised by a numeric kernel for bad input; `code` is stable, the message names the place. */
export class KernelInputError extends Error {
  /** Stable machine-readable reason, e.g. 'not-finite' or 'shape'. */
  readonly code: 'shape' | 'not-finite' | 'empty' | 'labels' | 'range' | 'option';
  /** Row of the offending value when there is one. */
  readonly row: number | null;
  /** Column of the offending value when there is one. */
  readonly column: number | null;

  constructor(
    code: KernelInputError['code'],
    message: string,
    row: number | null = null,
    column: number | null = null,
  ) {
    super(message);
    this.name = 'KernelInputError';
    this.code = code;
    this.row = row;
    this.column = column;
  }
}

/** Wraps a row-major array as a Matrix after checking that its length is n · d. */
export function matrix(values: Float64Array | Float32Array, n: number, d: number): Matrix {
  checkShape({ values, n, d });
  return { values, n, d };
}

/** Builds a Float64 matrix from nested rows (tests and small fixtures). */
export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const n = rows.length;
  const d = n > 0 ? rows[0]!.length : 0;
  const values = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    if (row.length !== d) {
      throw new KernelInputError('shape', `Row ${i} has ${row.length} values; expected ${d}.`, i);
    }
    for (let j = 0; j < d; j++) values[i * d + j] = row[j]!;
  }
  return { values, n, d };
}

/** Throws KernelInputError('shape') unless n, d are non-negative integers and values.length = n · d. */
export function checkShape(x: Matrix): void {
  if (!Number.isInteger(x.n) || x.n < 0 || !Number.isInteger(x.d) || x.d < 0) {
    throw new KernelInputError('shape', `Matrix shape must be non-negative integers; got n=${x.n}, d=${x.d}.`);
  }
  if (x.values.length !== x.n * x.d) {
    throw new KernelInputError(
      'shape',
      `Matrix has ${x.values.length} values; expected n × d = ${x.n} × ${x.d} = ${x.n * x.d}.`,
    );
  }
}

/** Throws KernelInputError('not-finite') naming the first NaN/±Infinity entry by row and column. */
export function checkFinite(x: Matrix, what = 'Input'): void {
  checkShape(x);
  const { values, d } = x;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (!Number.isFinite(v)) {
      const row = Math.floor(k / d);
      const column = k - row * d;
      throw new KernelInputError(
        'not-finite',
        `${what} has ${String(v)} at row ${row}, column ${column}; remove or impute it first.`,
        row,
        column,
      );
    }
  }
}

/** Copies the rows listed in `rows` into a new Float64 matrix (used for samples and CV folds). */
export function selectRows(x: Matrix, rows: ArrayLike<number>): Matrix {
  const { values, d } = x;
  const out = new Float64Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) {
    const src = rows[r]! * d;
    for (let j = 0; j < d; j++) out[r * d + j] = values[src + j]!;
  }
  return { values: out, n: rows.length, d };
}

/**
 * Cholesky factor of a symmetric positive definite m × m matrix (row-major), in place: the lower
 * triangle of `a` becomes L with A = L·Lᵀ (the upper triangle is left as it was). Returns false
 * if A is not positive definite.
 */
export function choleskyFactor(a: Float64Array, m: number): boolean {
  for (let j = 0; j < m; j++) {
    let s = a[j * m + j]!;
    for (let k = 0; k < j; k++) s -= a[j * m + k]! * a[j * m + k]!;
    if (!(s > 0)) return false;
    const l = Math.sqrt(s);
    a[j * m + j] = l;
    for (let i = j + 1; i < m; i++) {
      let t = a[i * m + j]!;
      for (let k = 0; k < j; k++) t -= a[i * m + k]! * a[j * m + k]!;
      a[i * m + j] = t / l;
    }
  }
  return true;
}

/** Solves L·Lᵀ x = b in place, with L from choleskyFactor. */
export function choleskySubstitute(l: Float64Array, b: Float64Array, m: number): void {
  for (let i = 0; i < m; i++) {
    let t = b[i]!;
    for (let k = 0; k < i; k++) t -= l[i * m + k]! * b[k]!;
    b[i] = t / l[i * m + i]!;
  }
  for (let i = m - 1; i >= 0; i--) {
    let t = b[i]!;
    for (let k = i + 1; k < m; k++) t -= l[k * m + i]! * b[k]!;
    b[i] = t / l[i * m + i]!;
  }
}

/** Solves A x = b in place for symmetric positive definite A (m × m, row-major; overwritten by its factor); false if A is not PD. */
export function choleskySolve(a: Float64Array, b: Float64Array, m: number): boolean {
  if (!choleskyFactor(a, m)) return false;
  choleskySubstitute(a, b, m);
  return true;
}
