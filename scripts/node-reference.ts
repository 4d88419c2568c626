/**
 * Prints the README's node reference (markdown) from the node registry, so the reference
 * is generated from the same declarations the inspector uses:
 *   npx tsx scripts/node-reference.ts
 */
import { fileURLToPath } from 'node:url';
import { describeKinds } from '../src/engine/service.ts';
import type { NodeRegistry } from '../src/engine/validate.ts';
import { nodeRegistry } from '../nodes/index.ts';

/** The node reference of a registry, as markdown (one section per kind, in registry order). */
export function nodeReference(registry: NodeRegistry): string {
  const lines: string[] = [];
  for (const kind of describeKinds(registry)) {
    const inputs = kind.inputs.map((p) => `\`${p.name}\` (${p.type}${p.optional ? ', optional' : ''})`).join(', ') || '—';
    const outputs = kind.outputs.map((p) => `\`${p.name}\` (${p.type})`).join(', ');
    lines.push(`### ${kind.label} — \`${kind.kind}\``, '', kind.description, '', `- Inputs: ${inputs}`, `- Outputs: ${outputs}`);
    const params = kind.params.map((p) => {
      const options = p.meta.options ? ` (${p.meta.options.map((o) => (/^[\w-]+$/.test(o) ? o : JSON.stringify(o))).join(", ")})` : "";
      const def = JSON.stringify(p.default);
      return `\`${p.name}\`${options} = ${def.length > 40 ? `${def.slice(0, 37)}...` : def}`;
    });
    lines.push(`- Params: ${params.join('; ')}`, '');
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(nodeReference(nodeRegistry));
