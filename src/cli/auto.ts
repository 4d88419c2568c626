/**
 * `insight auto <file> --out DIR [--label COLUMN] [--id COLUMN] [--delimiter X] [--encoding E]`:
 * detects the file's shape and column roles, builds the whole method for it (the same document
 * the studio builds), runs it, and writes DIR/pipeline.json, DIR/roles.json and every node
 * output as `insight run` does. Exit 2 with one line when no shape fits.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { nodeRegistry } from '../../nodes/index.ts';
import { analyseFile, rolesFile, type AnalyseOptions } from '../auto/analyse.ts';
import { buildPipeline } from '../auto/pipeline.ts';
import { delimiterChoices } from '../data/csv.ts';
import { encodingChoices } from '../data/encoding.ts';
import { DataError } from '../data/issues.ts';
import { formatValue } from '../engine/errors.ts';
import { loadPipeline } from '../engine/validate.ts';
import { optionValue, runDocument, UsageError } from './insight.ts';

/** Parsed command line of `insight auto`. */
export interface AutoArgs {
  /** The data file. */
  file: string;
  /** Output folder. */
  out: string;
  /** Reading and role overrides. */
  options: AnalyseOptions;
  /** TensorFlow.js backend. */
  backend: string;
}

const DELIMITER_NAMES: ReadonlyMap<string, (typeof delimiterChoices)[number]> = new Map([
  ['comma', ','],
  ['semicolon', ';'],
  ['tab', '\t'],
  ['pipe', '|'],
  ['\\t', '\t'],
  ['space', 'whitespace'],
  ['spaces', 'whitespace'],
  [' ', 'whitespace'],
]);

/** Parses the arguments of `insight auto`; throws UsageError on a mistake. */
export function parseAutoArgs(args: readonly string[]): AutoArgs {
  let file: string | undefined;
  let out: string | undefined;
  let backend = 'wasm';
  const options: AnalyseOptions = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const next = (): string => optionValue(args, i++);
    if (arg === '--out') out = next();
    else if (arg === '--label') options.label = next();
    else if (arg === '--id') options.id = next();
    else if (arg === '--delimiter') {
      const value = next();
      const d = delimiterChoices.find((c) => c === value) ?? DELIMITER_NAMES.get(value.toLowerCase());
      if (d === undefined) throw new UsageError(`--delimiter expects one of , ; | tab whitespace (or comma, semicolon, pipe, space), got ${formatValue(value)}.`);
      options.delimiter = d;
    } else if (arg === '--encoding') {
      const value = next().toLowerCase();
      const e = encodingChoices.find((c) => c === value) ?? (value === 'gbk' || value === 'gb2312' ? 'gb18030' : value === 'utf8' ? 'utf-8' : value === 'latin1' || value === 'cp1252' ? 'windows-1252' : undefined);
      if (e === undefined) throw new UsageError(`--encoding expects one of ${encodingChoices.join(', ')} (or gbk), got ${formatValue(value)}.`);
      options.encoding = e;
    } else if (arg === '--backend') {
      const value = next();
      if (value !== 'wasm' && value !== 'cpu') throw new UsageError(`--backend expects wasm or cpu, got ${formatValue(value)}.`);
      backend = value;
    } else if (arg.startsWith('--')) throw new UsageError(`Unknown option ${arg}.`);
    else if (file === undefined) file = arg;
    else throw new UsageError(`Unexpected argument ${formatValue(arg)}.`);
  }
  if (file === undefined) throw new UsageError('Missing the data file argument: insight auto <file> --out DIR.');
  if (out === undefined) throw new UsageError('Missing --out DIR: insight auto <file> --out DIR.');
  return { file, out, options, backend };
}

/** Runs `insight auto`; returns the exit code. */
export async function autoCommand(args: readonly string[]): Promise<number> {
  const parsed = parseAutoArgs(args);
  if (!existsSync(parsed.file)) throw new UsageError(`${parsed.file}: the file does not exist.`);
  const buffer = readFileSync(parsed.file);
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let analysis;
  try {
    analysis = await analyseFile({ name: basename(parsed.file), bytes }, parsed.options);
  } catch (err) {
    if (err instanceof DataError) throw new UsageError(`${parsed.file}: ${err.message}`);
    throw err;
  }
  const built = buildPipeline(analysis.build);
  if (!built.ok) throw new UsageError(`${parsed.file}: ${built.missing}.`);
  const checked = loadPipeline(JSON.parse(JSON.stringify(built.document)), nodeRegistry);
  if (!checked.ok) throw new Error(`the built pipeline does not validate: ${checked.problems.map((p) => p.message).join('; ')}`);
  mkdirSync(parsed.out, { recursive: true });
  writeFileSync(join(parsed.out, 'pipeline.json'), `${JSON.stringify(built.document, null, 2)}\n`);
  writeFileSync(join(parsed.out, 'roles.json'), `${JSON.stringify(rolesFile(analysis), null, 2)}\n`);
  const roles = analysis.detection.roles.map((r) => `${r.role}=${r.column}`).join(', ');
  process.stderr.write(`insight auto: ${analysis.detection.shape}${analysis.detection.layout ? ` (${analysis.detection.layout})` : ''}: ${roles}${analysis.dates ? `; cutoff ${analysis.dates.cutoff}, horizon end ${analysis.dates.horizonEnd}, ${analysis.dates.steps} ${analysis.dates.period}s` : ''}\n`);
  return runDocument(checked.document, { load1: parsed.file }, parsed.out, parsed.backend, join(parsed.out, 'pipeline.json'));
}
