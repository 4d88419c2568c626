/**
 * Histogram gradient-boosted trees for binary log-loss, with the semantics of scikit-learn's
 * HistGradientBoostingClassifier: features are cut into at most `maxBins` (≤ 255) quantile bins
 * fitted on the training rows (a subsample of 200,000 when larger), missing values get bin 255
 * and each split learns which side they go; trees grow best-first up to `maxLeafNodes` leaves
 * (and `maxDepth`), a split needs `minSamplesLeaf` rows per side, gain is
 * G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ), a leaf's value is −learningRate · G/(H+λ), and early
 * stopping watches the log-loss on a stratified inner validation share (sklearn's rule: stop
 * when none of the last `nIterNoChange` iterations beat the one before them by `tol`).
 *
 * Written for speed: uint8 bins (row-major, in WebAssembly memory: src/ml/gbdt-kernels.ts builds
 * the histograms), float64 gradients and hessians read through the row index (sklearn keeps
 * float32 ones; the difference is below 1e-6 in the probabilities), a histogram built only for the smaller child of each split (the larger is
 * parent − smaller), in-place partitions of one row-index array.
 * Trees are plain arrays with per-node sample counts and hessian cover (for exact TreeSHAP).
 */
import { stratifiedHoldout } from './cross-validate.ts';
import { CELLS_PER_FEATURE, createHistogramWorkspace, type HistogramWorkspace } from './gbdt-kernels.ts';
import { KernelInputError } from './matrix.ts';
import { createRng, deriveSeed } from './random.ts';

/** The bin that holds missing values in every binned column. */
export const MISSING_BIN = 255;

/** Options of the booster (sklearn names in camelCase; defaults are sklearn's). */
export interface GbdtOptions {
  /** Boosting iterations (trees); sklearn max_iter, default 100. */
  maxIter?: number;
  /** Shrinkage applied to every leaf value; default 0.1. */
  learningRate?: number;
  /** Leaves per tree; default 31. */
  maxLeafNodes?: number;
  /** Depth cap (root = depth 0); default none (Infinity). */
  maxDepth?: number;
  /** Rows per leaf at least; default 20. */
  minSamplesLeaf?: number;
  /** L2 penalty λ on leaf values; default 0. */
  l2Regularization?: number;
  /** Quantile bins per feature for non-missing values, 2..255; default 255. */
  maxBins?: number;
  /** 'auto' (on when more than 10,000 rows, as sklearn), true or false. */
  earlyStopping?: 'auto' | boolean;
  /** Share of training rows held out (stratified) for early stopping; default 0.1. */
  validationFraction?: number;
  /** Iterations without improvement before stopping; default 10. */
  nIterNoChange?: number;
  /** Improvement that counts; default 1e-7. */
  tol?: number;
  /** Seed for the binning subsample and the early-stopping split. */
  seed?: number;
  /** false: use the JavaScript twin of the histogram kernel (tests compare the two). */
  preferNative?: boolean;
}

/** One tree as flat arrays indexed by node id (root = 0); leaves have left = right = −1. */
export interface GbdtTree {
  /** Feature index split on (−1 at leaves). */
  feature: Int32Array;
  /** Rows with bin ≤ thresholdBin go left. */
  thresholdBin: Int32Array;
  /** The same threshold in feature units: value ≤ threshold goes left. */
  threshold: Float64Array;
  /** 1 where missing values go left. */
  missingLeft: Uint8Array;
  /** Left child id or −1. */
  left: Int32Array;
  /** Right child id or −1. */
  right: Int32Array;
  /** Leaf value (shrunk) in raw log-odds; at internal nodes the value the node would have had. */
  value: Float64Array;
  /** Training rows that reached the node. */
  count: Float64Array;
  /** Sum of hessians of those rows (sklearn's sum_hessians; TreeSHAP can use count or cover). */
  cover: Float64Array;
  /** Split gain at internal nodes (0 at leaves). */
  gain: Float64Array;
}

/** A fitted booster: bin edges, baseline and trees; apply with predictGbdt. */
export interface GbdtModel {
  /** Per feature: the upper edges of its non-missing bins but the last (x ≤ edges[b] → bin ≤ b). */
  binEdges: Float64Array[];
  /** Raw log-odds before the first tree (logit of the training positive share). */
  baseline: number;
  /** The trees, in boosting order. */
  trees: GbdtTree[];
  /** Total split gain per feature over all trees. */
  featureGain: Float64Array;
  /** Training log-loss after the last iteration (sklearn computes none without early stopping; nor do we per iteration). */
  trainLoss: number;
  /** Validation log-loss after each iteration (empty without early stopping). */
  validationLoss: number[];
  /** Whether early stopping was used. */
  earlyStopped: boolean;
}

