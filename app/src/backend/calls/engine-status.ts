// GET /_ping + GET /version → EngineStatus: what the Engine page and the status bar show; with the
// Berth VM as the engine, the VM's side too (state, accel, resources, disk, boot stage).
import type { EngineStatus, VmDetails } from '../../common/desktop-api.ts';
import type { EngineVersion } from '../../common/docker-types.ts';
import type { BackendContext } from '../backend-context.ts';
import { engineJson } from '../engine-request.ts';
import { dockerCliExportLine } from '../engines/cli-env.ts';

const PING_TIMEOUT_MS = 3000;

/** True when the backend may start and stop the engine it currently talks to. */
export function isControllable(context: BackendContext): boolean {
  return context.localEngine !== undefined && context.localEngine.endpoint === context.target.endpoint;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms / 1000} s`), { code: 'ETIMEDOUT' })), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); }, (error) => { clearTimeout(timer); reject(error); });
  });
}

function stoppedMessage(context: BackendContext, code: string): string {
  const endpoint = context.target.endpoint;
  const what = code === 'ENOENT' ? `its socket ${endpoint.replace(/^unix:\/\//, '')} does not exist` : 'the connection was refused';
  if (isControllable(context)) {
    if (context.localEngine?.kind === 'vm') return 'The Berth VM is not running. Press Start to boot it (or run `berth vm start`).';
    return `Berth's engine is not running (${what}). Press Start to start it.`;
  }
  return `No engine answers at ${endpoint} (${what}). Start the engine there (berthd or dockerd), or switch to another endpoint.`;
}

export async function readEngineStatus(context: BackendContext): Promise<EngineStatus> {
  const endpoint = context.target.endpoint;
  const docker = context.target.docker;
  const controllable = isControllable(context);
  const own = controllable ? context.localEngine : undefined;
  // The VM's files unreadable: the engine's own answer below still counts.
  const vm: VmDetails | undefined = own ? await own.details().catch(() => undefined) : undefined;
  const base = {
    endpoint, dockerHostLine: dockerCliExportLine(context.target), controllable,
    ...(own ? { kind: own.kind } : {}), ...(vm ? { vm } : {}),
  };
  const transition = own?.transition ?? null;
  // Resource saver: the socket answers (by booting the VM), so it counts as running; a ping
  // would wake the VM for nothing.
  if (vm?.state === 'paused-by-resource-saver' && !transition) return { ...base, state: 'running' };
  try {
    await withTimeout(engineJson<unknown>(docker, { method: 'GET', path: '/_ping' }), PING_TIMEOUT_MS);
    const version = await withTimeout(engineJson<EngineVersion>(docker, { method: 'GET', path: '/version' }), PING_TIMEOUT_MS);
    // A stop in progress still answers pings until the process exits: report the transition.
    if (transition) return { ...base, state: transition, version };
    return { ...base, state: 'running', version };
  } catch (error) {
    if (transition) return { ...base, state: transition };
    // The VM booting (started by another process, or before this one) or dead: its state says more than a refused socket.
    if (vm?.state === 'starting') return { ...base, state: 'starting' };
    if (vm?.state === 'error') return { ...base, state: 'error', message: `The Berth VM stopped unexpectedly. ${vm.message ?? ''}`.trim() };
    const code = String((error as { code?: unknown }).code ?? '');
    if (code === 'ENOENT' || code === 'ECONNREFUSED') return { ...base, state: 'stopped', message: stoppedMessage(context, code) };
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, state: 'error', message: `The engine at ${endpoint} did not answer properly: ${message}` };
  }
}
