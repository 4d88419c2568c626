/**
 * Prints the README's node reference (markdown) from the node registry, so the reference
 * is generated from the same declarations the inspector uses:
 *   npx tsx scripts/node-reference.ts
 */
import { describeKinds } from '../src/engine/service.ts';
import { nodeRegistry } from '../nodes/index.ts';

const lines: string[] = [];
for (const kind of describeKinds(nodeRegistry)) {
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
process.stdout.write(`${lines.join('\n')}\n`);