/** Progress of one boosting iteration. */
export interface GbdtIteration {
  /** Iterations done (1-based). */
  iteration: number;
  /** The iteration cap. */
  maxIter: number;
  /** Validation log-loss (NaN without early stopping). */
  validationLoss: number;
  /** Leaves of the tree just grown. */
  leaves: number;
}

type Resolved = Required<Omit<GbdtOptions, 'earlyStopping' | 'preferNative'>> & { earlyStopping: boolean };

function resolve(options: GbdtOptions, n: number): Resolved {
  const o: Resolved = {
    maxIter: options.maxIter ?? 100,
    learningRate: options.learningRate ?? 0.1,
    maxLeafNodes: options.maxLeafNodes ?? 31,
    maxDepth: options.maxDepth ?? Number.POSITIVE_INFINITY,
    minSamplesLeaf: options.minSamplesLeaf ?? 20,
    l2Regularization: options.l2Regularization ?? 0,
    maxBins: options.maxBins ?? 255,
    earlyStopping: options.earlyStopping === undefined || options.earlyStopping === 'auto' ? n > 10000 : options.earlyStopping,
    validationFraction: options.validationFraction ?? 0.1,
    nIterNoChange: options.nIterNoChange ?? 10,
    tol: options.tol ?? 1e-7,
    seed: options.seed ?? 0,
  };
  const check = (ok: boolean, name: string, value: number): void => {
    if (!ok) throw new KernelInputError('option', `${name} is ${String(value)}; see GbdtOptions for the allowed range.`);
  };
  check(Number.isInteger(o.maxIter) && o.maxIter >= 1, 'maxIter', o.maxIter);
  check(o.learningRate > 0 && Number.isFinite(o.learningRate), 'learningRate', o.learningRate);
  check(Number.isInteger(o.maxLeafNodes) && o.maxLeafNodes >= 2, 'maxLeafNodes', o.maxLeafNodes);
  check(o.maxDepth >= 1, 'maxDepth', o.maxDepth);
  check(Number.isInteger(o.minSamplesLeaf) && o.minSamplesLeaf >= 1, 'minSamplesLeaf', o.minSamplesLeaf);
  check(o.l2Regularization >= 0 && Number.isFinite(o.l2Regularization), 'l2Regularization', o.l2Regularization);
  check(Number.isInteger(o.maxBins) && o.maxBins >= 2 && o.maxBins <= 255, 'maxBins', o.maxBins);
  check(o.validationFraction > 0 && o.validationFraction < 1, 'validationFraction', o.validationFraction);
  check(Number.isInteger(o.nIterNoChange) && o.nIterNoChange >= 1, 'nIterNoChange', o.nIterNoChange);
  return o;
}

/** np.percentile(sorted, q, method='midpoint') on an ascending array. */
function midpointPercentile(sorted: Float64Array, q: number): number {
  const pos = (q / 100) * (sorted.length - 1);
  return (sorted[Math.floor(pos)]! + sorted[Math.ceil(pos)]!) / 2;
}

/**
 * Bin edges of one column from its finite values (sklearn's _find_binning_thresholds): midpoints
 * between distinct values when there are at most maxBins of them, else midpoint percentiles.
 */
export function binEdges(values: ArrayLike<number>, maxBins: number): Float64Array {
  let m = 0;
  const finite = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === v) finite[m++] = v;
  }
  const sorted = finite.subarray(0, m).sort();
  const distinct: number[] = [];
  for (let i = 0; i < m; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) {
      distinct.push(sorted[i]!);
      if (distinct.length > maxBins) break;
    }
  }
  if (distinct.length <= maxBins) {
    const edges = new Float64Array(Math.max(0, distinct.length - 1));
    for (let i = 0; i < edges.length; i++) edges[i] = (distinct[i]! + distinct[i + 1]!) / 2;
    return edges;
  }
  const out: number[] = [];
  for (let b = 1; b < maxBins; b++) {
    const t = midpointPercentile(sorted, (100 * b) / maxBins);
    if (out.length === 0 || t > out[out.length - 1]!) out.push(t);
  }
  return Float64Array.from(out);
}

