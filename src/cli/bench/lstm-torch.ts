/**
 * The PyTorch peer of the LSTM bench: the same model and shape (1,024 × 12 × 8, 50 units,
 * batch 32, Adam, BCE on logits) trained on the CPU by Debian's python3-torch, one process
 * per thread count (1 and 2) so torch.set_num_threads takes effect; samples/s over timed
 * epochs after a warm-up epoch. Skipped, with a note, when `import torch` fails.
 */
import { spawnSync } from 'node:child_process';

const SCRIPT = `
import sys, time, torch
threads, n, steps, features, units, batch, epochs = (int(a) for a in sys.argv[1:8])
torch.set_num_threads(threads)
torch.manual_seed(0)
x = torch.randn(n, steps, features)
y = (torch.rand(n, 1) < 0.5).float()
class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(features, units, batch_first=True)
        self.dense = torch.nn.Linear(units, 1)
    def forward(self, v):
        out, _ = self.lstm(v)
        return self.dense(out[:, -1, :])
model = Model()
opt = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = torch.nn.BCEWithLogitsLoss()
def epoch():
    perm = torch.randperm(n)
    for i in range(0, n, batch):
        idx = perm[i:i + batch]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
epoch()
t = time.perf_counter()
for _ in range(epochs):
    epoch()
dt = time.perf_counter() - t
print(f"{torch.__version__} {n * epochs / dt}")
`;

/** One PyTorch figure. */
export interface TorchFigure {
  /** Threads torch used. */
  threads: number;
  /** Training samples per second. */
  samplesPerSecond: number;
}

/** The python with torch, or null with the reason. */
export function findTorch(): { python: string; version: string } | { python: null; reason: string } {
  const reasons: string[] = [];
  for (const python of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return { python, version: probe.stdout.trim() };
    reasons.push(`${python}: ${(probe.stderr || String(probe.error ?? 'failed')).trim().split('\n').at(-1) ?? 'failed'}`);
  }
  return { python: null, reason: reasons.join('; ') };
}

/** Trains the bench model in PyTorch with 1 and 2 threads; null with a note when torch is absent. */
export function measureTorch(shape: { n: number; steps: number; features: number; units: number; batch: number; epochs: number }): { version: string; figures: TorchFigure[] } | { note: string } {
  const found = findTorch();
  if (found.python === null) return { note: `PyTorch peer skipped: import torch failed (${found.reason})` };
  const figures: TorchFigure[] = [];
  for (const threads of [1, 2]) {
    const args = [threads, shape.n, shape.steps, shape.features, shape.units, shape.batch, shape.epochs].map(String);
    const out = spawnSync(found.python, ['-c', SCRIPT, ...args], { encoding: 'utf8', timeout: 600_000 });
    const [, rate] = out.stdout.trim().split(' ');
    const value = Number(rate);
    if (out.status !== 0 || !Number.isFinite(value)) return { note: `PyTorch peer failed with ${threads} thread(s): ${out.stderr.slice(-300)}` };
    figures.push({ threads, samplesPerSecond: value });
  }
  return { version: found.version, figures };
}
