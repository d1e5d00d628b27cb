import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPABILITIES } from './capabilities.ts';
import { BASE_ALLOWED } from './seccomp-profile.ts';
import { defaultSeccomp, seccompFromDockerProfile } from './seccomp.ts';
import type { OciSeccomp } from './types.ts';

const x64 = { arch: 'x64', kernel: [6, 1] as [number, number] };
const withCaps = (...extra: string[]) => [...DEFAULT_CAPABILITIES, ...extra];

/** Whether `name` is allowed unconditionally (an ALLOW rule without argument filters). */
const allowed = (p: OciSeccomp, name: string) =>
  p.syscalls.some((s) => s.action === 'SCMP_ACT_ALLOW' && !s.args && s.names.includes(name));
const rulesFor = (p: OciSeccomp, name: string) => p.syscalls.filter((s) => s.names.includes(name));

describe('default seccomp profile', () => {
  it('fails every unlisted syscall with EPERM', () => {
    const p = defaultSeccomp(withCaps(), x64);
    expect(p.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(p.defaultErrnoRet).toBe(1);
  });

  it('covers the native and compat ABIs of the host architecture', () => {
    expect(defaultSeccomp(withCaps(), x64).architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    expect(defaultSeccomp(withCaps(), { arch: 'arm64', kernel: [6, 1] }).architectures).toEqual(['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
  });

  it('allows the everyday syscalls and not the dangerous ones', () => {
    const p = defaultSeccomp(withCaps(), x64);
    for (const name of ['read', 'openat', 'execve', 'clone' /* filtered */, 'epoll_pwait', 'io_setup', 'setuid', 'rseq', 'name_to_handle_at']) {
      expect(rulesFor(p, name).length, name).toBeGreaterThan(0);
    }
    for (const name of ['mount', 'umount2', 'unshare', 'setns', 'reboot', 'init_module', 'kexec_load', 'bpf', 'open_by_handle_at', 'settimeofday', 'swapon']) {
      expect(rulesFor(p, name), name).toEqual([]);
    }
    expect(BASE_ALLOWED.length).toBeGreaterThan(350);
  });

  it('lets mount and namespace syscalls through only with CAP_SYS_ADMIN', () => {
    const plain = defaultSeccomp(withCaps(), x64);
    const admin = defaultSeccomp(withCaps('CAP_SYS_ADMIN'), x64);
    for (const name of ['mount', 'umount2', 'unshare', 'setns', 'sethostname', 'fsopen']) {
      expect(allowed(plain, name), name).toBe(false);
      expect(allowed(admin, name), name).toBe(true);
    }
  });

  it('restricts clone to no new namespaces and answers clone3 with ENOSYS without CAP_SYS_ADMIN', () => {
    const plain = defaultSeccomp(withCaps(), x64);
    expect(rulesFor(plain, 'clone')).toEqual([{
      names: ['clone'], action: 'SCMP_ACT_ALLOW',
      args: [{ index: 0, value: 0x7e020000, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }],
    }]);
    expect(rulesFor(plain, 'clone3')).toEqual([{ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 }]);
    const s390 = defaultSeccomp(withCaps(), { arch: 's390x', kernel: [6, 1] });
    expect(rulesFor(s390, 'clone')[0].args?.[0].index).toBe(1);
    const admin = defaultSeccomp(withCaps('CAP_SYS_ADMIN'), x64);
    expect(allowed(admin, 'clone')).toBe(true);
    expect(allowed(admin, 'clone3')).toBe(true);
    expect(rulesFor(admin, 'clone').some((r) => r.args)).toBe(false);
  });

  it('maps other capabilities to their syscalls', () => {
    const cases: Array<[string, string[]]> = [
      ['CAP_SYS_PTRACE', ['kcmp', 'pidfd_getfd', 'process_madvise']],
      ['CAP_SYS_MODULE', ['init_module', 'finit_module', 'delete_module']],
      ['CAP_SYS_TIME', ['settimeofday', 'clock_settime']],
      ['CAP_SYS_NICE', ['mbind', 'set_mempolicy']],
      ['CAP_SYS_BOOT', ['reboot']],
      ['CAP_SYSLOG', ['syslog']],
      ['CAP_BPF', ['bpf']],
      ['CAP_PERFMON', ['perf_event_open']],
      ['CAP_SYS_RAWIO', ['iopl', 'ioperm']],
      ['CAP_DAC_READ_SEARCH', ['open_by_handle_at']],
    ];
    for (const [cap, names] of cases) {
      const without = defaultSeccomp(withCaps(), x64);
      const granted = defaultSeccomp(withCaps(cap), x64);
      for (const n of names) {
        expect(allowed(without, n), `${n} without ${cap}`).toBe(false);
        expect(allowed(granted, n), `${n} with ${cap}`).toBe(true);
      }
    }
    // CAP_SYS_CHROOT is in the default set, so chroot works out of the box; dropping it closes it.
    expect(allowed(defaultSeccomp(withCaps(), x64), 'chroot')).toBe(true);
    expect(allowed(defaultSeccomp(DEFAULT_CAPABILITIES.filter((c) => c !== 'CAP_SYS_CHROOT'), x64), 'chroot')).toBe(false);
  });

  it('allows ptrace from kernel 4.8 on', () => {
    expect(allowed(defaultSeccomp(withCaps(), x64), 'ptrace')).toBe(true);
    expect(allowed(defaultSeccomp(withCaps(), { arch: 'x64', kernel: [4, 4] }), 'ptrace')).toBe(false);
  });

  it('allows only the harmless personality values', () => {
    const values = rulesFor(defaultSeccomp(withCaps(), x64), 'personality').map((r) => r.args?.[0]);
    expect(values).toEqual([0x0, 0x8, 0x20000, 0x20008, 0xffffffff].map((value) => ({ index: 0, value, op: 'SCMP_CMP_EQ' })));
  });

  it('refuses AF_ALG and AF_VSOCK sockets', () => {
    const args = rulesFor(defaultSeccomp(withCaps(), x64), 'socket').map((r) => r.args?.[0]);
    expect(args).toEqual([
      { index: 0, value: 38, op: 'SCMP_CMP_LT' },
      { index: 0, value: 39, op: 'SCMP_CMP_EQ' },
      { index: 0, value: 40, op: 'SCMP_CMP_GT' },
    ]);
  });

  it('adds architecture-specific calls only on their architecture', () => {
    expect(allowed(defaultSeccomp(withCaps(), x64), 'arch_prctl')).toBe(true);
    expect(allowed(defaultSeccomp(withCaps(), x64), 'modify_ldt')).toBe(true);
    const arm = defaultSeccomp(withCaps(), { arch: 'arm64', kernel: [6, 1] });
    expect(allowed(arm, 'arch_prctl')).toBe(false);
    expect(allowed(arm, 'set_tls')).toBe(true);
  });
});

describe('custom Docker-format seccomp profiles', () => {
  const profile = JSON.stringify({
    defaultAction: 'SCMP_ACT_ERRNO',
    defaultErrnoRet: 1,
    archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86'] }, { architecture: 'SCMP_ARCH_AARCH64', subArchitectures: [] }],
    syscalls: [
      { names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' },
      { names: ['mount'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_ADMIN'] } },
      { name: 'arch_prctl', action: 'SCMP_ACT_ALLOW', includes: { arches: ['amd64'] } },
      { names: ['chmod'], action: 'SCMP_ACT_ERRNO', errnoRet: 13, excludes: { caps: ['CAP_FOWNER'] } },
      { names: ['ptrace'], action: 'SCMP_ACT_ALLOW', includes: { minKernel: '4.8' } },
    ],
  });

  it('filters rules by capabilities, architecture and kernel', () => {
    const p = seccompFromDockerProfile(profile, withCaps(), x64) as OciSeccomp;
    expect(p.architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86']);
    expect(p.syscalls.map((s) => s.names[0])).toEqual(['read', 'arch_prctl', 'ptrace']);
    const arm = seccompFromDockerProfile(profile, withCaps('CAP_SYS_ADMIN'), { arch: 'arm64', kernel: [4, 4] }) as OciSeccomp;
    expect(arm.syscalls.map((s) => s.names[0])).toEqual(['read', 'mount']);
  });

  it('rejects malformed profiles as invalid', () => {
    expect(() => seccompFromDockerProfile('{nope', withCaps(), x64)).toThrow(/Decoding seccomp profile failed/);
    expect(() => seccompFromDockerProfile(JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86'], archMap: [{ architecture: 'SCMP_ARCH_X86_64' }] }), withCaps(), x64))
      .toThrow(/both 'architectures' and 'archMap'/);
  });
});
