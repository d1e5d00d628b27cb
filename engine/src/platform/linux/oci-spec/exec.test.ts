import { describe, expect, it } from 'vitest';
import { capabilityMask } from './capabilities.ts';
import { buildExecProcess, type BuildExecInput } from './exec.ts';
import { DEFAULT_PATH } from './process-env.ts';
import { HOST_V1, makeRecord, ROOT_USER } from './test-support.ts';

type Overrides = Parameters<typeof makeRecord>[0];
const exec = (o: Overrides = {}, extra: Partial<BuildExecInput> = {}) =>
  buildExecProcess({ record: makeRecord(o), args: ['ls', '-l'], user: ROOT_USER, tty: false, hostname: 'h1', host: HOST_V1, ...extra });

describe('buildExecProcess', () => {
  it('runs with the container environment, cwd and default capabilities', () => {
    const p = exec({ Config: { Env: ['A=1'], WorkingDir: '/app' } });
    expect(p).toMatchObject({ args: ['ls', '-l'], cwd: '/app', terminal: false, noNewPrivileges: false });
    expect(p.env).toEqual([`PATH=${DEFAULT_PATH}`, 'HOSTNAME=h1', 'A=1']);
    expect(capabilityMask(p.capabilities.effective)).toBe('00000000a80425fb');
    expect(p.apparmorProfile).toBeUndefined();
    expect(p.rlimits).toEqual([{ type: 'RLIMIT_NOFILE', soft: 1048576, hard: 1048576 }]);
  });

  it('merges the exec env over the container env, and takes its own TTY, cwd and user', () => {
    const p = exec({ Config: { Env: ['A=1', 'B=2'], Tty: false } }, {
      env: ['B=3', 'A'], tty: true, workingDir: '/tmp', user: { uid: 1000, gid: 1000, additionalGids: [1000] }, consoleSize: [24, 80],
    });
    expect(p.env).toEqual([`PATH=${DEFAULT_PATH}`, 'HOSTNAME=h1', 'TERM=xterm', 'B=3']);
    expect(p).toMatchObject({ terminal: true, cwd: '/tmp', user: { uid: 1000, gid: 1000 }, consoleSize: { height: 24, width: 80 } });
  });

  it('keeps the container\'s CapAdd/CapDrop and no-new-privileges', () => {
    const p = exec({ HostConfig: { CapAdd: ['NET_ADMIN'], CapDrop: ['CHOWN'], SecurityOpt: ['no-new-privileges'] } });
    expect(p.capabilities.bounding).toContain('CAP_NET_ADMIN');
    expect(p.capabilities.bounding).not.toContain('CAP_CHOWN');
    expect(p.noNewPrivileges).toBe(true);
  });

  it('grants every capability to a privileged exec', () => {
    expect(exec({}, { privileged: true }).capabilities.effective).toEqual(HOST_V1.capabilities);
  });

  it('rejects an empty command', () => {
    expect(() => exec({}, { args: [] })).toThrow('No exec command specified');
  });
});
