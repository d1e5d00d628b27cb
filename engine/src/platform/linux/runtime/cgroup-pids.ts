// The pids of a container's processes read straight from its cgroup, for `docker top`: what
// `runc ps` does (libcontainer GetAllPids: cgroup.procs of the container's cgroup and of every
// cgroup below it) without spawning runc. The cgroup is found from the init process's own
// /proc/<pid>/cgroup, so it is the one the kernel reports, whatever path or driver made it.
// Anything unexpected answers undefined and the caller asks runc.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const ROOT = '/sys/fs/cgroup';

/** The init's cgroup directory: on v2 the "0::" line; on v1 the hierarchy of `controller`, by
 * default devices, the one runc ps walks (libcontainer/cgroups/fs GetAllPids: m.Path("devices")). */
export function cgroupDirOf(procCgroup: string, v2: boolean, controller = 'devices'): string | undefined {
  for (const line of procCgroup.split('\n')) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    const [, hierarchy, controllers, path] = match;
    if (v2 && hierarchy === '0' && controllers === '') return join(ROOT, path);
    if (!v2 && controllers.split(',').includes(controller)) return join(ROOT, controller, path);
  }
  return undefined;
}

/** The cgroup of `initPid` in `controller`'s hierarchy (v1) or the unified one (v2), if its path
 * names the container (our cgroupsPath ends with the id); undefined otherwise. */
export async function containerCgroupDir(initPid: number, id: string, v2: boolean, controller = 'devices'): Promise<string | undefined> {
  if (!(initPid > 0)) return undefined;
  const text = await readFile(`/proc/${initPid}/cgroup`, 'utf8').catch(() => '');
  const dir = cgroupDirOf(text, v2, controller);
  return dir?.endsWith(`/${id}`) ? dir : undefined;
}

async function collect(dir: string, out: number[]): Promise<void> {
  const [procs, entries] = await Promise.all([readFile(join(dir, 'cgroup.procs'), 'utf8'), readdir(dir, { withFileTypes: true })]);
  for (const line of procs.split('\n')) if (line.trim()) out.push(Number(line));
  await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => collect(join(dir, e.name), out)));
}

/**
 * Every pid in the cgroup of `initPid` and below, or undefined when that cgroup is not the
 * container's: its path must end with the container id (our cgroupsPath names it), and the init
 * must be among the pids read (a recycled pid, or an init that already exited, fails this).
 */
export async function readCgroupPids(initPid: number, id: string, v2: boolean): Promise<number[] | undefined> {
  try {
    const dir = await containerCgroupDir(initPid, id, v2);
    if (!dir) return undefined;
    const pids: number[] = [];
    await collect(dir, pids);
    return pids.includes(initPid) ? pids : undefined;
  } catch {
    return undefined;
  }
}
