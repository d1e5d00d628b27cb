// UI benchmark (d): the Build view following a build whose RUN prints ~50,000 numbered lines a
// second, for 30 s, against a real berthd through `berth dashboard`.
//
// Method. As ui-logs: page-probes.js counts the build log lines in every WebSocket message of the
// build stream as it reaches the page (each printed line starts "qbf<n> "), and keeps the highest
// line number seen. Input latency: every 300 ms Playwright types into the view's "Tags" field (x,
// then Backspace); the page records event.timeStamp → end of the next painted frame, and Node how
// long each key press took to be acknowledged. Memory: the JS heap and the DOM node count once a
// second. The build is cancelled from the view at the end (which the e2e suite checks leaves
// nothing behind).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark } from '../lib/benchmark.ts';
import { Comparison } from '../lib/comparison.ts';
import { startBench } from '../lib/engines.ts';
import { percentile } from '../lib/stats.ts';
import { ms, verdict } from './frame-stats.ts';
import { followWhileTyping } from './follow-while-typing.ts';
import { linePrinter } from './line-printer.ts';
import { openUiSession, probe, waitForProbe } from './ui-session.ts';

const SECONDS = 30;
const WARMUP_SECONDS = 3;
const TARGET_INPUT_MS = 100;
const RATE = 50_000;
const BURST = 5_000;
// It stops on its own after a while so that a forgotten build ends.
const PRINTER = linePrinter({ rate: RATE, burst: BURST, prefix: 'qbf', stopAfterSeconds: SECONDS + WARMUP_SECONDS + 60 });

export const uiBuild: Benchmark = {
  name: 'ui-build',
  description: `Build view following a RUN that prints ${RATE.toLocaleString('en')} lines/s for ${SECONDS} s: lines/s received, input latency (target ≤ ${TARGET_INPUT_MS} ms), JS heap`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description);
    cmp.metric('keyPaint', { label: 'key → next frame painted', unit: 'ms' });
    cmp.metric('keyDelay', { label: 'key → handler start', unit: 'ms' });
    cmp.metric('keyAck', { label: 'key press acknowledged (Node)', unit: 'ms' });
    cmp.metric('heap', { label: 'JS heap used', unit: 'MiB' });
    const image = await fx.busybox();
    const engine = await cmp.step('berth', 'start berth', () => startBench('berth', fx.registry.host));
    if (!engine) return cmp;
    const folder = mkdtempSync(join(tmpdir(), 'berth-bench-build-'));
    try {
      writeFileSync(join(folder, 'printer.awk'), PRINTER);
      writeFileSync(join(folder, 'Dockerfile'), `FROM ${image}\nCOPY printer.awk /printer.awk\nRUN awk -f /printer.awk\n`);
      await cmp.step('berth', 'pull busybox', () => engine.dockerOk(['pull', '-q', image]));
      const ui = await cmp.step('berth', 'open the dashboard', () => openUiSession(`unix://${engine.socket}`, { countBuildLines: true }));
      if (!ui) return cmp;
      try {
        const tags = ui.page.getByRole('textbox', { name: 'Tags', exact: true });
        await cmp.step('berth', 'start the build', async () => {
          await ui.page.goto(ui.url('#/build'));
          await ui.page.getByRole('textbox', { name: 'Folder', exact: true }).fill(folder);
          await ui.page.getByRole('checkbox', { name: 'No cache' }).check();
          await ui.page.getByRole('button', { name: 'Build', exact: true }).click();
          await waitForProbe(ui.page, 'buildLines > 0', 120_000);
        });
        if (cmp.failed('berth')) return cmp;
        const heapStart = (await ui.cdp.send('Runtime.getHeapUsage')).usedSize / 2 ** 20;
        await ui.page.waitForTimeout(WARMUP_SECONDS * 1000);
        const firstSeen = await probe<number>(ui.page, 'lastBuildNumber');
        const { receivedStart, receivedEnd, elapsedMs: elapsed, rates, nodes, typed } = await followWhileTyping(ui, cmp, { counter: 'buildLines', input: tags, seconds: SECONDS });
        const lastSeen = await probe<number>(ui.page, 'lastBuildNumber');
        const received = ((receivedEnd - receivedStart) * 1000) / elapsed;
        const keptUp = received / RATE;
        cmp.note(`printer: ${RATE.toLocaleString('en')} lines/s; received by the page ${Math.round(received).toLocaleString('en')} lines/s (${(keptUp * 100).toFixed(0)} %) over ${(elapsed / 1000).toFixed(1)} s; keeps up (≥ 95 %): ${keptUp >= 0.95 ? 'PASS' : 'MISS'}`);
        cmp.note(`received per second: min ${Math.round(Math.min(...rates)).toLocaleString('en')}, median ${Math.round(percentile(rates, 50)).toLocaleString('en')}, max ${Math.round(Math.max(...rates)).toLocaleString('en')} lines/s; line numbers seen ${firstSeen.toLocaleString('en')} → ${lastSeen.toLocaleString('en')}`);
        const paint = cmp.samplesOf('keyPaint', 'berth');
        cmp.note(`input: ${typed} keys; key → next paint p50 ${ms(percentile(paint, 50))}, p95 ${ms(percentile(paint, 95))}, max ${ms(Math.max(...paint))}; target ≤ ${TARGET_INPUT_MS} ms: ${verdict(Math.max(...paint), TARGET_INPUT_MS)} (max)`);
        const heap = cmp.samplesOf('heap', 'berth');
        cmp.note(`JS heap: ${heapStart.toFixed(1)} MiB before, max ${Math.max(...heap).toFixed(1)} MiB, last ${heap.at(-1)?.toFixed(1)} MiB; DOM nodes max ${Math.max(...nodes)}`);
        await cmp.step('berth', 'cancel the build', async () => {
          await ui.page.getByRole('button', { name: 'Cancel build', exact: true }).click();
          await ui.page.getByRole('status').filter({ hasText: 'Build cancelled' }).waitFor({ state: 'visible' });
        });
      } finally {
        await ui.stop();
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
      await engine.stop();
    }
    return cmp;
  },
};
