// The docker context Berth writes, read back by the real docker CLI (the project's, Debian's 20.10)
// in a private DOCKER_CONFIG: it must be a context the CLI lists and resolves to our endpoint, and
// writing it must never switch the user's current context.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DOCKER_BIN, docker } from '../../../../engine/test/support/docker-cli.ts';
import { contextMetaPath, contextName, writeDockerContext } from './docker-context.ts';

const dir = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-docker-context-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the berth docker context', () => {
  it('is named berth for ~/.berth and berth-<basename> for another home', () => {
    expect(contextName('/home/ada/.berth', '/home/ada')).toBe('berth');
    expect(contextName('/tmp/berth-vm-home-x1/', '/home/ada')).toBe('berth-berth-vm-home-x1');
    expect(contextName('/tmp/a b', '/home/ada')).toBe('berth-a-b');
  });

  it('written into an empty DOCKER_CONFIG, the docker CLI lists it and resolves it to the socket', async () => {
    const config = join(dir, 'fresh');
    const env = { DOCKER_CONFIG: config };
    const path = writeDockerContext('berth-t1', 'unix:///tmp/t1/run/docker.sock', 'Berth VM (/tmp/t1)', env);
    // The directory is the SHA-256 of the name (`printf berth-t1 | sha256sum`), as the CLI looks it up.
    expect(path).toBe(join(config, 'contexts', 'meta', 'c29392054f25f3a98ce16be1bffe6c93e0baf0366ecfb2ac4499e95317f509df', 'meta.json'));
    const cli = { DOCKER_HOST: 'unix:///nonexistent.sock', DOCKER_CONFIG: config };
    const listed = await docker(['context', 'ls', '--format', '{{.Name}}|{{.Description}}|{{.DockerEndpoint}}'], { env: cli });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.split('\n')).toContain('berth-t1|Berth VM (/tmp/t1)|unix:///tmp/t1/run/docker.sock');
    const inspected = await docker(['context', 'inspect', 'berth-t1', '--format', '{{.Endpoints.docker.Host}}'], { env: cli });
    expect(inspected.code, inspected.stderr).toBe(0);
    expect(inspected.stdout.trim()).toBe('unix:///tmp/t1/run/docker.sock');
    // Only the context's own file: no config.json, so the current context is untouched.
    expect(readdirSync(config)).toEqual(['contexts']);
  });

  it("rewrites its own context in place and leaves the user's current context and other contexts alone", async () => {
    const config = join(dir, 'used');
    const env = { DOCKER_CONFIG: config };
    const mine = await docker(['context', 'create', 'mine', '--docker', 'host=unix:///tmp/mine.sock'], { env: { DOCKER_HOST: '', ...env } });
    expect(mine.code, mine.stderr).toBe(0);
    writeFileSync(join(config, 'config.json'), JSON.stringify({ currentContext: 'mine' }));
    writeDockerContext('berth', 'unix:///old/docker.sock', 'Berth VM', env);
    writeDockerContext('berth', 'unix:///new/docker.sock', 'Berth VM', env);
    expect(JSON.parse(readFileSync(contextMetaPath('berth', env), 'utf8'))).toEqual({
      Name: 'berth', Metadata: { Description: 'Berth VM' }, Endpoints: { docker: { Host: 'unix:///new/docker.sock', SkipTLSVerify: false } },
    });
    expect(JSON.parse(readFileSync(join(config, 'config.json'), 'utf8'))).toEqual({ currentContext: 'mine' });
    // DOCKER_HOST unset (even empty, the CLI would take it as the current choice), so the CLI
    // marks the current context from config.json.
    const cliEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    delete cliEnv.DOCKER_HOST;
    const listed = spawnSync(DOCKER_BIN, ['context', 'ls', '--format', '{{.Name}} {{.Current}} {{.DockerEndpoint}}'], { env: cliEnv, encoding: 'utf8' });
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout.split('\n')).toEqual(expect.arrayContaining(['berth false unix:///new/docker.sock', 'mine true unix:///tmp/mine.sock']));
  });
});
