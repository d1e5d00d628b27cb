// Collects the samples of one benchmark for each engine compared (berthd and dockerd unless the
// benchmark names other sides, e.g. berthd through the VM). An engine that fails a step is marked
// failed with the exact error and skipped from then on, so the other engine's numbers still come
// out (a bench reports; it never aborts the whole run because one engine broke).
import { ENGINE_NAMES, type BenchEngine, type EngineName } from './engines.ts';
import { aborted } from './cleanup.ts';
import { timed } from './stats.ts';

export interface MetricSpec {
  /** Row label, e.g. "docker run --rm --network=none busybox true". */
  label: string;
  unit: 'ms' | 'MiB' | 's';
  /** Median ratio ratio[0]/ratio[1] that counts as PASS (≤); undefined = informational. */
  target?: number;
  /** Which two sides the ratio compares; default berth/dockerd. */
  ratio?: readonly [EngineName, EngineName];
  /** The target bounds berth's own median (in `unit`), not a ratio: e.g. RSS growth ≤ 5 MiB. */
  absolute?: boolean;
}

export interface MetricState extends MetricSpec {
  samples: Partial<Record<EngineName, number[]>>;
}

export class Comparison {
  readonly name: string;
  readonly description: string;
  readonly metrics = new Map<string, MetricState>();
  readonly errors: Partial<Record<EngineName, string>> = {};
  readonly notes: string[] = [];
  readonly startedAt = new Date();
  readonly sides: readonly EngineName[];

  constructor(name: string, description: string, sides: readonly EngineName[] = ENGINE_NAMES) {
    this.name = name;
    this.description = description;
    this.sides = sides;
  }

  metric(key: string, spec: MetricSpec): void {
    this.metrics.set(key, { ...spec, samples: Object.fromEntries(this.sides.map((side) => [side, []])) });
  }

  failed(engine: EngineName): boolean {
    return this.errors[engine] !== undefined;
  }

  fail(engine: EngineName, what: string, e: unknown): void {
    if (this.failed(engine)) return;
    if (aborted()) {
      this.errors[engine] = `interrupted by ${aborted()}`; // Our own cleanup broke it, not the engine.
      return;
    }
    const message = e instanceof Error ? e.message : String(e);
    this.errors[engine] = `${what}: ${message}`;
    process.stderr.write(`\n[${this.name}] ${engine} FAILED during ${what}:\n${message}\n\n`);
  }

  /** Runs an untimed step (setup, warm-up); false (and the engine marked failed) if it throws. */
  async step<T>(engine: EngineName, what: string, fn: () => Promise<T>): Promise<T | undefined> {
    if (this.failed(engine)) return undefined;
    try {
      return await fn();
    } catch (e) {
      this.fail(engine, what, e);
      return undefined;
    }
  }

  /** Times fn as one sample of metric `key` (in ms, or converted by `scale`). */
  async sample(engine: EngineName, key: string, fn: () => Promise<unknown>, scale = 1): Promise<void> {
    if (this.failed(engine)) return;
    try {
      const { ms } = await timed(fn);
      this.record(engine, key, ms * scale);
    } catch (e) {
      this.fail(engine, `sample ${key} #${this.samplesOf(key, engine).length + 1}`, e);
    }
  }

  record(engine: EngineName, key: string, value: number): void {
    const m = this.metrics.get(key);
    if (!m) throw new Error(`unknown metric ${key}`);
    (m.samples[engine] ??= []).push(value);
  }

  samplesOf(key: string, engine: EngineName): number[] {
    return this.metrics.get(key)?.samples[engine] ?? [];
  }

  note(text: string): void {
    this.notes.push(text);
  }
}

/**
 * Starts or uses each engine in the order given; alternating the order between iterations keeps
 * either engine from always running right after the other (page cache, CPU frequency).
 */
export function orderFor(iteration: number, sides: readonly EngineName[] = ENGINE_NAMES): readonly EngineName[] {
  return iteration % 2 === 0 ? sides : [...sides].reverse();
}

/** Starts every side's engine (one failing to start marks it failed), runs body, always stops them. */
export async function withEngines(
  cmp: Comparison,
  start: (name: EngineName) => Promise<BenchEngine>,
  body: (engines: Partial<Record<EngineName, BenchEngine>>) => Promise<void>,
): Promise<void> {
  const engines: Partial<Record<EngineName, BenchEngine>> = {};
  try {
    for (const name of cmp.sides) {
      const e = await cmp.step(name, `start ${name}`, () => start(name));
      if (e) engines[name] = e;
    }
    await body(engines);
  } finally {
    for (const e of Object.values(engines)) await e.stop();
  }
}
