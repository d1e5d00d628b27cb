// UI benchmark (c): how long after the engine's own event the page shows it, for Berth's berthd
// and Debian's dockerd side by side (the dashboard speaks the Docker API to either).
//
// Method. State: the engine's GET /events gives each change's timeNano; a MutationObserver in the
// page notes when the container's row first shows the new state, and the next frame's start is
// taken as "shown" (both on the same machine clock). Pull progress: the dashboard talks to the
// engine through bench/ui/engine-tap.ts, which notes when each progress message leaves the engine;
// the page notes when each progress bar changes; progress-matching.ts pairs them. The pull goes
// through e2e/support/slow-proxy.ts so that it lasts long enough to produce many updates.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark } from '../lib/benchmark.ts';
import { onCleanup } from '../lib/cleanup.ts';
import { Comparison } from '../lib/comparison.ts';
import { ENGINE_NAMES, startBench, type BenchEngine, type EngineName } from '../lib/engines.ts';
import { median, percentile, sleep } from '../lib/stats.ts';
import { startSlowProxy } from '../../e2e/support/slow-proxy.ts';
import { listenToEvents, type EventLog } from './engine-events.ts';
import { startEngineTap, type EngineTap } from './engine-tap.ts';
import { ms, verdict } from './frame-stats.ts';
import { matchProgress, type UiProgress } from './progress-matching.ts';
import { openUiSession, probe, type UiSession } from './ui-session.ts';

const PULLS = 3;
const STATE_ROUNDS = 8;
const TARGET_MS = 250;
const NAME = 'ui-lat';

interface RowHit { epochDom: number | null; epochFrame: number | null }

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v) return v;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function pullRounds(cmp: Comparison, name: EngineName, e: BenchEngine, ui: UiSession, tap: EngineTap, ref: string): Promise<void> {
  await ui.page.goto(ui.url('#/images'));
  await ui.page.getByRole('textbox', { name: 'Image to pull' }).waitFor({ state: 'visible' });
  await ui.page.evaluate('window.__uiProbe.watchProgress()');
  let unmatched = 0;
  let layers = 0;
  for (let round = 0; round < PULLS; round++) {
    const tapFrom = tap.progress.length;
    const uiFrom = await probe<number>(ui.page, 'progress.length');
    await ui.page.getByRole('textbox', { name: 'Image to pull' }).fill(ref);
    await ui.page.getByRole('button', { name: 'Pull', exact: true }).click();
    await waitFor('the pull to finish', async () => tap.progress.slice(tapFrom).some((m) => /^(Status|Digest):/.test(m.status ?? '')), 120_000);
    await sleep(500); // the last bar updates
    const uiProgress = (await probe<UiProgress[]>(ui.page, 'progress')).slice(uiFrom);
    const m = matchProgress(tap.progress.slice(tapFrom), uiProgress);
    for (const v of m.appear) cmp.record(name, 'barAppear', v);
    for (const v of m.update) cmp.record(name, 'barUpdate', v);
    unmatched += m.unmatched;
    layers += m.layers;
    await e.dockerOk(['rmi', ref]);
  }
  cmp.note(`${name}: ${layers} layer bars over ${PULLS} pulls, ${cmp.samplesOf('barUpdate', name).length} value updates timed, ${unmatched} updates not matched to an engine message`);
}

async function stateRounds(cmp: Comparison, name: EngineName, e: BenchEngine, ui: UiSession, events: EventLog, image: string): Promise<void> {
  await e.dockerOk(['run', '-d', '--name', NAME, image, 'sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.05; done']);
  await ui.page.goto(ui.url('#/containers'));
  await ui.page.getByRole('table', { name: 'Containers' }).getByRole('row', { name: NAME, exact: true }).waitFor({ state: 'visible', timeout: 30_000 });
  const measure = async (metric: string, pattern: string, args: string[], action: string) => {
    const since = Date.now() - 5;
    await ui.page.evaluate(`window.__uiProbe.watchRowState(${JSON.stringify(NAME)}, ${JSON.stringify(pattern)})`);
    await e.dockerOk(args);
    const event = await events.next(action, NAME, since);
    const hit = await waitFor(`the row to match ${pattern}`, () => probe<RowHit>(ui.page, 'rowStateHits.at(-1)').then((h) => (h.epochFrame ? h : null)), 20_000);
    cmp.record(name, metric, hit.epochFrame! - event.epoch);
  };
  for (let i = 0; i < STATE_ROUNDS; i++) {
    await measure('stop', '\\bExited\\b', ['stop', NAME], 'die');
    await measure('start', '\\bRunning\\b', ['start', NAME], 'start');
  }
  await e.dockerOk(['rm', '-f', NAME]);
}

export const uiLatency: Benchmark = {
  name: 'ui-latency',
  description: `engine event → UI: container state in the list, pull progress bars (target ≤ ${TARGET_MS} ms), berthd and dockerd`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description);
    cmp.metric('stop', { label: 'die event → row shows Exited', unit: 'ms' });
    cmp.metric('start', { label: 'start event → row shows Running', unit: 'ms' });
    cmp.metric('barAppear', { label: 'first layer message → its bar', unit: 'ms' });
    cmp.metric('barUpdate', { label: 'progress message → bar value', unit: 'ms' });
    const image = await fx.busybox();
    const proxy = await startSlowProxy(fx.registry.host, { latencyMs: 20, bytesPerSecond: 512 * 1024 });
    const stopProxy = onCleanup(() => proxy.stop());
    const proxied = image.replace(fx.registry.host, proxy.host);
    try {
      for (const name of ENGINE_NAMES) {
        const e = await cmp.step(name, `start ${name}`, () => startBench(name, fx.registry.host));
        if (!e) continue;
        let tap: EngineTap | undefined;
        let ui: UiSession | undefined;
        let events: EventLog | undefined;
        try {
          tap = await cmp.step(name, 'start the engine tap', () => startEngineTap(e.socket, join(tmpdir(), `berth-ui-tap-${process.pid}-${name}.sock`)));
          if (!tap) continue;
          const t = tap;
          ui = await cmp.step(name, 'open the dashboard', () => openUiSession(`unix://${t.socket}`));
          events = await cmp.step(name, 'listen to events', () => listenToEvents(e.socket));
          if (!ui || !events) continue;
          const [u, ev] = [ui, events];
          await cmp.step(name, 'pull through the Images view', () => pullRounds(cmp, name, e, u, t, proxied));
          await cmp.step(name, 'pull busybox', () => e.dockerOk(['pull', '-q', image]));
          await cmp.step(name, 'stop and start from the CLI', () => stateRounds(cmp, name, e, u, ev, image));
        } finally {
          events?.stop();
          await ui?.stop();
          await tap?.stop();
          await e.stop();
        }
      }
    } finally {
      await stopProxy();
    }
    for (const key of ['stop', 'start', 'barAppear', 'barUpdate']) {
      const label = cmp.metrics.get(key)!.label;
      for (const name of ENGINE_NAMES) {
        const v = cmp.samplesOf(key, name);
        if (!v.length) continue;
        cmp.note(`${name} ${label}: median ${ms(median(v))}, p95 ${ms(percentile(v, 95))}, max ${ms(Math.max(...v))} (n=${v.length}); target ≤ ${TARGET_MS} ms: ${verdict(percentile(v, 95), TARGET_MS)} (p95)`);
      }
    }
    return cmp;
  },
};