/** Bins a column with fitted edges: bin = number of edges < x; NaN → MISSING_BIN. */
export function applyBinEdges(values: ArrayLike<number>, edges: Float64Array, out = new Uint8Array(values.length)): Uint8Array {
  const e = edges.length;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) {
      out[i] = MISSING_BIN;
      continue;
    }
    let lo = 0;
    let hi = e;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo;
  }
  return out;
}

function sigmoid(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

/** Mean log-loss of raw log-odds against 0/1 labels (softplus form, no clipping needed). */
function rawLogLoss(raw: Float64Array, y: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i]!;
    const sp = t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
    s += sp - y[i]! * t;
  }
  return s / raw.length;
}

/** Growable tree builder (node arrays as plain number arrays, frozen into GbdtTree at the end). */
class TreeBuilder {
  feature: number[] = [];
  thresholdBin: number[] = [];
  missingLeft: number[] = [];
  left: number[] = [];
  right: number[] = [];
  value: number[] = [];
  count: number[] = [];
  cover: number[] = [];
  gain: number[] = [];

  add(value: number, count: number, cover: number): number {
    this.feature.push(-1);
    this.thresholdBin.push(0);
    this.missingLeft.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(value);
    this.count.push(count);
    this.cover.push(cover);
    this.gain.push(0);
    return this.feature.length - 1;
  }

  freeze(edges: Float64Array[]): GbdtTree {
    const threshold = Float64Array.from(this.feature, (f, i) => {
      if (f < 0) return 0;
      const e = edges[f]!;
      const b = this.thresholdBin[i]!;
      // The last non-missing bin has no upper edge: every finite value goes left.
      return b < e.length ? e[b]! : Number.POSITIVE_INFINITY;
    });
    return {
      feature: Int32Array.from(this.feature),
      thresholdBin: Int32Array.from(this.thresholdBin),
      threshold,
      missingLeft: Uint8Array.from(this.missingLeft),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float64Array.from(this.value),
      count: Float64Array.from(this.count),
      cover: Float64Array.from(this.cover),
      gain: Float64Array.from(this.gain),
    };
  }
}

/** An open leaf of the tree being grown. */
interface Leaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  sumG: number;
  sumH: number;
  hist: Float64Array | null;
  // Best split found for it (gain ≤ 0 when none).
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  leftCount: number;
}

/**
 * Incremental booster: `step()` grows one tree (so a caller can report progress and yield to
 * cancellation between iterations); `model()` returns the fitted model so far.
 */
export class GbdtTrainer {
  /** The resolved options. */
  readonly options: Readonly<Resolved>;
  /** Iterations done. */
  iteration = 0;
  /** Whether training has stopped (cap reached or early stopping fired). */
  done = false;

  private readonly nFeatures: number;
  private readonly n: number;
  private readonly ws: HistogramWorkspace;
  private readonly bins: Uint8Array;
  private readonly binCount: Int32Array;
  private readonly edges: Float64Array[];
  private readonly y: Uint8Array;
  private readonly raw: Float64Array;
  private readonly grad: Float64Array;
  private readonly hess: Float64Array;
  private readonly index: Uint32Array;
  private readonly buffer: Uint32Array;
  private readonly valBins: Uint8Array[];
  private readonly valY: Uint8Array;
  private readonly valRaw: Float64Array;
  private readonly baseline: number;
  private readonly trees: GbdtTree[] = [];
  private readonly featureGain: Float64Array;
  private readonly validationLoss: number[] = [];
  /** The tree being grown, between slices (see advance). */
  private growing: Generator<void, void, void> | null = null;

