// Classic builder (`DOCKER_BUILDKIT=0 docker build`): a 10-instruction Dockerfile whose COPY
// takes a 50 MB context, built cold (--no-cache: every RUN runs, every layer is made) and fully
// cached (an unchanged rebuild: context upload, checksums, cache lookups only), engines
// interleaved. The CLI's context upload is part of both numbers, as it is for a user.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from '../engine/test/support/docker-cli.ts';
import type { Benchmark } from './lib/benchmark.ts';
import { CommandFailed, startBench, type BenchEngine } from './lib/engines.ts';
import { Comparison, orderFor, withEngines } from './lib/comparison.ts';

const COLD_RUNS = 3;
const CACHED_RUNS = 5;
const CONTEXT_MB = 50;

function writeContext(base: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-build-'));
  mkdirSync(join(dir, 'data'));
  // Random bytes: nothing compresses, so no engine gains from a clever transport.
  for (let i = 0; i < CONTEXT_MB; i++) writeFileSync(join(dir, 'data', `blob-${i}.bin`), randomBytes(1024 * 1024));
  writeFileSync(
    join(dir, 'Dockerfile'),
    [
      `FROM ${base}`,
      'ENV APP_HOME=/srv/app',
      'WORKDIR $APP_HOME',
      'COPY data/ ./data/',
      'RUN du -s ./data > size.txt',
      'LABEL org.example.bench=build',
      'EXPOSE 8080',
      'RUN echo built > built.txt',
      'USER nobody',
      'CMD ["cat", "size.txt"]',
    ].join('\n') + '\n',
  );
  return dir;
}

async function build(e: BenchEngine, dir: string, extra: string[]): Promise<void> {
  const args = ['build', '-q', ...extra, '-t', 'berth-bench-build', dir];
  const result = await docker(args, { env: { ...e.dockerEnv, DOCKER_BUILDKIT: '0' }, timeoutMs: 300_000 });
  if (result.code !== 0) throw new CommandFailed(e.name, args, result, e.logTail());
}

export const buildBench: Benchmark = {
  name: 'build',
  description: `DOCKER_BUILDKIT=0 docker build of 10 instructions with COPY of a ${CONTEXT_MB} MB context: cold (--no-cache, ${COLD_RUNS}×) and fully cached (${CACHED_RUNS}×), engines interleaved`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description);
    cmp.metric('cold', { label: `build cold (${CONTEXT_MB} MB COPY)`, unit: 'ms', target: 0.8 });
    cmp.metric('cached', { label: 'build fully cached', unit: 'ms', target: 0.5 });
    const image = await fx.busybox();
    const dir = writeContext(image);
    try {
      await withEngines(cmp, (name) => startBench(name, fx.registry.host, true), async (engines) => {
        for (const e of Object.values(engines)) await cmp.step(e.name, 'pull busybox', () => e.dockerOk(['pull', '-q', image]));
        for (let i = 0; i < COLD_RUNS; i++) {
          for (const name of orderFor(i)) {
            const e = engines[name];
            if (e) await cmp.sample(name, 'cold', () => build(e, dir, ['--no-cache']));
          }
        }
        for (let i = 0; i < CACHED_RUNS; i++) {
          for (const name of orderFor(i)) {
            const e = engines[name];
            if (e) await cmp.sample(name, 'cached', () => build(e, dir, []));
          }
        }
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return cmp;
  },
};
