/**
 * Typed arrays in JSON, bit-exact and compact: `{ "$typed": "Float64Array", "width": 8,
 * "base64": "…" }`, the values little-endian in `width` bytes each. Integer arrays are written in
 * the narrowest width that holds every value (a tree's child indices fit in one or two bytes), and
 * read back into their own type; so are float arrays whose every value is an integer (a tree's row
 * counts; −0 excluded). Other floats keep their width, so a model read back predicts the same bits.
 */

/** The typed array types that travel. */
const TYPES = { Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array } as const;

/** A typed array type's name. */
export type TypedName = keyof typeof TYPES;

/** A typed array as JSON. */
export interface TypedJson {
  /** The array's type. */
  $typed: TypedName;
  /** Bytes per value as written. */
  width: 1 | 2 | 4 | 8;
  /** The values, little-endian, in base64. */
  base64: string;
}

/** Any of the typed arrays that travel. */
export type TravellingArray = InstanceType<(typeof TYPES)[TypedName]>;

const isTypedName = (name: string): name is TypedName => Object.hasOwn(TYPES, name);

/** The name of a typed array's type, or null for one that does not travel (BigInt64Array, DataView…). */
function typedName(a: ArrayBufferView): TypedName | null {
  for (const name of Object.keys(TYPES)) if (isTypedName(name) && a instanceof TYPES[name]) return name;
  return null;
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(base64: string): Uint8Array | null {
  try {
    const text = atob(base64);
    return Uint8Array.from(text, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Writes one value of `width` bytes at byte `at` (integers signed unless `unsigned`; width 4 of a float type as float32). */
function writeValue(view: DataView, at: number, width: number, v: number, float: boolean, unsigned: boolean): void {
  if (float) return width === 8 ? view.setFloat64(at, v, true) : view.setFloat32(at, v, true);
  if (width === 1) return unsigned ? view.setUint8(at, v) : view.setInt8(at, v);
  if (width === 2) return unsigned ? view.setUint16(at, v, true) : view.setInt16(at, v, true);
  return unsigned ? view.setUint32(at, v, true) : view.setInt32(at, v, true);
}

function readValue(view: DataView, at: number, width: number, float: boolean, unsigned: boolean): number {
  if (float) return width === 8 ? view.getFloat64(at, true) : view.getFloat32(at, true);
  if (width === 1) return unsigned ? view.getUint8(at) : view.getInt8(at);
  if (width === 2) return unsigned ? view.getUint16(at, true) : view.getInt16(at, true);
  return unsigned ? view.getUint32(at, true) : view.getInt32(at, true);
}

/** The narrowest width holding every integer of `a`. */
function integerWidth(a: ArrayLike<number>, unsigned: boolean, widest: 1 | 2 | 4): 1 | 2 | 4 {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] ?? 0;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (unsigned ? hi <= 0xff : lo >= -0x80 && hi <= 0x7f) return 1;
  if (widest === 1) return 1;
  if (unsigned ? hi <= 0xffff : lo >= -0x8000 && hi <= 0x7fff) return 2;
  return widest;
}

/** Whether every value is an integer that an Int32 holds, and none is −0. */
function wholeNumbers(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) {
    const v = a[i] ?? 0;
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff || Object.is(v, -0)) return false;
  }
  return true;
}

/** A typed array as TypedJson, or null for a type that does not travel. */
export function typedToJson(a: ArrayBufferView): TypedJson | null {
  const name = typedName(a);
  if (name === null || !(a instanceof TYPES[name])) return null;
  const values: ArrayLike<number> = a;
  const unsigned = name.startsWith('Uint');
  const widest = TYPES[name].BYTES_PER_ELEMENT;
  const isFloat = name === 'Float64Array' || name === 'Float32Array';
  // Integers in a float array travel as integers (signed, up to 4 bytes): bit-exact, −0 aside.
  const float = isFloat && !wholeNumbers(values);
  const width = float ? (widest === 8 ? 8 : 4) : integerWidth(values, unsigned, widest === 1 ? 1 : widest === 2 ? 2 : 4);
  const bytes = new Uint8Array(values.length * width);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) writeValue(view, i * width, width, values[i] ?? 0, float, unsigned);
  return { $typed: name, width, base64: toBase64(bytes) };
}

/** Whether a JSON value has TypedJson's shape (its contents are checked when read). */
export function isTypedJson(v: unknown): v is TypedJson {
  return typeof v === 'object' && v !== null && '$typed' in v && 'width' in v && 'base64' in v && typeof v.$typed === 'string' && isTypedName(v.$typed) && (v.width === 1 || v.width === 2 || v.width === 4 || v.width === 8) && typeof v.base64 === 'string';
}

/** The typed array a TypedJson holds, or null when it is malformed (bad base64, a length that is not a whole number of values, a width its type cannot hold). */
export function typedFromJson(v: unknown): TravellingArray | null {
  if (!isTypedJson(v)) return null;
  const bytes = fromBase64(v.base64);
  const Type = TYPES[v.$typed];
  // A float type in its own width holds floats; narrower, it holds integers (signed).
  const float = (v.$typed === 'Float64Array' || v.$typed === 'Float32Array') && v.width === Type.BYTES_PER_ELEMENT;
  if (bytes === null || bytes.length % v.width !== 0 || v.width > Type.BYTES_PER_ELEMENT) return null;
  const out = new Type(bytes.length / v.width);
  const view = new DataView(bytes.buffer);
  const unsigned = v.$typed.startsWith('Uint');
  for (let i = 0; i < out.length; i++) out[i] = readValue(view, i * v.width, v.width, float, unsigned);
  return out;
}
