/**
 * Node search: the canvas's nodes and the palette's kinds matching what was typed, best first
 * (a match at the start of a word before one inside it; nodes before kinds). Pure and tested.
 */

/** One result: a node to jump to or a kind to add. */
export type SearchHit =
  | { type: 'node'; key: string; id: string; label: string }
  | { type: 'kind'; key: string; kind: string; label: string; description: string };

/** How well `query` matches `text`: 0 none, 3 whole or prefix, 2 word start, 1 inside. */
export function matchScore(text: string, query: string): number {
  const t = text.toLowerCase();
  const q = query.trim().toLowerCase();
  if (q === '') return 1;
  if (t.startsWith(q)) return 3;
  if (new RegExp(`(^|[\\s_\\-.(])${q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(t)) return 2;
  return t.includes(q) ? 1 : 0;
}

/** Nodes (by label, id or kind) and kinds (by label, English label, kind or description) matching `query`. */
export function searchNodes(
  query: string,
  nodes: readonly { id: string; kind: string; label: string }[],
  kinds: readonly { kind: string; label: string; english: string; description: string }[],
  limit = 30,
): SearchHit[] {
  const scored: { hit: SearchHit; score: number; order: number }[] = [];
  nodes.forEach((n, i) => {
    // Typing a node's exact id finds that node first.
    const exact = n.id.toLowerCase() === query.trim().toLowerCase() ? 1 : 0;
    const score = Math.max(matchScore(n.label, query), matchScore(n.id, query), matchScore(n.kind, query)) + exact;
    if (score > 0) scored.push({ hit: { type: 'node', key: n.id, id: n.id, label: n.label }, score: score + 0.5, order: i });
  });
  kinds.forEach((k, i) => {
    const score = Math.max(matchScore(k.label, query), matchScore(k.english, query), matchScore(k.kind, query), matchScore(k.description, query) > 0 ? 0.5 : 0);
    if (score > 0) scored.push({ hit: { type: 'kind', key: k.kind, kind: k.kind, label: k.label, description: k.description }, score, order: nodes.length + i });
  });
  return scored.sort((a, b) => b.score - a.score || a.order - b.order).slice(0, limit).map((s) => s.hit);
}
