// Process facts from /proc: resident memory and parent/child links. Read directly (not `ps`) so
// the number is exactly the kernel's VmRSS for the pid, sampled at a known moment.
import { readdirSync, readFileSync } from 'node:fs';

/** VmRSS of a pid in KiB, or undefined if the process is gone. */
export function vmRssKiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** True while the pid runs; a zombie (exited, not yet reaped by its parent) counts as gone. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export interface ProcInfo {
  pid: number;
  ppid: number;
  /** argv[0] basename. */
  name: string;
  cmdline: string[];
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 4 (ppid) follows "pid (comm) state"; comm may contain spaces or parens, so cut at the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const name = (cmdline[0] ?? '').split('/').pop() ?? '';
    return { pid, ppid, name, cmdline };
  } catch {
    return undefined; // Exited while we looked.
  }
}

export function allProcesses(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const info = readProc(Number(d));
    if (info) out.push(info);
  }
  return out;
}

/** Every live descendant of pid (children, grandchildren, …). */
export function descendants(pid: number): ProcInfo[] {
  const procs = allProcesses();
  const found: ProcInfo[] = [];
  const frontier = [pid];
  while (frontier.length) {
    const parent = frontier.pop() as number;
    for (const p of procs) {
      if (p.ppid === parent) {
        found.push(p);
        frontier.push(p.pid);
      }
    }
  }
  return found;
}

/** Processes whose command line mentions `needle` (e.g. a private exec root). */
export function processesMentioning(needle: string): ProcInfo[] {
  return allProcesses().filter((p) => p.pid !== process.pid && p.cmdline.some((a) => a.includes(needle)));
}

export async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}
