/**
 * Node kinds' declared messages carry their Chinese templates in their node files (`zh.messages`).
 * Chinese templates of the engine's own codes whose English text is a template filled from
 * `issue.values` (src/engine/runner.ts `blockedIssue`). The engine's other codes (document,
 * param, edge, graph, column.missing, ...) are built ad hoc and stay English.
 */
export const zhEngineMessages: Readonly<Record<string, string>> = {
  'node.blocked': '未运行：上游节点 {upstream} 没有完成。',
};
