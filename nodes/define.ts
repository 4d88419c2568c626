/** Everything a node file needs, in one import: the node contract and the param helpers. */
export { defineNode, optional, warning, error, requireColumns, tableColumns } from '../src/engine/node.ts';
export type { NodeContext, NodeSpec, AnyNodeSpec, SourceFile, NodeText, ParamText } from '../src/engine/node.ts';
export { number, integer, boolean, oneOf, text, date, column, columns, weights, columnChoices, conditions } from '../src/engine/params.ts';
export type { Condition, ConditionOperator, ParamValues } from '../src/engine/params.ts';
export type { Transform, Sequences, ModelValue, MetricsValue, SegmentsValue, JsonObject, JsonValue } from '../src/engine/ports.ts';
export type { ExportFile } from '../src/engine/port-codec.ts';