  /**
   * `columns[f][i]` is feature f of row i (NaN = missing); `labels[i]` is 0 or 1. Throws
   * KernelInputError for ragged columns, labels other than 0/1, or a single class.
   */
  constructor(columns: readonly ArrayLike<number>[], labels: ArrayLike<number>, options: GbdtOptions = {}) {
    const nAll = labels.length;
    const F = columns.length;
    for (let f = 0; f < F; f++) {
      if (columns[f]!.length !== nAll) throw new KernelInputError('shape', `Feature ${f} has ${columns[f]!.length} rows; the labels have ${nAll}.`, null, f);
    }
    let positives = 0;
    for (let i = 0; i < nAll; i++) {
      const v = labels[i]!;
      if (v !== 0 && v !== 1) throw new KernelInputError('labels', `Label at row ${i} is ${String(v)}; expected 0 or 1.`, i);
      positives += v;
    }
    if (positives === 0 || positives === nAll) throw new KernelInputError('labels', `All ${nAll} training labels are ${positives === 0 ? 0 : 1}; boosting needs both classes.`);
    const o = resolve(options, nAll);
    this.options = o;
    this.nFeatures = F;

    let fitRows: Uint32Array;
    let valRows: Uint32Array;
    if (o.earlyStopping) {
      const held = stratifiedHoldout(Float32Array.from(labels), o.validationFraction, deriveSeed(o.seed, 'gbdt-early-stopping'));
      let nv = 0;
      for (let i = 0; i < nAll; i++) nv += held[i]!;
      fitRows = new Uint32Array(nAll - nv);
      valRows = new Uint32Array(nv);
      let a = 0;
      let b = 0;
      for (let i = 0; i < nAll; i++) {
        if (held[i] === 1) valRows[b++] = i;
        else fitRows[a++] = i;
      }
    } else {
      fitRows = new Uint32Array(nAll);
      for (let i = 0; i < nAll; i++) fitRows[i] = i;
      valRows = new Uint32Array(0);
    }
    const n = fitRows.length;
    this.n = n;
    const take = (col: ArrayLike<number>, rows: Uint32Array): Float64Array => {
      const out = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) out[i] = col[rows[i]!]!;
      return out;
    };
    // Bin edges from a seeded subsample of the fitting rows, as sklearn (subsample = 2e5).
    const subsample = 200000;
    let binRows: Uint32Array | null = null;
    if (n > subsample) {
      const rng = createRng(deriveSeed(o.seed, 'gbdt-binning'));
      const pick = Array.from(fitRows);
      for (let i = 0; i < subsample; i++) {
        const j = i + rng.int(pick.length - i);
        const t = pick[i]!;
        pick[i] = pick[j]!;
        pick[j] = t;
      }
      binRows = Uint32Array.from(pick.slice(0, subsample)).sort();
    }
    this.edges = [];
    this.valBins = [];
    const slots = Math.min(o.maxLeafNodes, Math.max(1, Math.floor(n / o.minSamplesLeaf))) + 2;
    this.ws = createHistogramWorkspace(n, F, slots, options.preferNative ?? true);
    this.bins = this.ws.bins;
    this.index = this.ws.index;
    const colBins = new Uint8Array(n);
    this.binCount = new Int32Array(F);
    for (let f = 0; f < F; f++) {
      const col = columns[f]!;
      const fitCol = valRows.length === 0 && col instanceof Float64Array ? col : take(col, fitRows);
      const edges = binEdges(binRows ? take(col, binRows) : fitCol, o.maxBins);
      this.edges.push(edges);
      this.binCount[f] = edges.length + 1;
      applyBinEdges(fitCol, edges, colBins);
      for (let i = 0, at = f; i < n; i++, at += F) this.bins[at] = colBins[i]!;
      this.valBins.push(applyBinEdges(take(col, valRows), edges));
    }
    this.y = new Uint8Array(n);
    let pos = 0;
    for (let i = 0; i < n; i++) {
      this.y[i] = labels[fitRows[i]!]!;
      pos += this.y[i]!;
    }
    this.valY = Uint8Array.from(valRows, (r) => labels[r]!);
    // A fitting share with one class cannot happen: the holdout keeps ≥ 1 of each class out of it.
    const p = Math.min(1 - 1e-12, Math.max(1e-12, pos / n));
    this.baseline = Math.log(p / (1 - p));
    this.raw = new Float64Array(n).fill(this.baseline);
    this.valRaw = new Float64Array(valRows.length).fill(this.baseline);
    this.grad = this.ws.grad;
    this.hess = this.ws.hess;
    this.buffer = new Uint32Array(n);
    this.featureGain = new Float64Array(F);
    if (o.earlyStopping) this.validationLoss.push(rawLogLoss(this.valRaw, this.valY));
  }

  /** Histogram [g, h, count] per (feature, bin) of the rows index[start, end). */
  private buildHist(start: number, end: number): Float64Array {
    const hist = this.ws.take();
    this.ws.build(hist, start, end - start);
    return hist;
  }

  /** Finds the best split of a leaf from its histogram and stores it on the leaf. */
  private findSplit(leaf: Leaf): void {
    const o = this.options;
    leaf.gain = 0;
    leaf.feature = -1;
    const count = leaf.end - leaf.start;
    const hist = leaf.hist!;
    if (count < 2 * o.minSamplesLeaf || leaf.depth >= o.maxDepth || leaf.sumH < 2e-3) return;
    const lambda = o.l2Regularization;
    const G = leaf.sumG;
    const H = leaf.sumH;
    const parent = (G * G) / (H + lambda);
    const minLeaf = o.minSamplesLeaf;
    const minHess = 1e-3;
    let bestGain = 0;
    let bestF = -1;
    let bestBin = 0;
    let bestMissLeft = false;
    let bestLeftCount = 0;
    for (let f = 0; f < this.nFeatures; f++) {
      const base = f * CELLS_PER_FEATURE;
      const nb = this.binCount[f]!;
      const mo = base + MISSING_BIN * 3;
      const mG = hist[mo]!;
      const mH = hist[mo + 1]!;
      const mC = hist[mo + 2]!;
      let gl = 0;
      let hl = 0;
      let cl = 0;
      // Thresholds 0..nb−2 with missing right and left; nb−1 (non-missing | missing) when any missing.
      const last = mC > 0 ? nb - 1 : nb - 2;
      for (let b = 0; b <= last; b++) {
        const q = base + b * 3;
        gl += hist[q]!;
        hl += hist[q + 1]!;
        cl += hist[q + 2]!;
        // Missing right.
        let cr = count - cl;
        if (cl >= minLeaf && cr >= minLeaf) {
          const hr = H - hl;
          if (hl >= minHess && hr >= minHess) {
            const gr = G - gl;
            const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
            if (gain > bestGain) {
              bestGain = gain;
              bestF = f;
              bestBin = b;
              bestMissLeft = false;
              bestLeftCount = cl;
            }
          }
        }
        if (mC > 0 && b < nb - 1) {
          // Missing left.
          const cl2 = cl + mC;
          cr = count - cl2;
          if (cl2 >= minLeaf && cr >= minLeaf) {
            const hl2 = hl + mH;
            const hr = H - hl2;
            if (hl2 >= minHess && hr >= minHess) {
              const gl2 = gl + mG;
              const gr = G - gl2;
              const gain = (gl2 * gl2) / (hl2 + lambda) + (gr * gr) / (hr + lambda) - parent;
              if (gain > bestGain) {
                bestGain = gain;
                bestF = f;
                bestBin = b;
                bestMissLeft = true;
                bestLeftCount = cl2;
              }
            }
          }
        }
      }
    }
    if (bestF < 0) return;
    leaf.gain = bestGain;
    leaf.feature = bestF;
    leaf.bin = bestBin;
    // Without missing values in this node, missing rows at prediction follow the bigger child (sklearn).
    const missingSeen = hist[bestF * CELLS_PER_FEATURE + MISSING_BIN * 3 + 2]! > 0;
    leaf.missingLeft = missingSeen ? bestMissLeft : bestLeftCount >= count - bestLeftCount;
    leaf.leftCount = bestLeftCount;
  }

  /** Moves index[start, end) so the rows going left come first; returns the boundary. */
  private partition(leaf: Leaf): number {
    const { index, buffer } = this;
    const { bins, nFeatures } = this;
    const f = leaf.feature;
    const thr = leaf.bin;
    const missLeft = leaf.missingLeft;
    let l = leaf.start;
    let r = 0;
    for (let k = leaf.start; k < leaf.end; k++) {
      const row = index[k]!;
      const b = bins[row * nFeatures + f]!;
      if (b === MISSING_BIN ? missLeft : b <= thr) index[l++] = row;
      else buffer[r++] = row;
    }
    index.set(buffer.subarray(0, r), l);
    return l;
  }

  private sums(hist: Float64Array): [number, number] {
    // Any feature's bins partition the node's rows; feature 0 gives the sums.
    let g = 0;
    let h = 0;
    for (let b = 0; b < 256; b++) {
      g += hist[b * 3]!;
      h += hist[b * 3 + 1]!;
    }
    return [g, h];
  }

  /** Grows one tree; returns false once training is done. */
  step(): boolean {
    while (this.advance() === 'split');
    return !this.done;
  }

  /**
   * One slice of work: the root of a new tree or one more split ('split'), or the tree's end
   * ('tree'); 'done' once training is done. On large tables a tree takes seconds, so a caller
   * that must answer a cancel sooner can yield between slices; `step()` runs them to a tree.
   */
  advance(): 'split' | 'tree' | 'done' {
    if (this.done) return 'done';
    this.growing ??= this.grow();
    if (!this.growing.next().done) return 'split';
    this.growing = null;
    return 'tree';
  }

  /** Grows one tree, pausing after the root's split search and after each split. */
  private *grow(): Generator<void, void, void> {
    const o = this.options;
    const { n, raw, y, grad, hess, index } = this;
    let sg = 0;
    let sh = 0;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(raw[i]!);
      grad[i] = p - y[i]!;
      hess[i] = p * (1 - p);
      index[i] = i;
    }
    for (let i = 0; i < n; i++) {
      sg += grad[i]!;
      sh += hess[i]!;
    }
    const lambda = o.l2Regularization;
    const lr = o.learningRate;
    const tree = new TreeBuilder();
    const leafValue = (g: number, h: number): number => (-lr * g) / (h + lambda);
    const root: Leaf = { node: tree.add(leafValue(sg, sh), n, sh), start: 0, end: n, depth: 0, sumG: sg, sumH: sh, hist: null, gain: 0, feature: -1, bin: 0, missingLeft: false, leftCount: 0 };
    root.hist = this.buildHist(0, n);
    this.findSplit(root);
    yield;
    const open: Leaf[] = [root];
    const closed: Leaf[] = [];
    let leaves = 1;
    while (leaves < o.maxLeafNodes) {
      let best = -1;
      for (let i = 0; i < open.length; i++) if (open[i]!.feature >= 0 && (best < 0 || open[i]!.gain > open[best]!.gain)) best = i;
      if (best < 0) break;
      const leaf = open[best]!;
      open.splice(best, 1);
      const mid = this.partition(leaf);
      const nl = mid - leaf.start;
      const nr = leaf.end - mid;
      const smallLeft = nl <= nr;
      const small = smallLeft ? this.buildHist(leaf.start, mid) : this.buildHist(mid, leaf.end);
      const big = leaf.hist!;
      // Parent − smaller child, over the bins each feature uses (its values and the missing bin).
      for (let f = 0; f < this.nFeatures; f++) {
        const base = f * CELLS_PER_FEATURE;
        const end = base + this.binCount[f]! * 3;
        for (let k = base; k < end; k++) big[k]! -= small[k]!;
        const mb = base + MISSING_BIN * 3;
        big[mb]! -= small[mb]!;
        big[mb + 1]! -= small[mb + 1]!;
        big[mb + 2]! -= small[mb + 2]!;
      }
      const histL = smallLeft ? small : big;
      const histR = smallLeft ? big : small;
      const [gL, hL] = this.sums(histL);
      const gR = leaf.sumG - gL;
      const hR = leaf.sumH - hL;
      const t = leaf.node;
      tree.feature[t] = leaf.feature;
      tree.thresholdBin[t] = leaf.bin;
      tree.missingLeft[t] = leaf.missingLeft ? 1 : 0;
      tree.gain[t] = leaf.gain;
      this.featureGain[leaf.feature]! += leaf.gain;
      const left: Leaf = { node: tree.add(leafValue(gL, hL), nl, hL), start: leaf.start, end: mid, depth: leaf.depth + 1, sumG: gL, sumH: hL, hist: histL, gain: 0, feature: -1, bin: 0, missingLeft: false, leftCount: 0 };
      const right: Leaf = { node: tree.add(leafValue(gR, hR), nr, hR), start: mid, end: leaf.end, depth: leaf.depth + 1, sumG: gR, sumH: hR, hist: histR, gain: 0, feature: -1, bin: 0, missingLeft: false, leftCount: 0 };
      tree.left[t] = left.node;
      tree.right[t] = right.node;
      leaves++;
      for (const child of [left, right]) {
        if (leaves < o.maxLeafNodes) this.findSplit(child);
        if (child.feature >= 0) open.push(child);
        else {
          this.ws.give(child.hist!);
          child.hist = null;
          closed.push(child);
        }
      }
      yield;
    }
    for (const leaf of open) {
      if (leaf.hist) this.ws.give(leaf.hist);
      leaf.hist = null;
      closed.push(leaf);
    }
    // Training raw scores move by each leaf's value for its rows.
    for (const leaf of closed) {
      const v = tree.value[leaf.node]!;
      for (let k = leaf.start; k < leaf.end; k++) raw[index[k]!]! += v;
    }
    const frozen = tree.freeze(this.edges);
    this.trees.push(frozen);
    this.iteration++;
    if (o.earlyStopping) {
      addTreeBinned(frozen, this.valBins, this.valRaw);
      this.validationLoss.push(rawLogLoss(this.valRaw, this.valY));
      if (this.shouldStop()) this.done = true;
    }
    if (this.iteration >= o.maxIter) this.done = true;
  }

  /** sklearn's _should_stop on scores = −loss (the initial loss included). */
  private shouldStop(): boolean {
    const { nIterNoChange, tol } = this.options;
    const scores = this.validationLoss;
    const ref = nIterNoChange + 1;
    if (scores.length < ref) return false;
    const reference = -scores[scores.length - ref]! + tol;
    for (let i = scores.length - ref + 1; i < scores.length; i++) if (-scores[i]! > reference) return false;
    return true;
  }

  /** Whether the WebAssembly histogram kernel runs (else its JavaScript twin). */
  get native(): boolean {
    return this.ws.native;
  }

  /** The latest progress record. */
  last(): GbdtIteration {
    const t = this.trees[this.trees.length - 1];
    let leaves = 0;
    if (t) for (let i = 0; i < t.left.length; i++) if (t.left[i]! < 0) leaves++;
    return {
      iteration: this.iteration,
      maxIter: this.options.maxIter,
      validationLoss: this.options.earlyStopping ? this.validationLoss[this.validationLoss.length - 1]! : Number.NaN,
      leaves,
    };
  }

  /** The model fitted so far. */
  model(): GbdtModel {
    return {
      binEdges: this.edges,
      baseline: this.baseline,
      trees: this.trees.slice(),
      featureGain: this.featureGain.slice(),
      trainLoss: this.iteration > 0 ? rawLogLoss(this.raw, this.y) : Number.NaN,
      validationLoss: this.options.earlyStopping ? this.validationLoss.slice(1) : [],
      earlyStopped: this.options.earlyStopping,
    };
  }
}

