/** Handle ids on canvas nodes: `in:<port>` and `out:<port>`, so ports are named, never slot indexes. */

/** The handle id of an input port. */
export function inputHandle(port: string): string {
  return `in:${port}`;
}

/** The handle id of an output port. */
export function outputHandle(port: string): string {
  return `out:${port}`;
}

/** The port name of a handle id of the given side, or undefined when it is not one. */
export function handlePort(handle: string | null | undefined, side: 'in' | 'out'): string | undefined {
  if (!handle || !handle.startsWith(`${side}:`)) return undefined;
  return handle.slice(side.length + 1);
}

/** Data carried by a canvas node: only its id; everything else is read live from the studio. */
export type StudioNodeData = { nodeId: string };
