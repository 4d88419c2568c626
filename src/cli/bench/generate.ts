/**
 * `npm run bench -- generate [--customers N] [--dirty R]`: times the sample-data simulator
 * writing N customers (default 100,000) into a temporary folder (deleted afterwards), with
 * peak memory and rows per second, beside a baseline that writes the same number of bytes
 * from a constant buffer (the cost of the disk alone). A second case times the fake
 * personal data: the embedded lists the generator uses against @faker-js/faker.
 */
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drawPerson } from '../../../sample-data/people.ts';
import { OUTPUT_FILES } from '../../../sample-data/generator.ts';
import { createRng } from '../../ml/random.ts';
import { generateToDirectory } from '../generate.ts';
import { report, type BenchOptions } from './report.ts';
import { ownPeakRss } from './peak-rss.ts';

/** The bound for 100,000 customers. */
const TARGET_SECONDS = 30;

/** Reads `--name value` from the suite's arguments. */
function flag(argv: readonly string[], name: string, fallback: number): number {
  const at = argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(argv[at + 1]) : fallback;
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number`);
  return value;
}

/** Writes `bytes` bytes of a constant 1 MiB buffer to a file; returns the seconds taken. */
async function writeBaseline(path: string, bytes: number): Promise<number> {
  const chunk = new Uint8Array(1 << 20).fill(44);
  const began = performance.now();
  const stream = createWriteStream(path);
  for (let left = bytes; left > 0; left -= chunk.length) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    if (!stream.write(piece)) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'close');
  return (performance.now() - began) / 1000;
}

/** Runs the suite. */
export async function run(options: BenchOptions): Promise<void> {
  const customers = flag(options.argv, 'customers', 100_000);
  const dirty = flag(options.argv, 'dirty', 0);
  const dir = mkdtempSync(join(tmpdir(), 'insight-bench-generate-'));
  try {
    const rssBefore = process.memoryUsage().rss;
    const cpuBefore = process.cpuUsage();
    const began = performance.now();
    const manifest = await generateToDirectory({ customers, seed: 42, dirty }, dir);
    const seconds = (performance.now() - began) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    // The peak of this whole process (VmHWM), including what tsx loaded before.
    const peakRss = ownPeakRss();
    let bytes = 0;
    for (const file of OUTPUT_FILES) bytes += statSync(join(dir, file)).size;
    const rows = Object.values(manifest.rows).reduce((s, n) => s + n, 0);
    for (const file of OUTPUT_FILES) rmSync(join(dir, file));
    const baselineSeconds = await writeBaseline(join(dir, 'baseline.bin'), bytes);
    report(
      {
        suite: 'generate',
        case: `${customers} customers, dirty ${dirty}`,
        seconds,
        cpu_seconds: (cpu.user + cpu.system) / 1e6,
        rows,
        rows_per_s: rows / seconds,
        megabytes: bytes / 1e6,
        peak_rss_mb: peakRss / 1e6,
        rss_before_mb: rssBefore / 1e6,
        baseline_write_seconds: baselineSeconds,
        ratio_to_baseline_write: seconds / baselineSeconds,
        ratio_to_30s_target: customers === 100_000 ? seconds / TARGET_SECONDS : null,
      },
      options.json,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await benchNames(options);
}

/** Times fake personal data: embedded lists (what the generator uses) against faker. */
async function benchNames(options: BenchOptions): Promise<void> {
  const n = 20_000;
  const rng = createRng(1);
  let began = performance.now();
  let sink = 0;
  for (let i = 0; i < n; i++) sink += drawPerson(rng, 18, 80, i).email.length;
  const embeddedUs = ((performance.now() - began) * 1000) / n;
  const { Faker, en } = await import('@faker-js/faker');
  const faker = new Faker({ locale: [en] });
  began = performance.now();
  for (let i = 0; i < n; i++) {
    // Seeded per customer, as a deterministic generator would have to.
    faker.seed(i);
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    sink += faker.internet.email({ firstName, lastName }).length + faker.phone.number().length;
  }
  const fakerUs = ((performance.now() - began) * 1000) / n;
  report(
    {
      suite: 'generate',
      case: 'fake personal data per customer',
      embedded_us: embeddedUs,
      faker_us: fakerUs,
      ratio_faker_to_embedded: fakerUs / embeddedUs,
      // µs per customer × 1,000,000 customers = seconds.
      faker_seconds_for_1m_customers: fakerUs,
      embedded_seconds_for_1m_customers: embeddedUs,
      checksum: sink,
    },
    options.json,
  );
}
