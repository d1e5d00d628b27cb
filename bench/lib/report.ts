// Prints a benchmark's table (median, p90, n per engine, ratio berth/dockerd against its target)
// and writes the same data as JSON to bench/results/<name>.json (gitignored).
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Comparison } from './comparison.ts';
import { summarize, type Summary } from './stats.ts';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

export type Verdict = 'PASS' | 'MISS' | 'N/A';

export interface MetricResult {
  key: string;
  label: string;
  unit: string;
  /** Per side (berth, dockerd, and whatever else the benchmark compares). */
  engines: Record<string, Summary & { samples: number[] }>;
  /** The two sides the ratio compares (default berth/dockerd). */
  ratioOf: readonly [string, string];
  /** median(ratioOf[0]) / median(ratioOf[1]); null when either side has no samples. */
  ratio: number | null;
  target: number | null;
  /** The target bounds ratioOf[0]'s median in `unit` instead of the ratio. */
  absolute: boolean;
  verdict: Verdict;
}

export interface BenchResult {
  name: string;
  description: string;
  startedAt: string;
  finishedAt: string;
  host: { kernel: string; arch: string; cpus: number; cpuModel: string; memMiB: number; node: string };
  metrics: MetricResult[];
  errors: Record<string, string>;
  notes: string[];
}

function fmt(v: number, unit: string): string {
  if (!Number.isFinite(v)) return '—';
  const digits = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${v.toFixed(digits)} ${unit}`;
}

export function toResult(cmp: Comparison): BenchResult {
  const metrics: MetricResult[] = [];
  for (const [key, m] of cmp.metrics) {
    const engines = Object.fromEntries(cmp.sides.map((side) => [side, { ...summarize(m.samples[side] ?? []), samples: m.samples[side] ?? [] }]));
    const ratioOf = m.ratio ?? (['berth', 'dockerd'] as const);
    const b = engines[ratioOf[0]];
    const d = engines[ratioOf[1]];
    const ratio = b?.n && d?.n ? b.median / d.median : null;
    const target = m.target ?? null;
    const absolute = m.absolute === true;
    const judged = absolute ? (b?.n ? b.median : null) : ratio;
    const verdict: Verdict = judged === null || target === null ? 'N/A' : judged <= target ? 'PASS' : 'MISS';
    metrics.push({
      key,
      label: m.label,
      unit: m.unit,
      engines,
      ratioOf,
      ratio,
      target,
      absolute,
      verdict,
    });
  }
  return {
    name: cmp.name,
    description: cmp.description,
    startedAt: cmp.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    host: {
      kernel: release(),
      arch: arch(),
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? '?',
      memMiB: Math.round(totalmem() / 2 ** 20),
      node: process.version,
    },
    metrics,
    errors: { ...cmp.errors } as Record<string, string>,
    notes: cmp.notes,
  };
}

export function printResult(r: BenchResult): void {
  const out: string[] = [];
  out.push('', `== ${r.name} — ${r.description}`);
  const head = ['metric', 'engine', 'median', 'p90', 'n'];
  const rows: string[][] = [];
  const verdicts: string[] = [];
  for (const m of r.metrics) {
    Object.entries(m.engines).forEach(([name, s], i) => {
      rows.push([i === 0 ? m.label : '', name, fmt(s.median, m.unit), fmt(s.p90, m.unit), String(s.n)]);
    });
    const ratio = m.ratio === null ? '—' : m.ratio.toFixed(2);
    if (m.absolute && m.target !== null) {
      const own = m.engines[m.ratioOf[0]];
      verdicts.push(`  ${m.ratioOf[0]} ${m.label}: ${fmt(own?.median ?? Number.NaN, m.unit)}  target ≤ ${m.target} ${m.unit}  ${m.verdict}  (ratio ${ratio}×, informational)`);
    } else {
      const target = m.target === null ? '(informational)' : `target ≤ ${m.target.toFixed(2)}  ${m.verdict}`;
      verdicts.push(`  ratio ${m.ratioOf.join('/')} ${m.label}: ${ratio}×  ${target}`);
    }
    // With more than two sides, every other side against the same baseline, for information.
    const base = m.engines[m.ratioOf[1]];
    for (const [name, s] of Object.entries(m.engines)) {
      if (m.ratioOf.includes(name) || !s.n || !base?.n) continue;
      verdicts.push(`  ratio ${name}/${m.ratioOf[1]} ${m.label}: ${(s.median / base.median).toFixed(2)}×  (informational)`);
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  out.push(line(head), '  ' + widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), ...verdicts);
  for (const [engine, err] of Object.entries(r.errors)) out.push(`  ${engine} ERROR: ${err.split('\n').join('\n    ')}`);
  for (const n of r.notes) out.push(`  note: ${n}`);
  process.stdout.write(out.join('\n') + '\n');
}

export function writeResult(r: BenchResult): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${r.name}.json`);
  writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
  return file;
}

/** Prints, writes JSON, returns the result for the summary in run.ts. */
export function report(cmp: Comparison): BenchResult {
  const r = toResult(cmp);
  printResult(r);
  const file = writeResult(r);
  process.stdout.write(`  → ${file}\n`);
  return r;
}
