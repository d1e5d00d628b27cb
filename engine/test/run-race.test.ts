// The race suite (issue 10 items 4 and 5): thousands of `docker run --rm` through the real docker
// CLI, 20 at a time, mixing the default bridge, a published port and `--network none`, each run
// exiting with its own code. Every run must come back (no hang: a lost exit), with the command's
// exit code (no "cannot start a container that has stopped", no "cannot attach"), and the host
// must be as it was afterwards: no container, mount, netns, cgroup, veth, iptables rule or chain,
// conmon, runc state or bundle dir left.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mountsUnder } from './support/engine-cleanup.ts';
import { until, useEngineWithBusybox } from './support/engine-fixture.ts';

const fx = useEngineWithBusybox();

/** How many runs, and how many at a time (BERTH_RACE_RUNS overrides the count for a quick look). */
const RUNS = Number(process.env.BERTH_RACE_RUNS ?? 2000);
const PARALLEL = 20;
/** A run that takes longer than this is a hang, whatever the load. */
const RUN_LIMIT_MS = 60_000;

type Kind = 'bridge' | 'published' | 'none';
const KINDS: Kind[] = ['bridge', 'published', 'none'];
const FLAGS: Record<Kind, string[]> = { bridge: [], published: ['-p', '127.0.0.1::80'], none: ['--network', 'none'] };

interface Outcome {
  index: number;
  kind: Kind;
  want: number;
  got?: number;
  stderr: string;
}

function list(cmd: string, args: string[]): string[] {
  return execFileSync(cmd, args, { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** netavark's per-network chains (named by a hash); other engines on this host have their own. */
const HASHED_CHAIN = /^NETAVARK-(?:DN-)?[0-9A-F]{10,}$/;
/** This engine's hashed chains, learnt while a published port of ours is up (learnChains). */
const ownChains = new Set<string>();

function iptablesLines(): string[] {
  return ['nat', 'filter'].flatMap((table) => list('iptables', ['-w', '-t', table, '-S']).map((line) => `${table} ${line}`));
}

const mentionsOurAddresses = (line: string) => fx.engine.network.prefixes.some((p) => line.includes(p));

/** Chains that hold or are the target of rules naming our addresses. */
function learnChains(): void {
  for (const line of iptablesLines().filter(mentionsOurAddresses)) {
    const words = line.split(' ');
    for (const name of [words[2], words[words.indexOf('-j') + 1]]) if (name && HASHED_CHAIN.test(name)) ownChains.add(name);
  }
}

/** What a container can leave on the host, scoped to this engine. */
function hostTraces() {
  const { engine } = fx;
  const iptables = iptablesLines();
  // A published port's jump rule names only the port and our chain, not an address.
  const ours = (line: string) => mentionsOurAddresses(line) || line.split(' ').some((word) => ownChains.has(word));
  const conmons = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return (argv[0] ?? '').endsWith('conmon') && argv.some((a) => a.includes(engine.execRoot));
    } catch {
      return false; // Exited while we looked.
    }
  });
  const dir = (path: string) => (existsSync(path) ? readdirSync(path) : []);
  const cgroups = existsSync('/sys/fs/cgroup') ? list('find', ['/sys/fs/cgroup', '-maxdepth', '3', '-name', `${engine.cgroupPrefix}*`]) : [];
  return {
    mounts: mountsUnder([engine.dataRoot, engine.execRoot]),
    netns: dir(join(engine.execRoot, 'netns')),
    bundles: dir(join(engine.execRoot, 'bundles')),
    runtimeState: dir(join(engine.execRoot, 'runtime', 'c')),
    runcState: dir(join(engine.execRoot, 'runc')),
    conmons,
    // The engine's own parent cgroup may stay (as dockerd's /docker does); no container's may.
    containerCgroups: cgroups.filter((path) => /[0-9a-f]{64}$/.test(path)),
    bridgeMembers: list('ip', ['-o', 'link']).filter((line) => line.includes(`master ${engine.network.bridge} `)).map((line) => line.split(':')[1].trim()),
    // Rules naming the engine's addresses, and netavark's per-port chains (named by hash).
    rules: iptables.filter(ours),
    chains: iptables.filter((line) => line.includes(' -N ') && ownChains.has(line.split(' ')[2])),
  };
}

