// One engine's state for the Engines view: GET /info (version, OS/arch, running/total
// containers in one answer), bounded by its own timeout so a remote that never answers costs its
// own row a few seconds and nobody else anything.
import type Dockerode from 'dockerode';
import type { EngineProbe } from '../../common/desktop-api.ts';
import { engineJson } from '../engine-request.ts';

export const PROBE_TIMEOUT_MS = 3000;

interface InfoAnswer {
  ServerVersion?: string;
  OperatingSystem?: string;
  OSType?: string;
  Architecture?: string;
  Containers?: number;
  ContainersRunning?: number;
}

/** The reason an engine could not be asked, in words; a timeout says so rather than "aborted". */
export function unreachableReason(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `no answer within ${timeoutMs / 1000} s`;
  const code = (error as { code?: unknown })?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOENT') return 'its socket does not exist';
  if (code === 'EACCES') return 'permission denied on its socket';
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim() || 'unknown error';
}

/** Runs `ask` with a timeout signal; turns any failure into a reason. */
export async function withEngineTimeout<T>(timeoutMs: number, ask: (signal: AbortSignal) => Promise<T>): Promise<{ value: T } | { reason: string }> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    // The race covers a client that ignores the signal (e.g. one still connecting through a tunnel).
    const value = await Promise.race([
      ask(signal),
      new Promise<never>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
    ]);
    return { value };
  } catch (error) {
    return { reason: unreachableReason(error, signal, timeoutMs) };
  }
}

export async function probeEngine(docker: () => Dockerode, timeoutMs = PROBE_TIMEOUT_MS): Promise<EngineProbe> {
  const answer = await withEngineTimeout(timeoutMs, (signal) => engineJson<InfoAnswer>(docker(), { method: 'GET', path: '/info', signal }));
  if ('reason' in answer) return { reachable: false, reason: answer.reason };
  const info = answer.value;
  return {
    reachable: true,
    version: info.ServerVersion,
    os: info.OperatingSystem || info.OSType,
    arch: info.Architecture,
    containers: info.Containers,
    running: info.ContainersRunning,
  };
}
