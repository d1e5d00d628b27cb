import { describe, expect, it } from 'vitest';
import { capabilityMask } from './capabilities.ts';
import { DEFAULT_PATH } from './process-env.ts';
import { buildSpec, type BuildSpecInput } from './spec.ts';
import { HOST_V1, HOST_V2_ARM, makeRecord, ROOT_USER } from './test-support.ts';
import type { OciDevice } from './types.ts';

type Overrides = Parameters<typeof makeRecord>[0];
const build = (o: Overrides = {}, extra: Partial<BuildSpecInput> = {}) =>
  buildSpec({
    record: makeRecord(o), rootfs: '/var/lib/berth/overlay/x/merged', user: ROOT_USER,
    cgroupsPath: '/berth/x', hostname: 'c0ffee000000', host: HOST_V1, ...extra,
  });

describe('buildSpec process', () => {
  it('runs the resolved argv as root in / with Docker defaults', () => {
    const s = build();
    expect(s.ociVersion).toBe('1.0.2');
    expect(s.process).toMatchObject({
      terminal: false, args: ['/bin/sh', '-c', 'true'], cwd: '/', user: { uid: 0, gid: 0, additionalGids: [0] },
      noNewPrivileges: false, oomScoreAdj: 0,
      rlimits: [{ type: 'RLIMIT_NOFILE', soft: 1048576, hard: 1048576 }],
    });
    expect(s.process.env).toEqual([`PATH=${DEFAULT_PATH}`, 'HOSTNAME=c0ffee000000']);
    expect(capabilityMask(s.process.capabilities.effective)).toBe('00000000a80425fb');
    expect(s.process.capabilities.bounding).toEqual(s.process.capabilities.permitted);
    expect(s.process.capabilities.inheritable).toBeUndefined();
    expect(s.process.apparmorProfile).toBeUndefined();
  });

  it('honours Tty, WorkingDir, env layering, caller argv and console size', () => {
    const s = build(
      { Config: { Tty: true, WorkingDir: '/srv', Env: ['A=1'] }, HostConfig: { ConsoleSize: [40, 120] } },
      { args: ['/entry', 'cmd'], imageEnv: ['PATH=/img/bin', 'A=0', 'B=2'] },
    );
    expect(s.process).toMatchObject({ terminal: true, cwd: '/srv', args: ['/entry', 'cmd'], consoleSize: { height: 40, width: 120 } });
    expect(s.process.env).toEqual(['PATH=/img/bin', 'HOSTNAME=c0ffee000000', 'TERM=xterm', 'A=1', 'B=2']);
  });

  it('wraps the command in docker-init for HostConfig.Init', () => {
    const s = build({ HostConfig: { Init: true } }, { initPath: '/usr/bin/tini-static' });
    expect(s.process.args).toEqual(['/sbin/docker-init', '--', '/bin/sh', '-c', 'true']);
    expect(s.mounts).toContainEqual({ destination: '/sbin/docker-init', type: 'bind', source: '/usr/bin/tini-static', options: ['bind', 'ro'] });
    expect(() => build({ HostConfig: { Init: true } })).toThrow(/no init binary/);
  });

  it('rejects an empty command and a relative working directory', () => {
    expect(() => build({}, { args: [] })).toThrow('no command specified');
    expect(() => build({ Config: { WorkingDir: 'srv' } })).toThrow(/needs to be an absolute path/);
  });

  it('sets no_new_privs for SecurityOpt no-new-privileges', () => {
    expect(build({ HostConfig: { SecurityOpt: ['no-new-privileges'] } }).process.noNewPrivileges).toBe(true);
  });
});