/** Adds one tree's values to raw scores of rows given as binned columns. */
function addTreeBinned(tree: GbdtTree, bins: readonly Uint8Array[], raw: Float64Array): void {
  const { feature, thresholdBin, missingLeft, left, right, value } = tree;
  for (let i = 0; i < raw.length; i++) {
    let node = 0;
    while (left[node]! >= 0) {
      const b = bins[feature[node]!]![i]!;
      node = (b === MISSING_BIN ? missingLeft[node] === 1 : b <= thresholdBin[node]!) ? left[node]! : right[node]!;
    }
    raw[i]! += value[node]!;
  }
}

/** Fits a booster to the end (tests and benches; nodes step a GbdtTrainer to report progress). */
export function fitGbdt(columns: readonly ArrayLike<number>[], labels: ArrayLike<number>, options: GbdtOptions = {}): GbdtModel {
  const trainer = new GbdtTrainer(columns, labels, options);
  while (trainer.step());
  return trainer.model();
}

/** Raw log-odds per row; `columns[f][i]` in feature units, NaN = missing. */
export function predictGbdtRaw(model: GbdtModel, columns: readonly ArrayLike<number>[], n = columns[0]?.length ?? 0): Float64Array {
  if (columns.length !== model.binEdges.length) throw new KernelInputError('shape', `Model was fitted on ${model.binEdges.length} features; got ${columns.length}.`);
  const bins = model.binEdges.map((edges, f) => applyBinEdges(columns[f]!, edges));
  const raw = new Float64Array(n).fill(model.baseline);
  for (const tree of model.trees) addTreeBinned(tree, bins, raw);
  return raw;
}

/** P(y = 1) per row. */
export function predictGbdt(model: GbdtModel, columns: readonly ArrayLike<number>[], n = columns[0]?.length ?? 0): Float64Array {
  const raw = predictGbdtRaw(model, columns, n);
  for (let i = 0; i < raw.length; i++) raw[i] = sigmoid(raw[i]!);
  return raw;
}
