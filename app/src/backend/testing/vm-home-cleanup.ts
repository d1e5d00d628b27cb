// Test clean-up for a VM instance home: every QEMU and forwarder that belongs to it is killed,
// whether a state file still names it or not (a test that failed half way may have left a QEMU
// the state no longer lists). Both carry the home's path on their command line.
import { readdirSync, readFileSync } from 'node:fs';
import { processAlive } from '../engine-process-helpers.ts';

/** Pids of QEMU and forwarder processes whose command line names `homeDir`. */
export function vmProcessesOfHome(homeDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const isVmProcess = cmdline.includes('qemu-system') || cmdline.includes('forwarder-main');
    if (isVmProcess && cmdline.split('\0').some((arg) => arg.includes(homeDir)) && processAlive(Number(entry))) pids.push(Number(entry));
  }
  return pids;
}

/** SIGKILLs every QEMU and forwarder of the home and waits until they are gone. */
export async function killVmProcessesOfHome(homeDir: string): Promise<void> {
  const pids = vmProcessesOfHome(homeDir);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  const deadline = Date.now() + 10_000;
  while (pids.some((pid) => processAlive(pid)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}