describe('buildSpec namespaces', () => {
  const types = (s: ReturnType<typeof build>) => s.linux.namespaces.map((n) => n.type);

  it('gives a new pid, ipc, uts, mount and network namespace; cgroup only on v2', () => {
    expect(types(build({ HostConfig: { NetworkMode: 'none' } }))).toEqual(['mount', 'network', 'uts', 'pid', 'ipc']);
    expect(types(build({}, { host: HOST_V2_ARM }))).toEqual(['mount', 'network', 'uts', 'pid', 'ipc', 'cgroup']);
  });

  it('shares the host network for NetworkMode host, and joins a prepared netns when given', () => {
    expect(types(build({ HostConfig: { NetworkMode: 'host' } }))).toEqual(['mount', 'uts', 'pid', 'ipc']);
    expect(build({}, { netnsPath: '/run/netns/berth-x' }).linux.namespaces[1]).toEqual({ type: 'network', path: '/run/netns/berth-x' });
    expect(() => build({ HostConfig: { NetworkMode: 'container:abc' } })).toThrow(/network namespace/);
  });

  it('adds Docker default network sysctls only in a private netns, with HostConfig.Sysctls on top', () => {
    expect(build({ HostConfig: { Sysctls: { 'net.ipv4.ip_unprivileged_port_start': '1024', 'kernel.msgmax': '65536' } } }).linux.sysctl).toEqual({
      'net.ipv4.ping_group_range': '0 2147483647', 'net.ipv4.ip_unprivileged_port_start': '1024', 'kernel.msgmax': '65536',
    });
    expect(build({ HostConfig: { NetworkMode: 'host' } }).linux.sysctl).toEqual({});
    expect(() => build({ HostConfig: { NetworkMode: 'host', Sysctls: { 'net.core.somaxconn': '1' } } })).toThrow(/not allowed in host network namespace/);
  });
});

describe('buildSpec confinement', () => {
  it('masks and write-protects the /proc and /sys paths Docker does', () => {
    const s = build({}, { host: HOST_V2_ARM });
    expect(s.linux.maskedPaths).toEqual([
      '/proc/acpi', '/proc/asound', '/proc/interrupts', '/proc/kcore', '/proc/keys', '/proc/latency_stats',
      '/proc/sched_debug', '/proc/scsi', '/proc/timer_list', '/proc/timer_stats', '/sys/devices/virtual/powercap',
      '/sys/firmware', '/sys/devices/system/cpu/cpu0/thermal_throttle',
    ]);
    expect(s.linux.readonlyPaths).toEqual(['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger']);
    expect(build({ HostConfig: { SecurityOpt: ['systempaths=unconfined'] } }).linux.maskedPaths).toBeUndefined();
  });

  it('allows only the default device nodes through the device cgroup', () => {
    const s = build();
    expect(s.linux.resources.devices[0]).toEqual({ allow: false, access: 'rwm' });
    const allowed = s.linux.resources.devices.filter((d) => d.allow).map((d) => `${d.type} ${d.major}:${d.minor}`);
    expect(allowed).toEqual(['c 1:5', 'c 1:3', 'c 1:9', 'c 1:8', 'c 5:0', 'c 5:1']);
    expect(s.linux.resources.devices.at(-1)).toEqual({ allow: false, type: 'c', major: 10, minor: 229, access: 'rwm' });
    expect(s.linux.devices).toEqual([]);
  });

  it('applies the default seccomp profile, following CapAdd', () => {
    const s = build();
    expect(s.linux.seccomp?.defaultAction).toBe('SCMP_ACT_ERRNO');
    const mountAllowed = (x: ReturnType<typeof build>) => x.linux.seccomp?.syscalls.some((r) => r.names.includes('mount') && r.action === 'SCMP_ACT_ALLOW');
    expect(mountAllowed(s)).toBe(false);
    expect(mountAllowed(build({ HostConfig: { CapAdd: ['SYS_ADMIN'] } }))).toBe(true);
    expect(build({ HostConfig: { SecurityOpt: ['seccomp=unconfined'] } }).linux.seccomp).toBeUndefined();
  });

  it('lifts every restriction for privileged containers', () => {
    const hostDevices: OciDevice[] = [{ path: '/dev/sda', type: 'b', major: 8, minor: 0, fileMode: 0o660, uid: 0, gid: 6 }];
    const s = build({ HostConfig: { Privileged: true } }, { hostDevices });
    expect(s.process.capabilities.bounding).toEqual(HOST_V1.capabilities);
    expect(s.linux.seccomp).toBeUndefined();
    expect(s.linux.maskedPaths).toBeUndefined();
    expect(s.linux.readonlyPaths).toBeUndefined();
    expect(s.linux.resources.devices).toEqual([{ allow: true, access: 'rwm' }]);
    expect(s.linux.devices).toEqual(hostDevices);
    expect(s.mounts.find((m) => m.destination === '/sys')?.options).not.toContain('ro');
    expect(s.mounts.find((m) => m.destination === '/sys/fs/cgroup')?.options).not.toContain('ro');
  });
});

