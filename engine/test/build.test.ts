// `DOCKER_BUILDKIT=0 docker build` against berthd's classic builder, through the real docker CLI:
// the resulting images run and inspect as written, COPY/ADD honour their flags and
// .dockerignore, stages and build args work, the cache makes a rebuild free, and errors name
// what broke without leaving containers behind.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { useEngineWithBusybox } from './support/engine-fixture.ts';

const fixture = useEngineWithBusybox();
const docker = (...args: string[]) => fixture.engine.docker(args, { env: { DOCKER_BUILDKIT: '0' } });

function context(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(fixture.engine.dir, 'build-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

async function build(files: Record<string, string | Buffer>, ...args: string[]) {
  return docker('build', ...args, context(files));
}

async function buildOk(files: Record<string, string | Buffer>, ...args: string[]): Promise<string> {
  const result = await build(files, ...args);
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

async function run(image: string, ...cmd: string[]): Promise<string> {
  const result = await docker('run', '--rm', '--network=none', image, ...cmd);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

async function inspect(image: string): Promise<{ Id: string; Config: Record<string, unknown> }> {
  const result = await docker('image', 'inspect', image);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as Array<{ Id: string; Config: Record<string, unknown> }>)[0];
}

async function tarOf(files: Record<string, string>): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of p) chunks.push(c as Buffer);
  })();
  for (const [name, content] of Object.entries(files)) p.entry({ name, mode: 0o644 }, content);
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

