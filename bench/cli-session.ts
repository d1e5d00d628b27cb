// A mixed CLI session of 80 commands touching every command family a user types: images (pull,
// tag, build, save/load, import, prune), containers (run, exec, logs, cp, pause, commit, export…),
// volumes, networks and system (info, df, events, prune). One session per engine per run, engines
// alternating; the metric is the wall time of the whole session. Each session cleans up after
// itself, so runs are alike. Per-family sums go into the notes (where the time goes).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from '../engine/test/support/docker-cli.ts';
import type { Benchmark } from './lib/benchmark.ts';
import { Comparison, orderFor, withEngines } from './lib/comparison.ts';
import { CommandFailed, startBench, startDockerdEngine, type BenchEngine, type EngineName } from './lib/engines.ts';

const RUNS = 3;

type Family = 'image' | 'container' | 'volume' | 'network' | 'system';

/** The session, in order; `dir` holds a tiny build context and the files cp/save/export write. */
export function session(image: string, dir: string, since: string): Array<[Family, string[]]> {
  const t = (f: string) => join(dir, f);
  const I: Family = 'image', C: Family = 'container', V: Family = 'volume', N: Family = 'network', S: Family = 'system';
  return [
    [I, ['pull', '-q', image]], [I, ['images']], [I, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']],
    [I, ['tag', image, 'sess/app:1']], [I, ['image', 'inspect', 'sess/app:1']], [I, ['history', 'sess/app:1']],
    [I, ['build', '-q', '-t', 'sess/built:1', t('ctx')]], [I, ['images', '-q']], [I, ['save', '-o', t('app.tar'), 'sess/app:1']],
    [I, ['rmi', 'sess/app:1']], [I, ['load', '-q', '-i', t('app.tar')]], [I, ['images', '--filter', 'dangling=true']],
    [C, ['run', '-d', '--name', 'sess-web', '-p', '127.0.0.1::8080', image, 'sleep', '600']], [C, ['ps']], [C, ['ps', '-a']],
    [C, ['inspect', 'sess-web']], [C, ['logs', 'sess-web']], [C, ['exec', 'sess-web', 'echo', 'hi']], [C, ['exec', 'sess-web', 'ls', '/']],
    [C, ['top', 'sess-web']], [C, ['stats', '--no-stream', 'sess-web']], [C, ['port', 'sess-web']], [C, ['pause', 'sess-web']],
    [C, ['unpause', 'sess-web']], [C, ['rename', 'sess-web', 'sess-web2']], [C, ['cp', t('note.txt'), 'sess-web2:/tmp/note.txt']],
    [C, ['cp', 'sess-web2:/tmp/note.txt', t('note.out')]], [C, ['diff', 'sess-web2']], [C, ['restart', '-t', '0', 'sess-web2']],
    [C, ['kill', 'sess-web2']], [C, ['start', 'sess-web2']], [C, ['stop', '-t', '0', 'sess-web2']], [C, ['commit', 'sess-web2', 'sess/committed:1']],
    [C, ['export', '-o', t('fs.tar'), 'sess-web2']], [C, ['rm', 'sess-web2']], [C, ['create', '--name', 'sess-c', image, 'echo', 'created']],
    [C, ['start', '-a', 'sess-c']], [C, ['wait', 'sess-c']], [C, ['logs', '--tail', '1', 'sess-c']], [C, ['container', 'ls', '-a', '--filter', 'name=sess-c']],
    [C, ['container', 'inspect', '--format', '{{.State.ExitCode}}', 'sess-c']], [C, ['rm', 'sess-c']], [C, ['run', '--rm', image, 'true']],
    [C, ['run', '--rm', '--network=none', image, 'echo', 'hello']], [C, ['run', '--rm', '-e', 'A=1', '-w', '/tmp', image, 'env']],
    [C, ['run', '--rm', '-v', 'sess-vol:/data', image, 'sh', '-c', 'echo x > /data/x']], [C, ['container', 'prune', '-f']],
    [V, ['volume', 'create', 'sess-vol2']], [V, ['volume', 'ls']], [V, ['volume', 'inspect', 'sess-vol']],
    [V, ['run', '--rm', '-v', 'sess-vol:/data:ro', image, 'cat', '/data/x']], [V, ['volume', 'rm', 'sess-vol2']], [V, ['volume', 'ls', '-q']],
    [N, ['network', 'create', 'sess-net']], [N, ['network', 'ls']], [N, ['network', 'inspect', 'sess-net']],
    [N, ['run', '-d', '--name', 'sess-n1', '--network', 'sess-net', image, 'sleep', '600']], [N, ['run', '--rm', '--network', 'sess-net', image, 'true']],
    [N, ['network', 'connect', 'bridge', 'sess-n1']], [N, ['network', 'disconnect', 'bridge', 'sess-n1']], [N, ['rm', '-f', 'sess-n1']],
    [N, ['network', 'rm', 'sess-net']], [N, ['network', 'ls', '-q']],
    [S, ['version']], [S, ['info']], [S, ['system', 'df']], [S, ['events', '--since', since, '--until', String(Math.floor(Date.now() / 1000))]],
    [S, ['inspect', image]], [S, ['ps', '-q']], [S, ['system', 'info', '--format', '{{.Containers}}']], [V, ['volume', 'ls', '--filter', 'dangling=true']],
    [N, ['network', 'inspect', 'bridge']], [C, ['ps', '-a', '--filter', 'status=exited', '-q']], [S, ['container', 'ls', '--format', '{{.Names}}']],
    [I, ['import', t('fs.tar'), 'sess/imported:1']], [I, ['rmi', 'sess/imported:1', 'sess/committed:1', 'sess/built:1', 'sess/app:1']],
    [V, ['volume', 'rm', 'sess-vol']], [I, ['image', 'prune', '-f']], [S, ['system', 'prune', '-f']], [S, ['images']],
  ];
}

/** dockerd gets a bridge of its own (isolated): on the shared docker0 another engineer's dockerd
 * starting or stopping removed it under ours ("could not find bridge docker0"). */
function startSide(name: EngineName, registryHost: string): Promise<BenchEngine> {
  return name === 'dockerd' ? startDockerdEngine(registryHost, true, true) : startBench(name, registryHost, true);
}

/** Sums over runs: per family, and per command (by its place in the session). */
interface Sums {
  family: Record<string, number>;
  command: number[];
}

async function runSession(e: BenchEngine, image: string, dir: string, sums: Sums): Promise<void> {
  const since = String(Math.floor(Date.now() / 1000) - 60);
  for (const [i, [family, args]] of session(image, dir, since).entries()) {
    const t0 = performance.now();
    const r = await docker(args, { env: { ...e.dockerEnv, DOCKER_BUILDKIT: '0' }, timeoutMs: 120_000 });
    if (r.code !== 0) throw new CommandFailed(e.name, args, r, e.logTail());
    const ms = performance.now() - t0;
    sums.family[family] = (sums.family[family] ?? 0) + ms;
    sums.command[i] = (sums.command[i] ?? 0) + ms;
  }
}

/** The commands where berth loses most time to dockerd (sum over runs), worst first. */
function worstCommands(berth: number[], dockerd: number[], image: string): string[] {
  const commands = session(image, '…', '…');
  return berth
    .map((ms, i) => ({ i, ms, diff: ms - (dockerd[i] ?? 0) }))
    .sort((a, b) => b.diff - a.diff)
    .slice(0, 12)
    .map(({ i, ms, diff }) => `${commands[i][1].join(' ').slice(0, 60)}: berth ${ms.toFixed(0)} ms, dockerd ${(dockerd[i] ?? 0).toFixed(0)} ms (${diff >= 0 ? '+' : ''}${diff.toFixed(0)})`);
}

export const cliSession: Benchmark = {
  name: 'cli-session',
  description: `a mixed CLI session (${session('x', '/', '0').length} commands, every family), ${RUNS} runs per engine, alternating`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description);
    cmp.metric('session', { label: 'mixed CLI session', unit: 's', target: 0.7 });
    const image = await fx.busybox();
    const dir = mkdtempSync(join(tmpdir(), 'berth-bench-session-'));
    writeFileSync(join(dir, 'note.txt'), 'a note\n');
    const ctx = join(dir, 'ctx');
    mkdirSync(ctx);
    writeFileSync(join(ctx, 'Dockerfile'), `FROM ${image}\nCOPY hello.txt /hello.txt\nRUN cat /hello.txt\nCMD ["cat", "/hello.txt"]\n`);
    writeFileSync(join(ctx, 'hello.txt'), 'hello\n');
    try {
      const sums: Record<string, Sums> = {};
      await withEngines(cmp, (name) => startSide(name, fx.registry.host), async (engines) => {
        for (let i = 0; i < RUNS; i++) {
          for (const name of orderFor(i)) {
            const e = engines[name];
            if (e) await cmp.sample(name, 'session', () => runSession(e, image, dir, (sums[name] ??= { family: {}, command: [] })), 1 / 1000);
          }
        }
      });
      for (const [name, f] of Object.entries(sums)) {
        cmp.note(`${name} time per family (sum over runs, s): ${Object.entries(f.family).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(', ')}`);
      }
      if (sums.berth && sums.dockerd) {
        for (const line of worstCommands(sums.berth.command, sums.dockerd.command, image)) cmp.note(`slower than dockerd: ${line}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return cmp;
  },
};