describe('buildSpec filesystem and limits', () => {
  it('roots the container at the rootfs, read-only on request, with hostname and domain', () => {
    const s = build({ Config: { Domainname: 'example.org' }, HostConfig: { ReadonlyRootfs: true } });
    expect(s.root).toEqual({ path: '/var/lib/berth/overlay/x/merged', readonly: true });
    expect(s.hostname).toBe('c0ffee000000');
    expect(s.domainname).toBe('example.org');
    expect(build().root.readonly).toBe(false);
  });

  it('adds the caller\'s bind mounts and HostConfig.Tmpfs after the defaults, shallow first', () => {
    const resolv = { destination: '/etc/resolv.conf', type: 'bind', source: '/var/lib/berth/c/x/resolv.conf', options: ['rbind', 'rprivate'] };
    const s = build({ HostConfig: { Tmpfs: { '/run': 'size=1m' }, ShmSize: 1024 * 1024 } }, { extraMounts: [resolv] });
    expect(s.mounts.map((m) => m.destination)).toEqual([
      '/proc', '/dev', '/dev/pts', '/sys', '/sys/fs/cgroup', '/dev/mqueue', '/dev/shm', '/run', '/etc/resolv.conf',
    ]);
    expect(s.mounts.find((m) => m.destination === '/dev/shm')?.options).toContain('size=1048576');
  });

  it('puts resource limits and the caller\'s cgroupsPath under linux', () => {
    const s = build({ HostConfig: { Memory: 64 * 1024 * 1024, NanoCpus: 5e8, PidsLimit: 50, Ulimits: [{ Name: 'nofile', Soft: 100, Hard: 200 }] } });
    expect(s.linux.cgroupsPath).toBe('/berth/x');
    expect(s.linux.resources.memory).toEqual({ limit: 67108864, swap: 134217728 });
    expect(s.linux.resources.cpu).toEqual({ period: 100000, quota: 50000 });
    expect(s.linux.resources.pids).toEqual({ limit: 50 });
    expect(s.process.rlimits).toEqual([{ type: 'RLIMIT_NOFILE', soft: 100, hard: 200 }]);
    const none = build();
    expect(Object.keys(none.linux.resources)).toEqual(['devices']);
  });
});

describe('buildSpec namespaces and process options from HostConfig', () => {
  it('shares the host\'s PID and UTS namespaces when asked, without a hostname of its own', () => {
    const s = build({ HostConfig: { PidMode: 'host', UTSMode: 'host', OomScoreAdj: 300 } });
    const types = s.linux.namespaces.map((n) => n.type);
    expect(types).not.toContain('pid');
    expect(types).not.toContain('uts');
    expect(s.hostname).toBeUndefined();
    expect(s.process.oomScoreAdj).toBe(300);
  });

  it('joins another container\'s PID namespace for --pid container:<id>', () => {
    expect(build({ HostConfig: { PidMode: 'container:abc' } }, { pidnsPath: '/proc/42/ns/pid' }).linux.namespaces).toContainEqual({ type: 'pid', path: '/proc/42/ns/pid' });
    expect(() => build({ HostConfig: { PidMode: 'container:abc' } })).toThrow(/PID namespace/);
    expect(build().linux.namespaces.map((n) => n.type)).toEqual(expect.arrayContaining(['pid', 'uts']));
  });
});
