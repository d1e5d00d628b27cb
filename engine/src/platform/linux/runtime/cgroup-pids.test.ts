import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCgroupV2 } from '../oci-spec/host.ts';
import { cgroupDirOf, readCgroupPids } from './cgroup-pids.ts';
import { RuncCli } from './runc.ts';
import { TOOLS } from './test-bundle.ts';
import { Harness } from './test-harness.ts';

const h = new Harness();
beforeAll(() => h.setup('berth-cgp-'));
afterAll(() => h.cleanup());

const sorted = (pids: number[]) => [...pids].sort((a, b) => a - b);

describe('cgroupDirOf', () => {
  const hybrid = '12:pids:/berth/abc\n4:memory:/x/berth/abc\n5:devices,freezer:/berth/abc\n1:name=systemd:/\n0::/\n';
  it('takes the devices hierarchy on cgroup v1 (where runc ps looks) and the 0:: line on v2', () => {
    expect(cgroupDirOf(hybrid, false)).toBe('/sys/fs/cgroup/devices/berth/abc');
    expect(cgroupDirOf(hybrid, true)).toBe('/sys/fs/cgroup/');
    expect(cgroupDirOf('0::/berth/abc\n', true)).toBe('/sys/fs/cgroup/berth/abc');
    expect(cgroupDirOf('0::/berth/abc\n', false)).toBeUndefined();
  });
});

describe('readCgroupPids', () => {
  it('lists the same processes as runc ps, children included, without runc', async () => {
    const { id, pid } = await h.create('procs', ['sh', '-c', 'sleep 1000 & sleep 1000 & wait']);
    await h.runtime.start(id);
    const runc = new RuncCli(TOOLS.runcPath, join(h.dir, 'runc'));
    const deadline = Date.now() + 15_000;
    while ((await runc.ps(id)).length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const fromCgroup = await readCgroupPids(pid, id, isCgroupV2());
    expect(fromCgroup).toBeDefined();
    expect(sorted(fromCgroup ?? [])).toEqual(sorted(await runc.ps(id)));
    expect(fromCgroup).toContain(pid);
    expect(fromCgroup).toHaveLength(3);
    // What the runtime answers `docker top` with.
    expect(sorted(await h.runtime.pids(id))).toEqual(sorted(fromCgroup ?? []));
    // The pid of another container's init (or a recycled pid) names a cgroup that is not this one's.
    expect(await readCgroupPids(pid, h.newId('other'), isCgroupV2())).toBeUndefined();
    // A process outside any container (this test's own) is refused too: runc ps answers then.
    expect(await readCgroupPids(process.pid, id, isCgroupV2())).toBeUndefined();
    expect(await readCgroupPids(0, id, isCgroupV2())).toBeUndefined();
    const exited = h.nextExit(id);
    await h.runtime.kill(id, 9, true);
    await exited;
    // The init is gone: nothing is read from a pid that may be someone else's by now.
    expect(await readCgroupPids(pid, id, isCgroupV2())).toBeUndefined();
    await h.runtime.delete(id);
  });
});
