/**
 * A tiny WebAssembly assembler: enough of the binary format (functions over an imported
 * memory, structured control flow, scalar i32/f32/f64 and 128-bit SIMD instructions) to emit
 * the LSTM (f32x4) and k-means (f64x2) kernels from TypeScript at load time. Generating the code here, instead of
 * shipping a compiled .wasm file, keeps the kernels readable, reviewable and free of any
 * build step, and lets loops be unrolled programmatically.
 */

/** WebAssembly value types used by the kernels. */
export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

const VALTYPE_CODE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** Unsigned LEB128 encoding of a non-negative integer. */
function uleb(value: number, out: number[]): void {
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
}

/** Signed LEB128 encoding of a 32-bit integer. */
function sleb(value: number, out: number[]): void {
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

function encodeString(text: string, out: number[]): void {
  const bytes = new TextEncoder().encode(text);
  uleb(bytes.length, out);
  for (const b of bytes) out.push(b);
}

const F32_SCRATCH = new DataView(new ArrayBuffer(4));
const F64_SCRATCH = new DataView(new ArrayBuffer(8));

/** Appends `v128.const` with the four bytes that `write` puts in F32_SCRATCH repeated in all four lanes. */
function pushSplatConst(out: number[], write: () => void): void {
  out.push(0xfd);
  uleb(0x0c, out);
  write();
  for (let lane = 0; lane < 4; lane++) for (let i = 0; i < 4; i++) out.push(F32_SCRATCH.getUint8(i));
}

/** SIMD instructions by name; each is 0xfd followed by this LEB128 opcode. */
const SIMD_OPS = {
  'f32x4.splat': 0x13,
  'i32x4.splat': 0x11,
  'f32x4.nearest': 0x6a,
  'i32x4.shl': 0xab,
  'i32x4.add': 0xae,
  'f32x4.abs': 0xe0,
  'f32x4.neg': 0xe1,
  'f32x4.sqrt': 0xe3,
  'f32x4.add': 0xe4,
  'f32x4.sub': 0xe5,
  'f32x4.mul': 0xe6,
  'f32x4.div': 0xe7,
  'f32x4.min': 0xe8,
  'f32x4.max': 0xe9,
  'f32x4.pmin': 0xea,
  'f32x4.pmax': 0xeb,
  'i32x4.trunc_sat_f32x4_s': 0xf8,
  'f32x4.convert_i32x4_s': 0xfa,
  'f64x2.splat': 0x14,
  'f64x2.add': 0xf0,
  'f64x2.sub': 0xf1,
  'f64x2.mul': 0xf2,
} as const;

/** Names of the SIMD instructions that take no immediate operand. */
export type SimdOp = keyof typeof SIMD_OPS;

/** Scalar instructions without immediates, by name. */
const PLAIN_OPS = {
  'i32.eqz': 0x45,
  'i32.eq': 0x46,
  'i32.ne': 0x47,
  'i32.lt_s': 0x48,
  'i32.lt_u': 0x49,
  'i32.gt_s': 0x4a,
  'i32.le_s': 0x4c,
  'i32.ge_s': 0x4e,
  'i32.add': 0x6a,
  'i32.sub': 0x6b,
  'i32.mul': 0x6c,
  'i32.and': 0x71,
  'i32.shl': 0x74,
  'f32.abs': 0x8b,
  'f32.neg': 0x8c,
  'f32.sqrt': 0x91,
  'f32.add': 0x92,
  'f32.sub': 0x93,
  'f32.mul': 0x94,
  'f32.div': 0x95,
  'f32.min': 0x96,
  'f32.max': 0x97,
  'i64.lt_s': 0x53,
  'i64.reinterpret_f64': 0xbd,
  'f64.reinterpret_i64': 0xbf,
  'f64.lt': 0x63,
  'f64.gt': 0x64,
  'f64.le': 0x65,
  'f64.ge': 0x66,
  'f64.sqrt': 0x9f,
  'f64.add': 0xa0,
  'f64.sub': 0xa1,
  'f64.mul': 0xa2,
  'f64.max': 0xa5,
  drop: 0x1a,
  select: 0x1b,
  return: 0x0f,
} as const;

/** Names of the scalar instructions that take no immediate operand. */
export type PlainOp = keyof typeof PLAIN_OPS;

/** A function body under construction: params, extra locals and instruction bytes. */
export class FunctionBuilder {
  /** Exported name of the function. */
  readonly name: string;
  /** Parameter types; locals 0..params.length-1 are the parameters. */
  readonly params: ValType[];
  /** Result types (empty or one value). */
  readonly results: ValType[];
  private readonly locals: ValType[] = [];
  private readonly code: number[] = [];
  /** Code run once at entry, initialising the hoisted constants. */
  private readonly prologue: number[] = [];
  private readonly constants = new Map<number, number>();

  constructor(name: string, params: ValType[], results: ValType[]) {
    this.name = name;
    this.params = params;
    this.results = results;
  }

  /** Declares a new local of the given type and returns its index. */
  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  /** A local-variable instruction (get, set or tee) with its index operand. */
  private localOp(opcode: number, index: number): this {
    this.code.push(opcode);
    uleb(index, this.code);
    return this;
  }

  /** `local.get index`. */
  get(index: number): this {
    return this.localOp(0x20, index);
  }

  /** `local.set index`. */
  set(index: number): this {
    return this.localOp(0x21, index);
  }

  /** `local.tee index`. */
  tee(index: number): this {
    return this.localOp(0x22, index);
  }

  /** `i32.const value`. */
  i32(value: number): this {
    this.code.push(0x41);
    sleb(value, this.code);
    return this;
  }

  /** `f32.const value`. */
  f32(value: number): this {
    this.code.push(0x43);
    F32_SCRATCH.setFloat32(0, value, true);
    for (let i = 0; i < 4; i++) this.code.push(F32_SCRATCH.getUint8(i));
    return this;
  }

  /** `f64.const value`. */
  f64(value: number): this {
    this.code.push(0x44);
    F64_SCRATCH.setFloat64(0, value, true);
    for (let i = 0; i < 8; i++) this.code.push(F64_SCRATCH.getUint8(i));
    return this;
  }

  /**
   * Pushes the address of element `index` of an array at `base` whose elements are
   * 2^shift bytes: base + (index << shift) (shift 2: i32/f32, 3: i64/f64). Both are locals.
   */
  elementAddress(base: number, index: number, shift: 2 | 3): this {
    return this.get(base).get(index).i32(shift).op('i32.shl').op('i32.add');
  }

  /** Pushes the address of row `index` (a local) of rows `rowBytes` long at `base` (a local): base + index · rowBytes. */
  rowAddress(base: number, index: number, rowBytes: number): this {
    return this.get(base).get(index).i32(rowBytes).op('i32.mul').op('i32.add');
  }

  /**
   * Pushes the address of gate block `gate` (0..3: the LSTM's i, f, g, o blocks) from `base`
   * with blocks `stride` bytes apart (both locals): base + gate · stride, as base, base + stride,
   * base + (stride << 1) and base + stride · 3.
   */
  gateAddress(base: number, stride: number, gate: 0 | 1 | 2 | 3): this {
    this.get(base);
    switch (gate) {
      case 0:
        return this;
      case 1:
        return this.get(stride).op('i32.add');
      case 2:
        return this.get(stride).i32(1).op('i32.shl').op('i32.add');
      case 3:
        return this.get(stride).i32(3).op('i32.mul').op('i32.add');
    }
  }

  /** `f64x2.extract_lane lane` (lane 0 or 1). */
  f64x2ExtractLane(lane: 0 | 1): this {
    this.code.push(0xfd);
    uleb(0x21, this.code);
    this.code.push(lane);
    return this;
  }

  /** A v128 constant holding the same f32 in all four lanes. */
  f32x4(value: number): this {
    pushSplatConst(this.code, () => F32_SCRATCH.setFloat32(0, value, true));
    return this;
  }

  /**
   * A splatted f32 constant read from a local that the function's prologue initialises once:
   * V8 rebuilds a v128.const with several instructions at every use, a local is one move.
   */
  k(value: number): this {
    let index = this.constants.get(value);
    if (index === undefined) {
      index = this.local('v128');
      this.constants.set(value, index);
      pushSplatConst(this.prologue, () => F32_SCRATCH.setFloat32(0, value, true));
      this.prologue.push(0x21);
      uleb(index, this.prologue);
    }
    return this.get(index);
  }

  /** A v128 constant holding the same i32 in all four lanes. */
  i32x4(value: number): this {
    pushSplatConst(this.code, () => F32_SCRATCH.setInt32(0, value, true));
    return this;
  }

  /** A scalar instruction without immediates. */
  op(name: PlainOp): this {
    this.code.push(PLAIN_OPS[name]);
    return this;
  }

  /** A SIMD instruction without immediates. */
  simd(name: SimdOp): this {
    this.code.push(0xfd);
    uleb(SIMD_OPS[name], this.code);
    return this;
  }

  /** `f32.load offset` (address on the stack). */
  f32Load(offset = 0): this {
    return this.memOp(0x2a, 2, offset);
  }

  /** `f32.store offset` (address and value on the stack). */
  f32Store(offset = 0): this {
    return this.memOp(0x38, 2, offset);
  }

  /** `i32.load offset` (address on the stack). */
  i32Load(offset = 0): this {
    return this.memOp(0x28, 2, offset);
  }

  /** `i32.store offset` (address and value on the stack). */
  i32Store(offset = 0): this {
    return this.memOp(0x36, 2, offset);
  }

  /** `f64.load offset` (address on the stack). */
  f64Load(offset = 0): this {
    return this.memOp(0x2b, 3, offset);
  }

  /** `f64.store offset` (address and value on the stack). */
  f64Store(offset = 0): this {
    return this.memOp(0x39, 3, offset);
  }

  /** `v128.load offset`, declared 4-byte aligned (the kernels only guarantee f32 alignment). */
  v128Load(offset = 0): this {
    return this.simdMemOp(0x00, offset);
  }

  /** `v128.store offset`. */
  v128Store(offset = 0): this {
    return this.simdMemOp(0x0b, offset);
  }

  /** `v128.load32_splat offset`: one f32 from memory broadcast to four lanes. */
  v128Load32Splat(offset = 0): this {
    return this.simdMemOp(0x09, offset);
  }

  /** Opens a `block` with no result; `br` to it jumps past its end. */
  block(): this {
    this.code.push(0x02, 0x40);
    return this;
  }

  /** Opens a `loop` with no result; `br` to it jumps back to its start. */
  loop(): this {
    this.code.push(0x03, 0x40);
    return this;
  }

  /** Opens an `if` with no result (condition on the stack). */
  if(): this {
    this.code.push(0x04, 0x40);
    return this;
  }

  /** `else` of the innermost `if`. */
  else(): this {
    this.code.push(0x05);
    return this;
  }

  /** Closes the innermost block, loop or if. */
  end(): this {
    this.code.push(0x0b);
    return this;
  }

  /** `br depth`. */
  br(depth: number): this {
    this.code.push(0x0c);
    uleb(depth, this.code);
    return this;
  }

  /** `br_if depth`. */
  brIf(depth: number): this {
    this.code.push(0x0d);
    uleb(depth, this.code);
    return this;
  }

  /** Encodes the body (locals + code + final `end`) as the code section expects. */
  encodeBody(): number[] {
    const body: number[] = [];
    // Run-length groups of identical local types, as the format requires.
    const groups: { count: number; type: ValType }[] = [];
    for (const type of this.locals) {
      const last = groups[groups.length - 1];
      if (last && last.type === type) last.count++;
      else groups.push({ count: 1, type });
    }
    uleb(groups.length, body);
    for (const g of groups) {
      uleb(g.count, body);
      body.push(VALTYPE_CODE[g.type]);
    }
    for (const b of this.prologue) body.push(b);
    for (const b of this.code) body.push(b);
    body.push(0x0b);
    const sized: number[] = [];
    uleb(body.length, sized);
    return sized.concat(body);
  }

  private memOp(opcode: number, alignLog2: number, offset: number): this {
    this.code.push(opcode);
    uleb(alignLog2, this.code);
    uleb(offset, this.code);
    return this;
  }

  private simdMemOp(opcode: number, offset: number): this {
    this.code.push(0xfd);
    uleb(opcode, this.code);
    uleb(2, this.code);
    uleb(offset, this.code);
    return this;
  }
}

function section(id: number, content: number[], out: number[]): void {
  out.push(id);
  uleb(content.length, out);
  for (const b of content) out.push(b);
}

/** Assembles a module that imports `env.memory` and exports every function by name. */
export function assembleModule(functions: FunctionBuilder[]): Uint8Array<ArrayBuffer> {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const signatures: string[] = [];
  const typeIndex: number[] = [];
  const types: number[] = [];
  for (const fn of functions) {
    const key = `${fn.params.join(',')}->${fn.results.join(',')}`;
    let idx = signatures.indexOf(key);
    if (idx < 0) {
      idx = signatures.length;
      signatures.push(key);
      types.push(0x60);
      uleb(fn.params.length, types);
      for (const p of fn.params) types.push(VALTYPE_CODE[p]);
      uleb(fn.results.length, types);
      for (const r of fn.results) types.push(VALTYPE_CODE[r]);
    }
    typeIndex.push(idx);
  }
  const typeSection: number[] = [];
  uleb(signatures.length, typeSection);
  section(1, typeSection.concat(types), out);

  const imports: number[] = [];
  uleb(1, imports);
  encodeString('env', imports);
  encodeString('memory', imports);
  imports.push(0x02, 0x00);
  uleb(1, imports);
  section(2, imports, out);

  const funcs: number[] = [];
  uleb(functions.length, funcs);
  for (const idx of typeIndex) uleb(idx, funcs);
  section(3, funcs, out);

  const exports: number[] = [];
  uleb(functions.length, exports);
  functions.forEach((fn, i) => {
    encodeString(fn.name, exports);
    exports.push(0x00);
    uleb(i, exports);
  });
  section(7, exports, out);

  const code: number[] = [];
  uleb(functions.length, code);
  for (const fn of functions) for (const b of fn.encodeBody()) code.push(b);
  section(10, code, out);
  return new Uint8Array(out);
}
