// ssh:// engines as the docker CLI reaches them: Debian's sshd, started by the test on
// 127.0.0.1:<port> with its own host key and a client key the test made, in front of a berthd.
// The remote session's PATH finds the project's docker CLI and its DOCKER_HOST is the berthd's
// socket (sshd SetEnv), so `docker system dial-stdio` on the "remote" reaches that engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEngineWithBusybox } from '../../../../engine/test/support/engine-fixture.ts';
import { docker as dockerCli, DOCKER_BIN } from '../../../../engine/test/support/docker-cli.ts';
import { createDesktopBackend } from '../create-desktop-backend.ts';
import { dockerFor, parseEndpoint } from '../engine-connection.ts';
import { engineJson } from '../engine-request.ts';
import { exerciseBackend } from '../testing/remote-exercise.ts';
import { startTestSshd, type TestSshd } from '../testing/test-sshd.ts';

const fixture = useEngineWithBusybox();
let dir: string;
let sshd: TestSshd;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-ssh-'));
  sshd = await startTestSshd({
    dir: join(dir, 'sshd'),
    remoteEnv: {
      PATH: `${dirname(DOCKER_BIN)}:/usr/sbin:/usr/bin:/sbin:/bin`,
      DOCKER_HOST: `unix://${fixture.engine.socket}`,
      DOCKER_CONFIG: join(dir, 'remote-docker-config'),
    },
  });
});

afterAll(async () => {
  await sshd?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The CLI with its ssh pointed at the test's ssh_config (the CLI runs `ssh` from PATH). */
function sshCli(args: string[]) {
  return dockerCli(['-H', sshd.url, ...args], { env: { DOCKER_HOST: sshd.url, GIT_SSH_COMMAND: '', PATH: `${join(dir, 'bin')}:${process.env.PATH}` } });
}

describe('ssh:// with the docker CLI', () => {
  beforeAll(async () => {
    // The CLI has no flag for ssh options: a wrapper named ssh earlier on PATH adds -F.
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${sshd.clientConfig} "$@"\n`, { mode: 0o755 });
  });

  it('lists, runs, streams logs and opens a terminal through ssh', async () => {
    const ps = await sshCli(['ps', '-a']);
    expect(ps.code, ps.stderr + sshd.stderr()).toBe(0);
    const name = `ssh-cli-${process.pid}`;
    const run = await sshCli(['run', '--name', name, fixture.busybox, 'sh', '-c', 'echo one; echo two']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('one\ntwo\n');
    const logs = await sshCli(['logs', '-f', name]);
    expect(logs.stdout).toBe('one\ntwo\n');
    const idle = `ssh-cli-idle-${process.pid}`;
    expect((await sshCli(['run', '-d', '--name', idle, fixture.busybox, 'sleep', '600'])).code).toBe(0);
    // exec with a TTY (-t) but no terminal on our side: the CLI still hijacks and relays.
    const exec = await sshCli(['exec', '-t', idle, 'sh', '-c', 'echo tty:$(tty | cut -c1-8)']);
    expect(exec.code, exec.stderr).toBe(0);
    expect(exec.stdout).toMatch(/tty:\/dev\/pt/);
    await sshCli(['rm', '-f', name, idle]);
  });
});

describe('ssh:// in the backend', () => {
  it('parses ssh://[user@]host[:port] and refuses what ssh would misread', () => {
    expect(parseEndpoint('ssh://ann@build.example:2222')).toEqual({ kind: 'ssh', user: 'ann', host: 'build.example', port: 2222 });
    expect(parseEndpoint('ssh://build.example')).toEqual({ kind: 'ssh', host: 'build.example' });
    expect(() => parseEndpoint('ssh://-oProxyCommand=x')).toThrow(/needs a host|invalid/);
    expect(() => parseEndpoint('ssh://ann:secret@h')).toThrow(/password/);
    expect(() => parseEndpoint('ssh://h/path')).toThrow(/must be just ssh:/);
  });

  it('lists, runs, follows logs and events, and opens a terminal (exec with a tty)', async () => {
    const settingsDir = mkdtempSync(join(dir, 'settings-'));
    const backend = createDesktopBackend({ settingsDir, endpoint: sshd.url, dial: { ssh: { extraArgs: ['-F', sshd.clientConfig] } }, hostTerminal: false, shell: 'dashboard' });
    try {
      await exerciseBackend(backend, fixture.busybox, `ssh${process.pid}`, (args) => fixture.engine.docker(args));
    } finally {
      await backend.dispose();
    }
  });

  it('runs the docker CLI (stack rm) through the same ssh options: the remote engine\'s own answer comes back', async () => {
    const backend = createDesktopBackend({ settingsDir: mkdtempSync(join(dir, 'settings-')), endpoint: sshd.url, dial: { ssh: { extraArgs: ['-F', sshd.clientConfig] } }, hostTerminal: false, shell: 'dashboard' });
    try {
      // Without the backend's -F, the CLI's ssh knows neither the test's key nor its host key.
      await expect(backend.calls.removeStack('web')).rejects.toThrow(/not a swarm manager/i);
    } finally {
      await backend.dispose();
    }
  });

  it('fails with ssh’s own words when ssh cannot log in', async () => {
    // No -F: the test's key and known host are unknown to ssh, so it refuses (BatchMode: no prompt).
    const docker = dockerFor(parseEndpoint(sshd.url), { ssh: { extraArgs: ['-F', '/dev/null', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=no', '-o', 'IdentityFile=/dev/null', '-o', 'IdentitiesOnly=yes', '-o', 'IdentityAgent=none'] } });
    const failure = await engineJson(docker, { method: 'GET', path: '/_ping' }).then(() => undefined, (error: unknown) => error as { statusCode?: number; message: string });
    expect(failure?.statusCode).toBe(503);
    expect(failure?.message).toMatch(new RegExp(`The engine at ${sshd.url.replace(/[.]/g, '\\.')} is not reachable: ssh .* exited with exit status 255: [\\s\\S]*Permission denied \\(publickey\\)`));
  });
});
