// The pool bench's ceiling worker: spins a fixed floating-point loop per message (no imports, no
// wasm), so two of these in one run show what two threads of this process get from the machine.
import { parentPort } from 'node:worker_threads';

/** The same loop as spin() in lstm-pool-ceiling.ts. */
function spin(iterations) {
  let x = 0;
  for (let i = 0; i < iterations; i++) x += Math.sqrt(i + (x % 7));
  return x;
}

parentPort?.on('message', (iterations) => parentPort?.postMessage(spin(iterations)));

// Run as a process of its own (`node spin-worker.mjs ITERATIONS`): spins once and prints the loop's wall ms.
if (!parentPort) {
  const iterations = Number(process.argv[2]);
  const t = performance.now();
  spin(iterations);
  process.stdout.write(`${performance.now() - t}\n`);
}
