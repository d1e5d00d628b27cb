// The measuring loop the streaming UI benches share (ui-logs: a container's Logs tab; ui-build:
// the Build view's log): for `seconds`, once a second read how many lines the page has received
// (a page-probes.js counter), the JS heap and the DOM node count; every 300 ms type a key into
// `input` (x, then Backspace) and record how long Playwright waited for it. The page's own probes
// record each key's input delay and key → next paint; they are collected at the end.
import type { Locator } from 'playwright-core';
import type { Comparison } from '../lib/comparison.ts';
import type { UiSession } from './ui-session.ts';
import { probe } from './ui-session.ts';

export interface FollowResult {
  /** Lines the page had when the measurement started and when it ended (the probe counter). */
  receivedStart: number;
  receivedEnd: number;
  elapsedMs: number;
  /** Lines per second received in each one-second slice. */
  rates: number[];
  nodes: number[];
  typed: number;
}

export async function followWhileTyping(ui: UiSession, cmp: Comparison, opts: { counter: string; input: Locator; seconds: number }): Promise<FollowResult> {
  const receivedStart = await probe<number>(ui.page, opts.counter);
  const started = performance.now();
  let lastCount = receivedStart;
  let lastTick = started;
  let typed = 0;
  const nodes: number[] = [];
  const rates: number[] = [];
  await ui.cdp.send('Performance.enable');
  let nextKey = started;
  while (performance.now() - started < opts.seconds * 1000) {
    const now = performance.now();
    if (now - lastTick >= 1000) {
      const count = await probe<number>(ui.page, opts.counter);
      rates.push(((count - lastCount) * 1000) / (now - lastTick));
      lastCount = count;
      lastTick = now;
      cmp.record('berth', 'heap', (await ui.cdp.send('Runtime.getHeapUsage')).usedSize / 2 ** 20);
      const metrics = (await ui.cdp.send('Performance.getMetrics')).metrics;
      nodes.push(metrics.find((m) => m.name === 'Nodes')?.value ?? Number.NaN);
    }
    if (now >= nextKey) {
      const key = typed % 2 === 0 ? 'x' : 'Backspace';
      const t = performance.now();
      await opts.input.press(key, { timeout: 10_000 });
      cmp.record('berth', 'keyAck', performance.now() - t);
      typed++;
      nextKey = t + 300;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const elapsedMs = performance.now() - started;
  const receivedEnd = await probe<number>(ui.page, opts.counter);
  for (const d of await probe<number[]>(ui.page, 'keyDelays')) cmp.record('berth', 'keyDelay', d);
  for (const d of await probe<number[]>(ui.page, 'keyToPaint')) cmp.record('berth', 'keyPaint', d);
  return { receivedStart, receivedEnd, elapsedMs, rates, nodes, typed };
}
