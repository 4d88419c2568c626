/**
 * Where a new node goes: the nearest free spot beside the selection (right of it first, then
 * below, above, left), else near the middle of the view, never on top of another node. Pure.
 */

/** A box in canvas coordinates (top-left corner and size). */
export interface Box {
  /** Left edge. */
  x: number;
  /** Top edge. */
  y: number;
  /** Width. */
  width: number;
  /** Height. */
  height: number;
}

/** Whether two boxes overlap once each is grown by `gap` on every side. */
export function overlaps(a: Box, b: Box, gap = 0): boolean {
  return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}

/**
 * The top-left corner for a new node of `size`: beside `near` (the selection's bounding box)
 * when given, else at `centre` (the view's middle); the first free candidate on rings of
 * growing distance, keeping `gap` from every box in `taken`.
 */
export function freeSpot(taken: readonly Box[], size: { width: number; height: number }, near: Box | null, centre: [number, number], gap = 24): [number, number] {
  const start: [number, number][] = near
    ? [
        [near.x + near.width + 3 * gap, near.y],
        [near.x, near.y + near.height + gap],
        [near.x, near.y - size.height - gap],
        [near.x - size.width - 3 * gap, near.y],
      ]
    : [[centre[0] - size.width / 2, centre[1] - size.height / 2]];
  const free = (x: number, y: number): boolean => !taken.some((b) => overlaps({ x, y, width: size.width, height: size.height }, b, gap));
  const step = Math.max(20, Math.round(size.height / 2));
  for (let ring = 0; ring < 40; ring++) {
    for (const [sx, sy] of start) {
      // On each ring try straight down first, then up, then further right.
      const offsets: [number, number][] = ring === 0 ? [[0, 0]] : [[0, ring * step], [0, -ring * step], [ring * step, 0], [ring * step, ring * step]];
      for (const [dx, dy] of offsets) if (free(sx + dx, sy + dy)) return [Math.round(sx + dx), Math.round(sy + dy)];
    }
  }
  // Everything near is full: below every node.
  const bottom = Math.max(0, ...taken.map((b) => b.y + b.height));
  return [Math.round(start[0]?.[0] ?? 0), Math.round(bottom + gap)];
}

/** The bounding box of boxes, or null when there are none. */
export function boundsOf(boxes: readonly Box[]): Box | null {
  if (boxes.length === 0) return null;
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  return { x, y, width: Math.max(...boxes.map((b) => b.x + b.width)) - x, height: Math.max(...boxes.map((b) => b.y + b.height)) - y };
}

/** A corner of the canvas for the minimap, or 'none' to hide it. */
export type MinimapCorner = 'bottom-right' | 'top-right' | 'top-left' | 'bottom-left' | 'none';

/**
 * The first of `corners` where a box of `size` (in screen pixels, flush with the corner) covers
 * no node in `nodes` (screen boxes relative to the canvas of `view` size); 'none' when all do.
 */
export function freeCorner(nodes: readonly Box[], view: { width: number; height: number }, size: { width: number; height: number }, corners: readonly Exclude<MinimapCorner, 'none'>[]): MinimapCorner {
  for (const c of corners) {
    const x = c.endsWith('right') ? view.width - size.width : 0;
    const y = c.startsWith('bottom') ? view.height - size.height : 0;
    const spot = { x, y, width: size.width, height: size.height };
    if (!nodes.some((n) => overlaps(spot, n))) return c;
  }
  return 'none';
}
