// The guest's clock follows the host's. A VM's clock stops while QEMU is stopped (QMP `stop`, a
// host that slept, a debugger) and the guest has no NTP source, so the host compares the clocks
// through the agent (`status` carries the guest's Date.now()) and sets the guest's when they are
// more than half a second apart. The forwarder checks periodically (resume events can be missed);
// the desktop app also checks on the host's resume (syncVmClock).
import { readFileSync } from 'node:fs';
import { askAgent } from './agent-dial.ts';
import { readState, type VmHome } from './vm-home.ts';

export interface AgentTarget {
  port: number;
  secret: string;
}

/** Drift allowed before the guest's clock is set. */
export const CLOCK_TOLERANCE_MS = 500;
/** How often the forwarder compares the clocks (BERTH_VM_CLOCK_CHECK_MS overrides it). */
export const DEFAULT_CLOCK_CHECK_MS = 30_000;

/** Guest minus host, in ms: the guest's time against the midpoint of the round trip that asked
 * for it (off by at most half the round trip). */
export async function guestClockOffset(target: AgentTarget): Promise<{ offsetMs: number; roundTripMs: number }> {
  const sent = Date.now();
  const answer = JSON.parse(await askAgent(target.port, target.secret, 'status', 15_000)) as { now?: unknown };
  const received = Date.now();
  if (typeof answer.now !== 'number') throw new Error('the VM agent does not report its clock (an older guest image)');
  return { offsetMs: answer.now - (sent + received) / 2, roundTripMs: received - sent };
}

export type ClockCheck = { action: 'kept' | 'set'; offsetMs: number };

/** Compares the clocks and sets the guest's when it is off by more than the tolerance. */
export async function syncGuestClock(target: AgentTarget): Promise<ClockCheck> {
  const { offsetMs } = await guestClockOffset(target);
  if (Math.abs(offsetMs) <= CLOCK_TOLERANCE_MS) return { action: 'kept', offsetMs };
  const answer = await askAgent(target.port, target.secret, `set-clock ${Date.now()}`, 15_000);
  if (!answer.startsWith('{')) throw new Error(`the VM agent could not set the clock: ${answer.trim()}`);
  return { action: 'set', offsetMs };
}

export function clockCheckInterval(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env.BERTH_VM_CLOCK_CHECK_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_CLOCK_CHECK_MS;
}

/** The forwarder's periodic check. `target()` is undefined while the VM is not up (resource
 * saver); a failed check is logged and tried again at the next tick. */
export function startClockSync(target: () => AgentTarget | undefined, intervalMs: number, log: (line: string) => void): () => void {
  let busy = false;
  const tick = async () => {
    const current = target();
    if (!current || busy) return;
    busy = true;
    try {
      const check = await syncGuestClock(current);
      if (check.action === 'set') log(`guest clock was ${(check.offsetMs / 1000).toFixed(3)} s off the host's: set`);
    } catch (error) {
      log(`clock check failed: ${(error as Error).message}`);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** One check of a home's running VM now (the desktop app calls it when the host resumes). */
export async function syncVmClock(home: VmHome): Promise<ClockCheck | undefined> {
  const state = readState(home);
  if (!state || state.asleepSince !== undefined) return undefined;
  return syncGuestClock({ port: state.agentPort, secret: readFileSync(home.secret, 'utf8').trim() });
}
