/**
 * `insight generate --customers N --seed S --out DIR [--weeks W] [--dirty RATE]`: runs the
 * sample-data simulator and streams its files into DIR with backpressure, so memory stays
 * bounded however many customers are asked for.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import {
  GenerateOptionsError,
  OUTPUT_FILES,
  generate,
  resolveOptions,
  type GenerateOptions,
  type GenerateSink,
  type Manifest,
  type OutputFile,
} from '../../sample-data/generator.ts';

const USAGE = 'Usage: insight generate --customers N --seed S --out DIR [--weeks W] [--dirty RATE]';

/** Parsed command line of `insight generate`. */
export interface GenerateArgs {
  /** Generator options. */
  options: GenerateOptions;
  /** Output folder. */
  out: string;
}

/** A command-line mistake, printed as one line. */
class FlagError extends Error {}

/** Parses `--name value` and `--name=value` flags; throws FlagError on anything else. */
export function parseGenerateArgs(argv: readonly string[]): GenerateArgs {
  const values = new Map<string, string>();
  const known = new Set(['customers', 'seed', 'out', 'weeks', 'dirty']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) throw new FlagError(`Unexpected argument ${JSON.stringify(arg)}. ${USAGE}`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!known.has(name)) throw new FlagError(`Unknown flag --${name}. ${USAGE}`);
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || value === '' || value.startsWith('--')) throw new FlagError(`--${name} needs a value.`);
    if (values.has(name)) throw new FlagError(`--${name} is given twice.`);
    values.set(name, value);
  }
  const required = (name: string): string => {
    const value = values.get(name);
    if (value === undefined) throw new FlagError(`Missing --${name}. ${USAGE}`);
    return value;
  };
  const integer = (name: string, text: string): number => {
    if (!/^\d+$/.test(text)) throw new FlagError(`--${name} must be a whole number; got ${JSON.stringify(text)}.`);
    return Number(text);
  };
  const options: GenerateOptions = {
    customers: integer('customers', required('customers')),
    seed: integer('seed', required('seed')),
  };
  const weeks = values.get('weeks');
  if (weeks !== undefined) options.weeks = integer('weeks', weeks);
  const dirty = values.get('dirty');
  if (dirty !== undefined) {
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(dirty)) throw new FlagError(`--dirty must be a number such as 0.01; got ${JSON.stringify(dirty)}.`);
    options.dirty = Number(dirty);
  }
  return { options, out: required('out') };
}

/** A sink that streams each output file into `dir`, waiting for 'drain' when a stream is full. */
export function fileSink(dir: string): { sink: GenerateSink; close: () => Promise<void> } {
  mkdirSync(dir, { recursive: true });
  const streams = new Map<OutputFile, WriteStream>();
  let failure: Error | null = null;
  for (const file of OUTPUT_FILES) {
    const stream = createWriteStream(join(dir, file));
    stream.on('error', (err) => {
      failure ??= err;
    });
    streams.set(file, stream);
  }
  const sink: GenerateSink = {
    async write(file, text) {
      if (failure) throw failure;
      const stream = streams.get(file);
      if (stream === undefined) throw new Error(`No stream for ${file}`);
      if (!stream.write(text)) await once(stream, 'drain');
    },
  };
  const close = async (): Promise<void> => {
    await Promise.all(
      [...streams.values()].map(async (stream) => {
        stream.end();
        await once(stream, 'close');
      }),
    );
    if (failure) throw failure;
  };
  return { sink, close };
}

/** Generates into a folder; resolves to the manifest. */
export async function generateToDirectory(options: GenerateOptions, dir: string): Promise<Manifest> {
  // Options are checked before any file is created, so a bad flag leaves no empty files behind.
  resolveOptions(options);
  const { sink, close } = fileSink(dir);
  try {
    return await generate(options, sink);
  } finally {
    await close();
  }
}

/** Entry point of `insight generate`; returns the exit code (2 with one line on bad flags). */
export async function generateCommand(argv: string[]): Promise<number> {
  let args: GenerateArgs;
  try {
    args = parseGenerateArgs(argv);
  } catch (err) {
    if (err instanceof FlagError) {
      process.stderr.write(`insight generate: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const began = performance.now();
  try {
    const manifest = await generateToDirectory(args.options, args.out);
    const seconds = (performance.now() - began) / 1000;
    const r = manifest.rows;
    process.stderr.write(
      `insight generate: ${manifest.options.customers} customers; ${r['customers.csv']} customer, ${r['transactions.csv']} transaction ` +
        `and ${r['events.csv']} event rows written to ${args.out} in ${seconds.toFixed(1)} s ` +
        `(base rate ${manifest.truth.base_rate}, Bayes AUC ${manifest.truth.bayes_auc}, ${manifest.dirt.total} dirty rows).\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof GenerateOptionsError) {
      process.stderr.write(`insight generate: ${err.message}\n`);
      return 2;
    }
    const reason = err instanceof Error ? err.message : String(err);
    process.stderr.write(`insight generate: could not write to ${args.out}: ${reason}\n`);
    return 1;
  }
}