describe('classic builder (docker build with DOCKER_BUILDKIT=0)', () => {
  it('builds a multi-instruction image whose config shows in inspect and in docker run', async () => {
    const out = await buildOk(
      {
        Dockerfile: [
          `FROM ${fixture.busybox}`,
          'ENV GREETING="hello world" \\',
          '    OTHER=${GREETING:-unset-before-this-line}',
          'ENV THIRD=${GREETING:+set}',
          'WORKDIR /app',
          'RUN echo "built $GREETING" > /app/made.txt && echo "builder:x:1234:1234::/app:/bin/sh" >> /etc/passwd',
          'USER builder',
          'LABEL org.example.kind=test',
          'EXPOSE 8080',
          'ENTRYPOINT ["/bin/sh", "-c"]',
          'CMD ["cat /app/made.txt; echo $OTHER $THIRD; id -u; pwd"]',
        ].join('\n'),
      },
      '-t', 'berth-build-basic:v1',
    );
    expect(out).toMatch(/Step 1\/10 : FROM /);
    expect(out).toMatch(/Running in [0-9a-f]{12}/);
    expect(out).toMatch(/Successfully built [0-9a-f]{12}/);
    expect(out).toContain('Successfully tagged berth-build-basic:v1');
    // Step images are intermediates: hidden from `docker images` as dockerd hides them, shown with -a.
    const listed = await docker('images', '--format', '{{.Repository}}:{{.Tag}}');
    expect(listed.stdout).not.toContain('<none>');
    expect((await docker('images', '-a', '--format', '{{.Repository}}')).stdout).toContain('<none>');
    const image = await inspect('berth-build-basic:v1');
    expect(image.Config.Env).toContain('GREETING=hello world');
    expect(image.Config.WorkingDir).toBe('/app');
    expect(image.Config.User).toBe('builder');
    expect(image.Config.Labels).toEqual({ 'org.example.kind': 'test' });
    expect(image.Config.ExposedPorts).toEqual({ '8080/tcp': {} });
    expect(image.Config.Entrypoint).toEqual(['/bin/sh', '-c']);
    expect(await run('berth-build-basic:v1')).toBe('built hello world\nunset-before-this-line set\n1234\n/app\n');
    const history = await docker('history', '--no-trunc', '--format', '{{.CreatedBy}}', 'berth-build-basic:v1');
    expect(history.stdout).toContain('/bin/sh -c #(nop)  CMD ["cat /app/made.txt; echo $OTHER $THIRD; id -u; pwd"]');
  });

  it('copies with --chown and globs, and leaves out what .dockerignore excludes', async () => {
    await buildOk(
      {
        Dockerfile: `FROM ${fixture.busybox}\nCOPY --chown=1000:1000 *.txt /dest/\nCOPY dir /tree/\nCOPY . /all/\n`,
        'a.txt': 'A',
        'b.txt': 'B',
        'c.md': 'C',
        'dir/sub/x.txt': 'X',
        'dir/skip.log': 'no',
        'dir/keep.log': 'yes',
        '.dockerignore': '*.md\n**/*.log\n!dir/keep.log\n',
      },
      '-t', 'berth-build-copy',
    );
    const listing = await run('berth-build-copy', 'sh', '-c', 'stat -c "%n %u:%g" /dest/*; ls /tree /tree/sub; ls -a /all; cat /tree/keep.log');
    expect(listing).toContain('/dest/a.txt 1000:1000');
    expect(listing).toContain('/dest/b.txt 1000:1000');
    expect(listing).not.toContain('c.md');
    expect(listing).not.toContain('skip.log');
    expect(listing).toContain('x.txt');
    expect(listing.trim().endsWith('yes')).toBe(true);
  });

  it('unpacks a local tar archive given to ADD', async () => {
    await buildOk({ Dockerfile: `FROM ${fixture.busybox}\nADD files.tar /unpacked/\n`, 'files.tar': await tarOf({ 'one.txt': '1', 'nested/two.txt': '2' }) }, '-t', 'berth-build-add');
    expect(await run('berth-build-add', 'cat', '/unpacked/one.txt', '/unpacked/nested/two.txt')).toBe('12');
  });

  it('builds multi-stage with COPY --from and stops at --target', async () => {
    const dockerfile = [
      'ARG BASE',
      'FROM $BASE AS builder',
      'RUN echo compiled > /artifact',
      `FROM ${fixture.busybox} AS final`,
      'COPY --from=builder /artifact /app/artifact',
      'CMD ["cat", "/app/artifact"]',
      'FROM final AS extra',
      'RUN echo extra > /extra',
    ].join('\n');
    await buildOk({ Dockerfile: dockerfile }, '--build-arg', `BASE=${fixture.busybox}`, '--target', 'final', '-t', 'berth-build-stages');
    expect(await run('berth-build-stages')).toBe('compiled\n');
    const missing = await run('berth-build-stages', 'sh', '-c', 'test -e /extra && echo present || echo absent');
    expect(missing).toBe('absent\n');
  });

  it('passes build args, including an ARG declared before FROM', async () => {
    const out = await buildOk(
      { Dockerfile: `ARG TAG_IMAGE=${fixture.busybox}\nFROM \${TAG_IMAGE}\nARG WHO=nobody\nARG UNSET\nRUN echo "who=$WHO unset=\${UNSET:-none}" > /who\n` },
      '--build-arg', 'WHO=berth', '-t', 'berth-build-args',
    );
    expect(out).toContain('Step 1/5 : ARG TAG_IMAGE=');
    expect(await run('berth-build-args', 'cat', '/who')).toBe('who=berth unset=none\n');
  });

  it('builds with a Dockerfile outside the context (-f ../Dockerfile, -f -), which the CLI sends as a tar without its end', async () => {
    // The CLI appends such a Dockerfile to the context tar and cuts off the last padding and the
    // end-of-archive blocks (moby archive.ReplaceFileTarWrapper); dockerd's Go tar reader takes it.
    const dir = context({ 'in-context.txt': 'from the context\n' });
    const dockerfile = join(mkdtempSync(join(fixture.engine.dir, 'dockerfile-')), 'Dockerfile');
    writeFileSync(dockerfile, `FROM ${fixture.busybox}\nCOPY in-context.txt /\nCMD ["cat", "/in-context.txt"]\n`);
    const outside = await docker('build', '-q', '-t', 'outside-dockerfile', '-f', dockerfile, dir);
    expect(outside.code, outside.stderr).toBe(0);
    expect(await run('outside-dockerfile')).toBe('from the context\n');
    const piped = await fixture.engine.docker(['build', '-q', '-t', 'stdin-dockerfile', '-f', '-', dir], {
      env: { DOCKER_BUILDKIT: '0' },
      input: `FROM ${fixture.busybox}\nCOPY in-context.txt /piped.txt\nCMD ["cat", "/piped.txt"]\n`,
    });
    expect(piped.code, piped.stderr).toBe(0);
    expect(await run('stdin-dockerfile')).toBe('from the context\n');
  });

  it('uses the cache for every step of an unchanged rebuild, and not with --no-cache', async () => {
    const files = { Dockerfile: `FROM ${fixture.busybox}\nCOPY data.txt /data.txt\nRUN cat /data.txt > /copy.txt\nENV X=1\n`, 'data.txt': 'payload' };
    const first = await buildOk(files, '-t', 'berth-build-cache');
    const firstId = (await inspect('berth-build-cache')).Id;
    const second = await buildOk(files, '-t', 'berth-build-cache');
    expect(first).not.toContain('Using cache');
    expect(second.match(/Using cache/g)?.length).toBe(3);
    expect(second).not.toContain('Running in');
    expect((await inspect('berth-build-cache')).Id).toBe(firstId);
    const changed = await buildOk({ ...files, 'data.txt': 'changed' }, '-t', 'berth-build-cache2');
    expect(changed.match(/Using cache/g)).toBeNull();
    const fresh = await buildOk(files, '--no-cache', '-t', 'berth-build-cache3');
    expect(fresh).not.toContain('Using cache');
    expect((await inspect('berth-build-cache3')).Id).not.toBe(firstId);
  });

  it('reports a bad Dockerfile, a missing COPY source and a failing RUN clearly; --force-rm leaves no containers', async () => {
    const bad = await build({ Dockerfile: `FROM ${fixture.busybox}\nRUN true\nFOO bar\n` });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('dockerfile parse error line 3: unknown instruction: FOO');

    const missing = await build({ Dockerfile: `FROM ${fixture.busybox}\nCOPY nope.txt /x\n` });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/COPY failed: file not found in build context.*nope\.txt/);

    const failing = await build({ Dockerfile: `FROM ${fixture.busybox}\nRUN echo before\nRUN exit 3\n` }, '--force-rm');
    expect(failing.code).toBe(3);
    expect(failing.stdout).toContain('before');
    expect(failing.stderr).toContain("The command '/bin/sh -c exit 3' returned a non-zero code: 3");
    const ps = await docker('ps', '-a', '-q');
    expect(ps.stdout.trim()).toBe('');
    // The step before the failure was cached.
    const again = await build({ Dockerfile: `FROM ${fixture.busybox}\nRUN echo before\nRUN exit 3\n` }, '--force-rm');
    expect(again.stdout).toContain('Using cache');
  });

  it('records deletions made by RUN as whiteouts, and runs ONBUILD triggers in a child build', async () => {
    await buildOk(
      { Dockerfile: `FROM ${fixture.busybox}\nRUN rm /etc/group && mkdir -p /opt/o && echo old > /opt/o/f\nRUN rm -rf /opt/o && mkdir /opt/o && echo new > /opt/o/g\nONBUILD RUN echo triggered > /onbuild.txt\n` },
      '-t', 'berth-build-parent',
    );
    expect(await run('berth-build-parent', 'sh', '-c', 'test -e /etc/group && echo present || echo gone; ls /opt/o')).toBe('gone\ng\n');
    const parent = await inspect('berth-build-parent');
    expect(parent.Config.OnBuild).toEqual(['RUN echo triggered > /onbuild.txt']);
    const out = await buildOk({ Dockerfile: 'FROM berth-build-parent\nCMD ["cat", "/onbuild.txt"]\n' }, '-t', 'berth-build-child');
    expect(out).toContain('# Executing 1 build trigger');
    expect(await run('berth-build-child')).toBe('triggered\n');
    expect((await inspect('berth-build-child')).Config.OnBuild ?? null).toBeNull();
  });

  it('serves API clients that send a gzip context as application/tar (dockerode), with --label and streamed JSON', async () => {
    const body = gzipSync(await tarOf({ Dockerfile: `FROM ${fixture.busybox}\nCOPY . /ctx/\n`, 'keep.txt': 'k', '.dockerignore': 'secret\n', secret: 's' }));
    const query = new URLSearchParams({ t: 'berth-build-api', labels: JSON.stringify({ via: 'api' }), rm: '1' });
    const response = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ socketPath: fixture.engine.socket, method: 'POST', path: `/v1.47/build?${query}`, headers: { 'Content-Type': 'application/tar', 'Content-Length': body.length } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(response.status).toBe(200);
    const lines = response.text.trim().split('\n').map((l) => JSON.parse(l) as { stream?: string; aux?: { ID: string }; error?: string });
    expect(lines.find((l) => l.error)).toBeUndefined();
    expect(lines[0].stream).toMatch(/^Step 1\/2 : FROM /);
    const aux = lines.find((l) => l.aux)?.aux;
    expect(aux?.ID).toMatch(/^sha256:[0-9a-f]{64}$/);
    const image = await inspect('berth-build-api');
    expect(image.Id).toBe(aux?.ID);
    expect(image.Config.Labels).toEqual({ via: 'api' });
    expect(await run('berth-build-api', 'sh', '-c', 'cat /ctx/keep.txt; test -e /ctx/secret && echo leaked || echo ok')).toBe('kok\n');
  });

  it('drops the build cache with docker builder prune', async () => {
    const result = await docker('builder', 'prune', '-f');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Total reclaimed space');
  });
});
