// The differential suite's harness: one berthd and one Debian dockerd (private data root, socket,
// bridge), the same test images in both, and the real docker CLI run against each with the same
// arguments. Outputs are normalised (ids, digests, times, addresses, sizes) so that what is left
// is what a user or a script would see differ.
//
// A difference that is deliberate is declared where the command is compared, with its reason:
// expectSameCli(args, { ignore: ['stderr'], because: '…' }). Every such reason is collected and
// printed once at the end of the file, so the suite itself lists what Berth does differently.
import { afterAll, beforeAll, expect } from 'vitest';
import { docker, type DockerResult } from '../support/docker-cli.ts';
import { startDockerd, type DockerdHandle } from '../support/dockerd.ts';
import { startEngine, type EngineHandle, type StartEngineOptions } from '../support/engine-harness.ts';
import { testImage, testRegistry } from '../support/fixtures.ts';

export type Part = 'stdout' | 'stderr' | 'code';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string | Buffer;
  cwd?: string;
  timeoutMs?: number;
  /** Extra normalisation for this command (applied to stdout and stderr, after the usual). */
  normalise?: (text: string) => string;
}

export interface SameOptions extends RunOptions {
  /** Parts not compared; needs `because`. */
  ignore?: Part[];
  because?: string;
}

export interface SideBySide {
  berth: EngineHandle;
  dockerd: DockerdHandle;
  /** The busybox test image's reference, pulled into both engines. */
  busybox: string;
  /** Runs the same docker CLI command against both engines; raw results. */
  run(args: string[], opts?: RunOptions): Promise<{ berth: CliRun; dockerd: CliRun }>;
  /** Runs and normalises both; expects stdout, stderr and exit code to match (minus `ignore`). */
  expectSameCli(args: string[], opts?: SameOptions): Promise<{ berth: CliRun; dockerd: CliRun }>;
  /** Runs `args` against both and expects exit 0 from each (set-up steps: create, pull, …). */
  mustBoth(args: string[], opts?: RunOptions): Promise<{ berth: string; dockerd: string }>;
}

/** Deliberate differences declared so far in this test file, with their reasons. */
const declared: { command: string; ignored: Part[]; because: string }[] = [];
/** Commands compared so far in this test file (the suite's size, printed at the end). */
let compared = 0;

/** Replaces everything that legitimately differs between two engines or two runs. */
export function normalise(text: string, extra: Record<string, string> = {}): string {
  let out = text;
  for (const [from, to] of Object.entries(extra)) if (from) out = out.split(from).join(to);
  return out
    .replace(/sha256:[0-9a-f]{64}/g, 'sha256:<digest>')
    .replace(/\b[0-9a-f]{64}\b/g, '<id>')
    .replace(/\b[0-9a-f]{12}\b/g, '<id>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g, '<time>')
    .replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? [+-]\d{4} \w+/g, '<time>')
    .replace(/(?:About an?|Less than a|\d+) (?:second|minute|hour|day|week|month|year)s? ago/g, '<ago>')
    .replace(/\bUp (?:About an?|Less than a|\d+) (?:second|minute|hour)s?(?: \((?:healthy|unhealthy|health: starting|Paused)\))?/g, 'Up <duration>')
    .replace(/\bExited \((-?\d+)\) <ago>/g, 'Exited ($1) <ago>')
    .replace(/\b(?:\d{1,3}\.){3}\d{1,3}(?:\/\d+)?\b/g, '<ip>')
    .replace(/\b\d+(?:\.\d+)?\s?(?:B|kB|KB|MB|GB|KiB|MiB|GiB)\b/g, '<size>')
    // The CLI's own race under `run --rm` when the start fails: its wait may be cancelled before
    // the answer arrives, whichever engine it talks to.
    .replace(/^time="<time>" level=error msg="error waiting for container: context canceled"\n/gm, '');
}