/** Runs `task` over 0..count-1 with at most `limit` in flight. */
async function pool<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

describe('docker run --rm under load', () => {
  it(`returns every one of ${RUNS} runs (${PARALLEL} in parallel) with its exit code and leaves nothing behind`, async () => {
    const { engine, busybox } = fx;
    // Warm up once: the default bridge, its NAT chains and the anchor stay, as docker0's do.
    const warm = await engine.docker(['run', '-d', '--name', 'warm', '-p', '127.0.0.1::80', busybox, 'sleep', '600']);
    expect(warm.code, warm.stderr).toBe(0);
    learnChains();
    expect(ownChains.size).toBeGreaterThan(0);
    expect((await engine.docker(['rm', '-f', 'warm'])).code).toBe(0);
    const before = hostTraces();

    const started = Date.now();
    const outcomes = await pool(RUNS, PARALLEL, async (index): Promise<Outcome> => {
      const kind = KINDS[index % KINDS.length];
      // 0..124: above that the CLI's own codes (125 daemon error, 126/127 start failures) begin.
      const want = (index * 7) % 125;
      const args = ['run', '--rm', ...FLAGS[kind], busybox, 'sh', '-c', `exit ${want}`];
      try {
        const result = await engine.docker(args, { timeoutMs: RUN_LIMIT_MS });
        return { index, kind, want, got: result.code, stderr: result.stderr };
      } catch (error) {
        return { index, kind, want, stderr: String(error) };
      }
    });
    const seconds = (Date.now() - started) / 1000;
    // A measurement for the log, not a pass/fail criterion.
    console.log(`run-race: ${RUNS} runs, ${PARALLEL} in parallel, in ${seconds.toFixed(0)} s (${(RUNS / seconds).toFixed(1)} runs/s)`);

    const wrong = outcomes.filter((o) => o.got !== o.want || o.stderr.trim() !== '');
    if (wrong.length > 0) console.log(`run-race: ${wrong.length} of ${RUNS} runs wrong (${wrong.filter((o) => o.got === undefined).length} without an answer)`);
    expect(wrong.slice(0, 10).map((o) => `#${o.index} ${o.kind}: want ${o.want}, got ${o.got ?? 'no answer'}: ${o.stderr.trim()}`)).toEqual([]);
    expect(wrong).toHaveLength(0);

    const ps = await engine.docker(['ps', '-aq']);
    expect(ps.stdout.trim()).toBe('');
    // A monitor exits just after it wrote the exit record: give the last ones time to go.
    await until(async () => JSON.stringify(hostTraces()) === JSON.stringify(before)).catch(() => undefined);
    expect(hostTraces()).toEqual(before);
  }, 3_600_000);
});

describe('a start that fails', () => {
  it('leaves no bundle dir, mount or runtime state, and a created container stays created', async () => {
    const { engine, busybox } = fx;
    const bundles = () => (existsSync(join(engine.execRoot, 'bundles')) ? readdirSync(join(engine.execRoot, 'bundles')) : []);
    const run = await engine.docker(['run', '--rm', busybox, '/no/such/command']);
    expect(run.code).toBe(127);
    const create = await engine.docker(['create', '--name', 'failing-start', busybox, '/no/such/command']);
    expect(create.code, create.stderr).toBe(0);
    const start = await engine.docker(['start', 'failing-start']);
    expect(start.stderr).toContain('no such file or directory');
    const status = await engine.docker(['inspect', '-f', '{{.State.Status}}', 'failing-start']);
    expect(status.stdout.trim()).toBe('created');
    expect(bundles()).toEqual([]);
    expect(mountsUnder([engine.dataRoot, engine.execRoot])).toEqual([]);
    expect((await engine.docker(['rm', 'failing-start'])).code).toBe(0);
  });
});
