// Leaves the host as it was after a berthd under test: containers survive an engine stop by design
// (conmon holds them), so the harness must remove them itself, then the mounts, cgroups and dirs.
// Everything is scoped to one engine's exec root / data root / cgroup prefix, because other test
// runs (other engineers, other files) may be using the same machine at the same time.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export interface CleanupScope {
  dataRoot: string;
  execRoot: string;
  /** Cgroup directory names starting with this (e.g. "berth-test-ab12cd") belong to this engine. */
  cgroupPrefix: string;
}

function quiet(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 });
  } catch {
    return '';
  }
}

function within(path: string, roots: string[]): boolean {
  return roots.some((r) => path === r || path.startsWith(r + '/'));
}

/** runc keeps its state under --root; `delete -f` kills the container's processes and cgroups. */
export function deleteRuncContainers(execRoot: string): void {
  const root = join(execRoot, 'runc');
  if (!existsSync(root)) return;
  for (const id of quiet('runc', ['--root', root, 'list', '-q']).split('\n').filter(Boolean)) {
    quiet('runc', ['--root', root, 'delete', '-f', id]);
  }
}

/** Kills conmon processes whose command line names this engine's exec root. */
export function killConmons(execRoot: string): void {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // Exited while we looked.
    }
    if (!(argv[0] ?? '').endsWith('conmon')) continue;
    if (!argv.some((a) => a.includes(execRoot))) continue;
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Mount points under the roots, from /proc/self/mountinfo (field 5, octal-escaped), deepest first. */
export function mountsUnder(roots: string[]): string[] {
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  const points = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => unescape(line.split(' ')[4]))
    .filter((p) => within(p, roots));
  // Deepest first; among equals, the latest mount first (mountinfo lists in mount order).
  return points
    .map((p, i) => ({ p, i, depth: p.split('/').length }))
    .sort((a, b) => b.depth - a.depth || b.i - a.i)
    .map((x) => x.p);
}

export function unmountAll(roots: string[]): void {
  // Stacked mounts on one point need several passes; lazy unmount for anything still busy.
  for (let pass = 0; pass < 5; pass++) {
    const points = mountsUnder(roots);
    if (points.length === 0) return;
    for (const p of points) {
      try {
        execFileSync('umount', [p], { stdio: 'ignore' });
      } catch {
        quiet('umount', ['-l', p]);
      }
    }
  }
}

function cgroupRoots(): string[] {
  const base = '/sys/fs/cgroup';
  if (!existsSync(base)) return [];
  // cgroup v2 has berth-test-* right under /sys/fs/cgroup; v1/hybrid under each controller.
  const roots = [base];
  for (const d of readdirSync(base, { withFileTypes: true })) if (d.isDirectory()) roots.push(join(base, d.name));
  return roots;
}

function removeCgroupTree(dir: string): void {
  for (const d of readdirSync(dir, { withFileTypes: true })) if (d.isDirectory()) removeCgroupTree(join(dir, d.name));
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      rmdirSync(dir); // cgroupfs removes a group with rmdir only, and only once it is empty.
      return;
    } catch {
      let procs: string[] = [];
      try {
        procs = readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean);
      } catch {
        return; // Removed meanwhile.
      }
      for (const pid of procs) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
      sleepSync(50);
    }
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function removeCgroups(prefix: string): void {
  for (const root of cgroupRoots()) {
    let names: string[];
    try {
      names = readdirSync(root).filter((n) => n.startsWith(prefix));
    } catch {
      continue;
    }
    for (const n of names) {
      try {
        removeCgroupTree(join(root, n));
      } catch {
        // Best effort: a leftover empty cgroup does no harm to the next run.
      }
    }
  }
}

/** Runs every step in the order that lets the next one succeed; each step is best effort. */
export function cleanupEngine(scope: CleanupScope): void {
  deleteRuncContainers(scope.execRoot);
  killConmons(scope.execRoot);
  unmountAll([scope.dataRoot, scope.execRoot]);
  removeCgroups(scope.cgroupPrefix);
}
