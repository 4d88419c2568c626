#!/usr/bin/env bash
# Browser half of `npm run bench -- lstm` on a machine with a real GPU: Chromium with
# Vulkan (WebGPU and WebGL on the GPU instead of SwiftShader), full data sizes on every
# backend. Untested on a real GPU so far: this repository's machine has none.
#
# Usage: scripts/bench-browser-gpu.sh [--json]
# Environment: INSIGHT_CHROMIUM (Chromium/Chrome binary, default /usr/bin/chromium),
#              INSIGHT_CHROMIUM_FLAGS (extra flags, e.g. --enable-dawn-features=...).
# Headless Chromium may need a display for Vulkan on some drivers: run under xvfb-run
# if WebGPU reports "no WebGPU adapter" in the log.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -x "${INSIGHT_CHROMIUM:-/usr/bin/chromium}" ]]; then
  echo "bench-browser-gpu: no Chromium at ${INSIGHT_CHROMIUM:-/usr/bin/chromium}; set INSIGHT_CHROMIUM." >&2
  exit 2
fi
exec npx tsx src/cli/bench.ts lstm --browser-only --gpu "$@"
