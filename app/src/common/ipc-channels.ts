// Electron IPC channel names, shared by app/src/main and app/src/preload so that both sides agree
// by type. Plain data only (DESIGN.md rule 6: common imports nothing from Node or Electron).

/** Renderer → main: announces a fresh page (first load or reload); main starts a new RPC connection. */
export const RPC_HELLO_CHANNEL = 'berth:rpc-hello';
/** Both ways: the RPC protocol's messages (common/rpc-protocol.ts), one per IPC message. */
export const RPC_CHANNEL = 'berth:rpc';
/** Main → renderer: go to an app route (a hash route of renderer/routes.ts, e.g. "#/containers/abc/logs"). */
export const NAVIGATE_CHANNEL = 'berth:navigate';

export type IpcChannel = typeof RPC_HELLO_CHANNEL | typeof RPC_CHANNEL | typeof NAVIGATE_CHANNEL;

/** A hash route the main process may send over NAVIGATE_CHANNEL: "#/" then path characters only. */
export function isAppRoute(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 512 && /^#\/[A-Za-z0-9._~%\-/]*$/.test(value);
}
