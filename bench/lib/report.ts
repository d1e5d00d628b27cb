// Prints a benchmark's table (median, p90, n per engine, ratio berth/dockerd against its target)
// and writes the same data as JSON to bench/results/<name>.json (gitignored).
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Comparison } from './comparison.ts';
import { ENGINE_NAMES } from './engines.ts';
import { summarize, type Summary } from './stats.ts';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

export type Verdict = 'PASS' | 'MISS' | 'N/A';

export interface MetricResult {
  key: string;
  label: string;
  unit: string;
  berth: Summary & { samples: number[] };
  dockerd: Summary & { samples: number[] };
  /** median(berth) / median(dockerd); null when either side has no samples. */
  ratio: number | null;
  target: number | null;
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
    const b = summarize(m.samples.berth);
    const d = summarize(m.samples.dockerd);
    const ratio = b.n && d.n ? b.median / d.median : null;
    const target = m.target ?? null;
    const verdict: Verdict = ratio === null || target === null ? 'N/A' : ratio <= target ? 'PASS' : 'MISS';
    metrics.push({
      key,
      label: m.label,
      unit: m.unit,
      berth: { ...b, samples: m.samples.berth },
      dockerd: { ...d, samples: m.samples.dockerd },
      ratio,
      target,
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
    for (const name of ENGINE_NAMES) {
      const s = m[name];
      rows.push([name === 'berth' ? m.label : '', name, fmt(s.median, m.unit), fmt(s.p90, m.unit), String(s.n)]);
    }
    const ratio = m.ratio === null ? '—' : m.ratio.toFixed(2);
    const target = m.target === null ? '(informational)' : `target ≤ ${m.target.toFixed(2)}  ${m.verdict}`;
    verdicts.push(`  ratio berth/dockerd ${m.label}: ${ratio}×  ${target}`);
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
