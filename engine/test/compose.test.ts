// Debian's docker-compose 1.29 (docker-py) against berthd: a two-service project with a user
// network, a named volume, a published port and depends_on, brought up and torn down.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { until, useEngineWithBusybox } from './support/engine-fixture.ts';
import { freePort } from './support/free-port.ts';

const fixture = useEngineWithBusybox();
const docker = (...args: string[]) => fixture.engine.docker(args);
const project = `berthc${process.pid}`;
let dir: string | undefined;
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function compose(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('docker-compose', args, {
      cwd: dir,
      timeout: 120_000,
      env: { ...process.env, DOCKER_HOST: fixture.engine.dockerEnv.DOCKER_HOST, COMPOSE_PROJECT_NAME: project, DOCKER_CONFIG: fixture.engine.dockerEnv.DOCKER_CONFIG },
    }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('docker-compose v1', () => {
  it('brings up web + client on a user network with a named volume and a published port, and down -v leaves nothing', async () => {
    dir = mkdtempSync(join(fixture.engine.dir, 'compose-'));
    const port = await freePort();
    writeFileSync(join(dir, 'docker-compose.yml'), `version: "3.8"
services:
  web:
    image: ${fixture.busybox}
    stop_signal: SIGKILL
    command: ["sh", "-c", "echo hello-from-web > /www/index.html && exec httpd -f -p 80 -h /www"]
    ports: ["127.0.0.1:${port}:80"]
    volumes: ["webdata:/www"]
    networks: [appnet]
  client:
    image: ${fixture.busybox}
    stop_signal: SIGKILL
    command: ["sh", "-c", "until wget -q -O /tmp/got http://web/; do sleep 0.2; done; exec sleep 300"]
    depends_on: [web]
    networks: [appnet]
networks:
  appnet: {}
volumes:
  webdata: {}
`);
    const up = await compose('up', '-d');
    expect(up.code, up.stderr).toBe(0);

    const ps = await compose('ps');
    expect(ps.code, ps.stderr).toBe(0);
    expect(ps.stdout).toContain(`${project}_web_1`);
    expect(ps.stdout).toContain(`${project}_client_1`);
    expect(ps.stdout).toMatch(/Up/);

    const labels = JSON.parse((await docker('inspect', '--format', '{{json .Config.Labels}}', `${project}_web_1`)).stdout);
    expect(labels).toMatchObject({ 'com.docker.compose.project': project, 'com.docker.compose.service': 'web', 'com.docker.compose.container-number': '1', 'com.docker.compose.oneoff': 'False' });
    const listed = await docker('ps', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Names}}');
    expect(listed.stdout.trim().split('\n').sort()).toEqual([`${project}_client_1`, `${project}_web_1`]);

    expect(await httpGet(`http://127.0.0.1:${port}/`)).toBe('hello-from-web\n');
    // The client reached web by its service name over the project network.
    await until(async () => (await docker('exec', `${project}_client_1`, 'cat', '/tmp/got')).stdout === 'hello-from-web\n', 20_000);
    expect((await docker('volume', 'ls', '-q')).stdout).toContain(`${project}_webdata`);
    expect((await docker('network', 'ls', '--format', '{{.Name}}')).stdout).toContain(`${project}_appnet`);

    const down = await compose('down', '-v');
    expect(down.code, down.stderr).toBe(0);
    expect((await docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`)).stdout).toBe('');
    expect((await docker('volume', 'ls', '-q')).stdout).not.toContain(project);
    expect((await docker('network', 'ls', '--format', '{{.Name}}')).stdout).not.toContain(project);
  });
});
