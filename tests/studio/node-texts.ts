/**
 * The registered node kinds' declared Chinese text, flattened for the catalogue tests: params
 * and group headings by kind, and messages by the issue code they are emitted as.
 */
import { nodeKinds, nodeRegistry } from '../../nodes/index.ts';
import type { ParamText } from '../../src/engine/node.ts';
import { describeKinds } from '../../src/engine/service.ts';
import { nodeTexts } from '../../src/studio/i18n/index.ts';

/** The lookups' index, as the page builds it from the engine's catalog. */
export const texts = nodeTexts(describeKinds(nodeRegistry));

/** Chinese param text by kind, then param name. */
export const zhParams: Readonly<Record<string, Readonly<Record<string, ParamText>>>> = Object.fromEntries(nodeKinds.map((k) => [k.kind, k.zh?.params ?? {}]));

/** Chinese group headings by kind, then English heading (kinds without groups left out). */
export const zhParamGroups: Readonly<Record<string, Readonly<Record<string, string>>>> = Object.fromEntries(
  nodeKinds.flatMap((k) => (k.zh?.groups ? [[k.kind, k.zh.groups]] : [])),
);

/** Chinese message templates by issue code `<kind>.<code>`. */
export const zhNodeMessages: Readonly<Record<string, string>> = Object.fromEntries(
  nodeKinds.flatMap((k) => Object.entries(k.zh?.messages ?? {}).map(([code, template]) => [`${k.kind}.${code}`, template])),
);
