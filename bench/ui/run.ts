// The UI benchmarks alone: `$N bench/ui/run.ts [ui-list|ui-logs|ui-latency|ui-compose|ui-build …]` (they are also
// entries of bench/run.ts, `npm run bench -- ui-list`). Same fixtures, reporting and clean-up as
// bench/run.ts; results in bench/results/<name>.json.
import type { Benchmark } from '../lib/benchmark.ts';
import { aborted, cleanupAll } from '../lib/cleanup.ts';
import { startFixtures } from '../lib/fixtures.ts';
import { report } from '../lib/report.ts';
import { uiCompose } from './ui-compose.ts';
import { uiBuild } from './ui-build.ts';
import { uiLatency } from './ui-latency.ts';
import { uiList } from './ui-list.ts';
import { uiLogs } from './ui-logs.ts';

export const UI_BENCHMARKS: Benchmark[] = [uiList, uiLogs, uiLatency, uiCompose, uiBuild];

async function main(): Promise<number> {
  const names = process.argv.slice(2).filter((a) => a !== '--');
  const unknown = names.filter((n) => !UI_BENCHMARKS.some((b) => b.name === n));
  if (unknown.length) throw new Error(`unknown UI benchmark(s): ${unknown.join(', ')}; choose from ${UI_BENCHMARKS.map((b) => b.name).join(', ')}`);
  if (process.getuid?.() !== 0) throw new Error('the UI benchmarks start berthd (and dockerd), which need root');
  const chosen = names.length ? UI_BENCHMARKS.filter((b) => names.includes(b.name)) : UI_BENCHMARKS;
  const fixtures = await startFixtures();
  try {
    for (const b of chosen) {
      process.stderr.write(`bench: ${b.name}…\n`);
      const cmp = await b.run(fixtures);
      if (aborted()) break;
      report(cmp);
    }
  } finally {
    await cleanupAll();
  }
  return aborted() ? 130 : 0;
}

if (import.meta.main) {
  main().then(
    (code) => process.exit(code),
    async (e: unknown) => {
      process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      await cleanupAll();
      process.exit(1);
    },
  );
}