/** Registers beforeAll/afterAll: a berthd and a dockerd, both with the busybox test image. */
export function useSideBySide(options: { berth?: StartEngineOptions; bridged?: boolean } = {}): SideBySide {
  const self = {} as SideBySide;
  beforeAll(async () => {
    const registryHost = testRegistry().host;
    [self.berth, self.dockerd] = await Promise.all([
      startEngine(options.berth ?? {}),
      // isolated: other test files start dockerds of their own at the same time.
      startDockerd({ registryHost, bridged: options.bridged ?? true, isolated: true }),
    ]);
    self.busybox = testImage('busybox').ref;
    await self.mustBoth(['pull', '-q', self.busybox], { timeoutMs: 120_000 });
  }, 180_000);
  afterAll(async () => {
    // Containers first: dockerd would otherwise stop each with its own timeout on shutdown.
    const ids = (await docker(['ps', '-aq'], { env: self.dockerd?.dockerEnv ?? { DOCKER_HOST: '' } }).catch(() => undefined))?.stdout.split('\n').filter(Boolean) ?? [];
    if (self.dockerd && ids.length > 0) await docker(['rm', '-f', ...ids], { env: self.dockerd.dockerEnv }).catch(() => undefined);
    // dockerd leaves the bridges of its user-defined networks behind when it stops.
    if (self.dockerd) await docker(['network', 'prune', '-f'], { env: self.dockerd.dockerEnv }).catch(() => undefined);
    await Promise.all([self.berth?.stop(), self.dockerd?.stop()]);
    if (compared > 0) process.stdout.write(`differential: ${compared} commands compared, ${declared.length} with a declared difference\n`);
    if (declared.length > 0) {
      const lines = declared.map((d) => `  docker ${d.command}  [${d.ignored.join(', ')} not compared]: ${d.because}`);
      process.stdout.write(`deliberate differences from dockerd in this file (${declared.length}):\n${lines.join('\n')}\n`);
    }
  }, 120_000);

  const runOne = (env: { DOCKER_HOST: string; DOCKER_CONFIG?: string }, args: string[], opts: RunOptions): Promise<DockerResult> =>
    docker(args, { env, input: opts.input, cwd: opts.cwd, timeoutMs: opts.timeoutMs ?? 60_000 });

  self.run = async (args, opts = {}) => {
    // One after the other, not at once: the two engines compete for two cores otherwise, and
    // timing-dependent output (a container still starting) would differ for the wrong reason.
    const berth = await runOne(self.berth.dockerEnv, args, opts);
    const dockerd = await runOne(self.dockerd.dockerEnv, args, opts);
    return { berth, dockerd };
  };

  self.mustBoth = async (args, opts = {}) => {
    const { berth, dockerd } = await self.run(args, opts);
    expect(dockerd.code, `dockerd: docker ${args.join(' ')}\n${dockerd.stderr}`).toBe(0);
    expect(berth.code, `berthd: docker ${args.join(' ')}\n${berth.stderr}`).toBe(0);
    return { berth: berth.stdout, dockerd: dockerd.stdout };
  };

  self.expectSameCli = async (args, opts = {}) => {
    const ignored = opts.ignore ?? [];
    if (ignored.length > 0) {
      if (!opts.because) throw new Error(`expectSameCli(${args.join(' ')}): ignoring ${ignored.join(', ')} needs a reason (because)`);
      declared.push({ command: args.join(' '), ignored, because: opts.because });
    }
    compared++;
    const raw = await self.run(args, opts);
    // Each engine's own socket, data root and bridge name stand for the same thing in the other.
    const clean = (r: CliRun, handle: { socket: string; dataRoot: string }): CliRun => {
      const text = (t: string) => {
        const n = normalise(t, { [handle.socket]: '<socket>', [handle.dataRoot]: '<data-root>' });
        return opts.normalise ? opts.normalise(n) : n;
      };
      return { code: r.code, stdout: text(r.stdout), stderr: text(r.stderr) };
    };
    const berth = clean(raw.berth, self.berth);
    const dockerd = clean(raw.dockerd, self.dockerd);
    const shown = `docker ${args.join(' ')}`;
    if (!ignored.includes('code')) expect(berth.code, `${shown}: exit code (berthd stderr: ${berth.stderr})`).toBe(dockerd.code);
    if (!ignored.includes('stdout')) expect(berth.stdout, `${shown}: stdout`).toBe(dockerd.stdout);
    if (!ignored.includes('stderr')) expect(berth.stderr, `${shown}: stderr`).toBe(dockerd.stderr);
    return { berth, dockerd };
  };
  return self;
}
