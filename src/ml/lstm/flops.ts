/** FLOP counts used by the benchmark to express training speed as GFLOP/s. */

/**
 * Forward FLOPs per sequence: for each layer and step, the two matmuls 2·4H·(D + H), the bias
 * add 4H and the cell update 4H (f·c, i·g, their sum, o·tanh c); then the dense output 2H.
 * Transcendental functions (sigmoid, tanh) are not counted, so the figure is conservative.
 */
export function lstmForwardFlops(steps: number, features: number, units: number, layers: number): number {
  let perStep = 0;
  for (let l = 0; l < layers; l++) {
    const D = l === 0 ? features : units;
    perStep += 8 * units * (D + units) + 4 * units + 4 * units;
  }
  return steps * perStep + 2 * units;
}
