import { describe, expect, it } from 'vitest';
import { containerEnv, DEFAULT_PATH, defaultNofile, processRlimits, replaceOrAppendEnv, RLIM_INFINITY, specToJson } from './process-env.ts';
import { parseSecurityOpt } from './security-opts.ts';
import { HOST_V1 } from './test-support.ts';

describe('environment', () => {
  it('starts with PATH and HOSTNAME, and TERM=xterm with a TTY', () => {
    expect(containerEnv({ hostname: 'abc', tty: false })).toEqual([`PATH=${DEFAULT_PATH}`, 'HOSTNAME=abc']);
    expect(containerEnv({ hostname: 'abc', tty: true })).toEqual([`PATH=${DEFAULT_PATH}`, 'HOSTNAME=abc', 'TERM=xterm']);
  });

  it('lets the image and then the container override, append and unset', () => {
    const env = containerEnv({ hostname: 'h', tty: true, imageEnv: ['PATH=/opt/bin', 'LANG=C.UTF-8'], env: ['LANG=de_DE', 'TERM', 'A=1=2'] });
    expect(env).toEqual(['PATH=/opt/bin', 'HOSTNAME=h', 'LANG=de_DE', 'A=1=2']);
  });

  it('replaceOrAppendEnv leaves its input alone', () => {
    const defaults = ['A=1', 'B=2'];
    expect(replaceOrAppendEnv(defaults, ['A', 'C=3'])).toEqual(['B=2', 'C=3']);
    expect(defaults).toEqual(['A=1', 'B=2']);
  });
});

describe('rlimits', () => {
  it('defaults RLIMIT_NOFILE to 1048576 soft and hard', () => {
    expect(processRlimits(null, HOST_V1)).toEqual([{ type: 'RLIMIT_NOFILE', soft: 1048576, hard: 1048576 }]);
  });

  it('keeps the default within what the engine can grant', () => {
    expect(defaultNofile({ ...HOST_V1, nrOpen: 65536 })).toBe(65536);
    const noResource = HOST_V1.capabilities.filter((c) => c !== 'CAP_SYS_RESOURCE');
    expect(defaultNofile({ capabilities: noResource, nofileHard: 20000, nrOpen: 1048576 })).toBe(20000);
    expect(defaultNofile({ ...HOST_V1, nofileHard: 20000 })).toBe(1048576);
  });

  it('takes Ulimits over the default, with -1 as unlimited', () => {
    const r = processRlimits([{ Name: 'nofile', Soft: 1024, Hard: 4096 }, { Name: 'NPROC', Soft: -1, Hard: -1 }], HOST_V1);
    expect(r).toEqual([
      { type: 'RLIMIT_NOFILE', soft: 1024, hard: 4096 },
      { type: 'RLIMIT_NPROC', soft: RLIM_INFINITY, hard: RLIM_INFINITY },
    ]);
  });

  it('rejects unknown names and soft above hard', () => {
    expect(() => processRlimits([{ Name: 'bogus', Soft: 1, Hard: 1 }], HOST_V1)).toThrow('invalid ulimit type: bogus');
    expect(() => processRlimits([{ Name: 'nofile', Soft: 10, Hard: 5 }], HOST_V1)).toThrow(/soft limit must be less than or equal/);
  });

  it('writes RLIM_INFINITY as the exact 64-bit number runc parses', () => {
    const json = specToJson({ rlimits: [{ type: 'RLIMIT_CORE', soft: RLIM_INFINITY, hard: 5 }] });
    expect(json).toContain('"soft": 18446744073709551615');
    expect(json).toContain('"hard": 5');
  });
});

describe('SecurityOpt', () => {
  it('reads no-new-privileges, seccomp, apparmor and labels like dockerd', () => {
    expect(parseSecurityOpt(null)).toEqual({ noNewPrivileges: false, seccomp: 'default', unmaskSystemPaths: false });
    expect(parseSecurityOpt(['no-new-privileges']).noNewPrivileges).toBe(true);
    expect(parseSecurityOpt(['no-new-privileges=false']).noNewPrivileges).toBe(false);
    expect(parseSecurityOpt(['no-new-privileges:true']).noNewPrivileges).toBe(true);
    expect(parseSecurityOpt(['seccomp=unconfined']).seccomp).toBe('unconfined');
    expect(parseSecurityOpt(['seccomp=builtin']).seccomp).toBe('default');
    expect(parseSecurityOpt(['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}']).seccomp).toEqual({ profile: '{"defaultAction":"SCMP_ACT_ALLOW"}' });
    expect(parseSecurityOpt(['apparmor=unconfined', 'label=disable', 'systempaths=unconfined'])).toMatchObject({ apparmorProfile: 'unconfined', unmaskSystemPaths: true });
  });

  it('rejects unknown or malformed options', () => {
    expect(() => parseSecurityOpt(['bogus'])).toThrow('invalid --security-opt 1: "bogus"');
    expect(() => parseSecurityOpt(['foo=bar'])).toThrow('invalid --security-opt 2: "foo=bar"');
    expect(() => parseSecurityOpt(['no-new-privileges=maybe'])).toThrow('invalid --security-opt 2');
  });
});
