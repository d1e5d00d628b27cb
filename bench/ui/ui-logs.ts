// UI benchmark (b): the Logs tab following a container that prints ~100,000 numbered lines a
// second, for 30 s, against a real berthd through `berth dashboard`.
//
// Method. Lines received: page-probes.js counts the log lines in every WebSocket message of the
// logs stream as it reaches the page, and keeps the highest line number seen, so lines the page
// never got show as a gap. Input latency: every 300 ms Playwright types a key into "Search logs"
// (x, then Backspace); the page records event.timeStamp → handler start (input delay) and
// event.timeStamp → end of the next painted frame (what a user sees), and Node records how long
// each key press took to be acknowledged. Memory: the JS heap (CDP Runtime.getHeapUsage) and the
// DOM node count once a second.
import type { Benchmark } from '../lib/benchmark.ts';
import { Comparison } from '../lib/comparison.ts';
import { startBench } from '../lib/engines.ts';
import { percentile } from '../lib/stats.ts';
import { ms, verdict } from './frame-stats.ts';
import { followWhileTyping } from './follow-while-typing.ts';
import { linePrinter } from './line-printer.ts';
import { openUiSession, probe } from './ui-session.ts';

const SECONDS = 30;
const WARMUP_SECONDS = 3;
const TARGET_INPUT_MS = 100;
const RATE = 100_000;
const BURST = 10_000;
const PRINTER = linePrinter({ rate: RATE, burst: BURST });

/** Lines the printer has written by epoch ms `at`: its quota is per wall-clock second since it began. */
function expectedLines(startedAtMs: number, at: number): number {
  return (Math.floor(at / 1000) - Math.floor(startedAtMs / 1000) + 1) * RATE;
}

export const uiLogs: Benchmark = {
  name: 'ui-logs',
  description: `Logs tab following ${RATE.toLocaleString('en')} lines/s for ${SECONDS} s: lines/s received, input latency (target ≤ ${TARGET_INPUT_MS} ms), JS heap`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description);
    cmp.metric('keyPaint', { label: 'key → next frame painted', unit: 'ms' });
    cmp.metric('keyDelay', { label: 'key → handler start', unit: 'ms' });
    cmp.metric('keyAck', { label: 'key press acknowledged (Node)', unit: 'ms' });
    cmp.metric('heap', { label: 'JS heap used', unit: 'MiB' });
    const image = await fx.busybox();
    const engine = await cmp.step('berth', 'start berth', () => startBench('berth', fx.registry.host));
    if (!engine) return cmp;
    try {
      await cmp.step('berth', 'pull busybox', () => engine.dockerOk(['pull', '-q', image]));
      const ui = await cmp.step('berth', 'open the dashboard', () => openUiSession(`unix://${engine.socket}`));
      const id = await cmp.step('berth', 'run the printer', async () => (await engine.dockerOk(['run', '-d', '--name', 'ui-logs', image, 'awk', PRINTER])).stdout.trim());
      if (!ui || !id) return cmp;
      try {
        await cmp.step('berth', 'open the Logs tab', async () => {
          await ui.page.goto(ui.url(`#/containers/${id}/logs`));
          await ui.page.getByRole('log', { name: 'Container logs' }).waitFor({ state: 'visible', timeout: 30_000 });
          await ui.page.evaluate('window.__uiProbe.countLogs = true');
        });
        if (cmp.failed('berth')) return cmp;
        const search = ui.page.getByRole('searchbox', { name: 'Search logs' });
        const heapStart = (await ui.cdp.send('Runtime.getHeapUsage')).usedSize / 2 ** 20;
        await ui.page.waitForTimeout(WARMUP_SECONDS * 1000);
        const startedAt = Date.parse((await engine.dockerOk(['inspect', '--format', '{{.State.StartedAt}}', 'ui-logs'])).stdout.trim());
        const { receivedStart, receivedEnd, elapsedMs: elapsed, rates, nodes, typed } = await followWhileTyping(ui, cmp, { counter: 'logLines', input: search, seconds: SECONDS });
        const lastSeen = await probe<number>(ui.page, 'lastLogNumber');
        const expectedAtEnd = expectedLines(startedAt, Date.now());
        const received = ((receivedEnd - receivedStart) * 1000) / elapsed;
        cmp.note(`printer: ${RATE.toLocaleString('en')} lines/s (a per-second quota in awk); received by the page ${Math.round(received).toLocaleString('en')} lines/s (${((received / RATE) * 100).toFixed(0)} %) over ${(elapsed / 1000).toFixed(1)} s`);
        cmp.note(`received per second: min ${Math.round(Math.min(...rates)).toLocaleString('en')}, median ${Math.round(percentile(rates, 50)).toLocaleString('en')}, max ${Math.round(Math.max(...rates)).toLocaleString('en')} lines/s`);
        cmp.note(`at the end the page had line #${lastSeen.toLocaleString('en')}; the printer had written ≈ ${expectedAtEnd.toLocaleString('en')} (± one second's burst): ≈ ${Math.max(0, expectedAtEnd - 1 - lastSeen).toLocaleString('en')} lines behind`);
        // For the engine's side: what `docker logs --tail 1` costs once the log holds this much.
        const tailStart = performance.now();
        await engine.docker(['logs', '--tail', '1', 'ui-logs'], 300_000);
        cmp.note(`engine: \`docker logs --tail 1\` on this log (≈ ${expectedAtEnd.toLocaleString('en')} lines) took ${((performance.now() - tailStart) / 1000).toFixed(1)} s`);
        const paint = cmp.samplesOf('keyPaint', 'berth');
        cmp.note(`input: ${typed} keys; key → next paint p95 ${ms(percentile(paint, 95))}, max ${ms(Math.max(...paint))}; target ≤ ${TARGET_INPUT_MS} ms: ${verdict(Math.max(...paint), TARGET_INPUT_MS)} (max)`);
        const heap = cmp.samplesOf('heap', 'berth');
        cmp.note(`JS heap: ${heapStart.toFixed(1)} MiB before, max ${Math.max(...heap).toFixed(1)} MiB, last ${heap.at(-1)?.toFixed(1)} MiB; DOM nodes max ${Math.max(...nodes)}`);
      } finally {
        await ui.stop();
        await engine.docker(['rm', '-f', 'ui-logs']);
      }
    } finally {
      await engine.stop();
    }
    return cmp;
  },
};
