import { describe, expect, it } from 'vitest';
import { assembleMounts, defaultMounts, initMount, mergeTmpfsOptions, tmpfsMounts } from './mounts.ts';
import type { OciMount } from './types.ts';

const byDest = (mounts: OciMount[], d: string) => mounts.find((m) => m.destination === d);
const base = { readonlyRootfs: false, privileged: false, writableCgroups: false };

describe('default mounts', () => {
  it('are the filesystems docker run gives, in order', () => {
    const m = defaultMounts(0);
    expect(m.map((x) => `${x.destination} ${x.type}`)).toEqual([
      '/proc proc', '/dev tmpfs', '/dev/pts devpts', '/sys sysfs', '/sys/fs/cgroup cgroup', '/dev/mqueue mqueue', '/dev/shm tmpfs',
    ]);
    expect(byDest(m, '/dev')?.options).toEqual(['nosuid', 'strictatime', 'mode=755', 'size=65536k']);
    expect(byDest(m, '/dev/pts')?.options).toEqual(['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5']);
    expect(byDest(m, '/sys')?.options).toContain('ro');
    expect(byDest(m, '/sys/fs/cgroup')?.options).toContain('ro');
  });

  it('size /dev/shm at 64 MiB unless ShmSize says otherwise', () => {
    expect(byDest(defaultMounts(0), '/dev/shm')?.options).toEqual(['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=67108864']);
    expect(byDest(defaultMounts(128 * 1024 * 1024), '/dev/shm')?.options).toContain('size=134217728');
  });
});

describe('tmpfs mounts', () => {
  it('default to noexec,nosuid,nodev,rprivate and let the user override', () => {
    expect(tmpfsMounts({ '/run': '' })).toEqual([{ destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['noexec', 'nosuid', 'nodev', 'rprivate'] }]);
    expect(tmpfsMounts({ '/run': 'exec,size=64m,mode=1777' })[0].options).toEqual(['nosuid', 'nodev', 'rprivate', 'exec', 'size=64m', 'mode=1777']);
  });

  it('keep only the last of conflicting options', () => {
    expect(mergeTmpfsOptions(['size=1m', 'ro', 'rw', 'size=2m', 'shared', 'rslave'])).toEqual(['rw', 'size=2m', 'rslave']);
  });

  it('reject bad options and relative paths', () => {
    expect(() => tmpfsMounts({ '/run': 'bogus' })).toThrow(/invalid tmpfs option "bogus"/);
    expect(() => tmpfsMounts({ run: '' })).toThrow(/must be absolute/);
  });
});

describe('assembleMounts', () => {
  const hosts: OciMount = { destination: '/etc/hosts', type: 'bind', source: '/var/lib/berth/x/hosts', options: ['rbind', 'rprivate'] };

  it('appends user mounts after the defaults, parents first', () => {
    const user: OciMount[] = [
      { destination: '/data/sub', type: 'bind', source: '/a' },
      { destination: '/data', type: 'bind', source: '/b' },
      hosts,
    ];
    const out = assembleMounts({ ...base, defaults: defaultMounts(0), user });
    expect(out.slice(7).map((m) => m.destination)).toEqual(['/data', '/data/sub', '/etc/hosts']);
  });

  it('lets a user mount replace a default one, and a user /dev replace everything under it', () => {
    const shm: OciMount = { destination: '/dev/shm', type: 'bind', source: '/dev/shm' };
    let out = assembleMounts({ ...base, defaults: defaultMounts(0), user: [shm] });
    expect(out.filter((m) => m.destination === '/dev/shm')).toEqual([shm]);
    out = assembleMounts({ ...base, defaults: defaultMounts(0), user: [{ destination: '/dev', type: 'bind', source: '/dev' }] });
    expect(out.map((m) => m.destination)).toEqual(['/proc', '/sys', '/sys/fs/cgroup', '/dev']);
  });

  it('makes default mounts read-only with a read-only rootfs, except the kernel pseudo filesystems', () => {
    const defaults = [...defaultMounts(0), initMount('/usr/bin/tini-static'), { destination: '/x', type: 'tmpfs', source: 'tmpfs', options: [] }];
    const out = assembleMounts({ ...base, readonlyRootfs: true, defaults, user: [hosts] });
    expect(byDest(out, '/x')?.options).toEqual(['ro']);
    expect(byDest(out, '/dev/shm')?.options).not.toContain('ro');
    expect(byDest(out, '/proc')?.options).not.toContain('ro');
    expect(byDest(out, '/etc/hosts')?.options).toEqual(['rbind', 'rprivate']);
  });

  it('gives privileged containers a writable /sys and cgroup tree', () => {
    const out = assembleMounts({ ...base, privileged: true, writableCgroups: true, defaults: defaultMounts(0), user: [] });
    expect(byDest(out, '/sys')?.options).toEqual(['nosuid', 'noexec', 'nodev']);
    expect(byDest(out, '/sys/fs/cgroup')?.options).toEqual(['nosuid', 'noexec', 'nodev']);
  });

  it('does not share option arrays with its input', () => {
    const defaults = defaultMounts(0);
    assembleMounts({ ...base, readonlyRootfs: true, privileged: true, defaults, user: [] });
    expect(defaults).toEqual(defaultMounts(0));
  });
});
