// Entry of `npm run bench [-- name…]`: Berth vs Debian's dockerd, side by side. Starts one local
// registry for the whole run, then each named benchmark (all by default) in turn; each starts and
// stops both engines itself. Exit code 0 even on MISS: benches report, they don't gate CI.
import { idleRss } from './idle-rss.ts';
import type { Benchmark } from './lib/benchmark.ts';
import { aborted, cleanupAll } from './lib/cleanup.ts';
import { startFixtures } from './lib/fixtures.ts';
import { report, type BenchResult } from './lib/report.ts';
import { ps } from './ps.ts';
import { pull } from './pull.ts';
import { runBridgeLatency, runLatency } from './run-latency.ts';
import { portThroughput } from './port-throughput.ts';
import { buildBench } from './build.ts';
import { saveLoad } from './save-load.ts';
import { logs } from './logs.ts';
import { UI_BENCHMARKS } from './ui/run.ts';
import { vmPath } from './vm-path.ts';
import { shareThroughput } from './share-throughput.ts';
import { concurrent } from './concurrent.ts';
import { rssGrowth } from './rss-growth.ts';
import { cliSession } from './cli-session.ts';

const ALL: Benchmark[] = [
  runLatency, pull, ps, idleRss, runBridgeLatency, portThroughput, buildBench, saveLoad, logs, vmPath, shareThroughput,
  concurrent, rssGrowth, cliSession, ...UI_BENCHMARKS,
];

/** `npm run bench` with no names: the rows of the performance table (README, issue 16), in one go.
 * The VM, UI, throughput and logs benches run by name (or all of them with `all`). */
const TABLE: Benchmark[] = [runLatency, runBridgeLatency, pull, buildBench, saveLoad, ps, concurrent, idleRss, rssGrowth, cliSession];

function pick(names: string[]): Benchmark[] {
  if (names.length === 0) return TABLE;
  if (names.length === 1 && names[0] === 'all') return ALL;
  const unknown = names.filter((n) => !ALL.some((b) => b.name === n));
  if (unknown.length) {
    throw new Error(`unknown benchmark(s): ${unknown.join(', ')}; choose from: ${ALL.map((b) => b.name).join(', ')}`);
  }
  return ALL.filter((b) => names.includes(b.name));
}

function summary(results: BenchResult[]): string {
  const lines = ['', '== summary (ratio = median of one side / median of the other; berth/dockerd unless named)'];
  for (const r of results) {
    for (const m of r.metrics) {
      if (m.target === null) continue;
      const ratio = m.ratio === null ? '—' : `${m.ratio.toFixed(2)}×`;
      const pair = m.ratioOf.join('/') === 'berth/dockerd' ? '' : `  (${m.ratioOf.join('/')})`;
      if (m.absolute) {
        const own = m.engines[m.ratioOf[0]]?.median;
        const value = own === undefined || !Number.isFinite(own) ? '—' : `${own.toFixed(1)} ${m.unit}`;
        lines.push(`  ${r.name.padEnd(12)} ${m.label.padEnd(34)} ${value.padStart(9)}  target ≤ ${m.target} ${m.unit}  ${m.verdict}  (${ratio} of dockerd's)`);
        continue;
      }
      lines.push(`  ${r.name.padEnd(12)} ${m.label.padEnd(34)} ${ratio.padStart(9)}  target ≤ ${m.target.toFixed(2)}  ${m.verdict}${pair}`);
    }
    for (const engine of Object.keys(r.errors)) lines.push(`  ${r.name.padEnd(12)} ${engine} failed (see above)`);
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`usage: npm run bench -- [${ALL.map((b) => b.name).join('|')} …]\n`);
    return 0;
  }
  if (process.getuid?.() !== 0) throw new Error('benchmarks start dockerd and berthd, which need root');
  const chosen = pick(args);
  const results: BenchResult[] = [];
  const fixtures = await startFixtures();
  try {
    for (const b of chosen) {
      process.stderr.write(`bench: ${b.name}…\n`);
      const cmp = await b.run(fixtures);
      if (aborted()) break; // Engines were stopped under it: its errors are ours, not theirs.
      results.push(report(cmp));
    }
  } finally {
    await cleanupAll();
  }
  if (aborted()) return 130;
  process.stdout.write(summary(results));
  return 0;
}

main().then(
  (code) => process.exit(code),
  async (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    await cleanupAll();
    process.exit(1);
  },
);
