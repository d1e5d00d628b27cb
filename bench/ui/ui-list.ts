// UI benchmark (a): the Containers view with 1,000 containers (created, not started; a third of
// them in compose projects) against a real berthd through `berth dashboard`.
//
// Method. "Data arrives" is the timeStamp of the WebSocket message event that carries the
// listContainers result (page-probes.js listens before the app does, so no app work precedes it).
// "First paint" is the end of the first frame whose DOM holds the rows: a MutationObserver sees
// the first row inserted, a requestAnimationFrame then marks that frame's start and a task posted
// from it runs once the frame was painted. Chromium's Element Timing entry for the row's text is
// reported next to it as a cross-check. Then the list is scrolled top to bottom, 80 px per
// frame, with every requestAnimationFrame delta recorded.
import type { Benchmark } from '../lib/benchmark.ts';
import { api, inParallel } from '../lib/api.ts';
import { Comparison } from '../lib/comparison.ts';
import { startBench } from '../lib/engines.ts';
import { median, percentile } from '../lib/stats.ts';
import { frameSummary, ms, verdict } from './frame-stats.ts';
import { openUiSession, waitForProbe } from './ui-session.ts';

const CONTAINERS = 1000;
const PROJECTS = 10; // 10 compose projects of 30 containers; the rest stand alone
const PER_PROJECT = 30;
const RUNS = 6; // the first is a warm-up (cold caches, first JIT)
const TARGET_MS = 300;
const PREFIX = 'ui-bench-';

function spec(image: string, i: number) {
  const project = Math.floor(i / PER_PROJECT);
  const labels: Record<string, string> = { 'org.berth.bench': 'ui-list' };
  if (project < PROJECTS) {
    labels['com.docker.compose.project'] = `shop${project}`;
    labels['com.docker.compose.service'] = `svc${i % PER_PROJECT}`;
  }
  return { Image: image, Cmd: ['true'], Labels: labels, HostConfig: { NetworkMode: 'none' } };
}

interface PaintSample {
  listDataAt: number | null;
  listHandledAt: number | null;
  listBytes: number;
  rowsInDomAt: number | null;
  rowsAfterPaintAt: number | null;
  rowsElementRenderTime: number | null;
}

export const uiList: Benchmark = {
  name: 'ui-list',
  description: `Containers view with ${CONTAINERS} containers: data arrival → first paint (target ≤ ${TARGET_MS} ms), scroll frame times`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description);
    cmp.metric('paint', { label: 'data arrives → rows painted', unit: 'ms' });
    cmp.metric('element', { label: 'data arrives → Element Timing', unit: 'ms' });
    cmp.metric('dom', { label: 'data arrives → rows in DOM', unit: 'ms' });
    cmp.metric('load', { label: 'navigation → rows painted', unit: 'ms' });
    cmp.metric('frame', { label: 'scroll frame time (rAF delta)', unit: 'ms' });
    const image = await fx.busybox();
    const engine = await cmp.step('berth', 'start berth', () => startBench('berth', fx.registry.host));
    if (!engine) return cmp;
    try {
      await cmp.step('berth', 'pull busybox', () => engine.dockerOk(['pull', '-q', image]));
      await cmp.step('berth', `create ${CONTAINERS} containers`, () =>
        inParallel(Array.from({ length: CONTAINERS }, (_, i) => i), 16, async (i) => {
          const name = `${PREFIX}${String(i).padStart(4, '0')}`;
          const res = await api(engine.socket, 'POST', `/containers/create?name=${name}`, spec(image, i));
          if (res.status !== 201) throw new Error(`create ${name} → HTTP ${res.status}: ${res.body.trim()}`);
        }),
      );
      if (cmp.failed('berth')) return cmp;
      const ui = await cmp.step('berth', 'open the dashboard', () => openUiSession(`unix://${engine.socket}`, { watchListText: PREFIX }));
      if (!ui) return cmp;
      try {
        for (let run = 0; run < RUNS; run++) {
          const sample = await cmp.step('berth', `load the Containers view #${run + 1}`, async () => {
            await ui.page.goto(ui.url('#/containers'));
            await waitForProbe(ui.page, 'rowsAfterPaintAt !== null', 60_000);
            await ui.page.waitForTimeout(300); // lets the Element Timing entry arrive
            return ui.page.evaluate(
              `(({ listDataAt, listHandledAt, listBytes, rowsInDomAt, rowsAfterPaintAt, rowsElementRenderTime }) =>
                ({ listDataAt, listHandledAt, listBytes, rowsInDomAt, rowsAfterPaintAt, rowsElementRenderTime }))(window.__uiProbe)`,
            ) as Promise<PaintSample>;
          });
          if (!sample || run === 0) continue;
          const at = sample.listDataAt!;
          cmp.record('berth', 'paint', sample.rowsAfterPaintAt! - at);
          cmp.record('berth', 'dom', sample.rowsInDomAt! - at);
          cmp.record('berth', 'load', sample.rowsAfterPaintAt!);
          if (sample.rowsElementRenderTime) cmp.record('berth', 'element', sample.rowsElementRenderTime - at);
          if (run === 1) cmp.note(`listContainers result: ${(sample.listBytes / 1024).toFixed(0)} KiB in one WebSocket message`);
        }
        const scroll = await cmp.step('berth', 'scroll to the bottom', () =>
          ui.page.evaluate(`window.__uiProbe.scrollToBottom(${JSON.stringify(PREFIX)}, 80)`) as Promise<{
            deltas: number[]; scrollHeight: number; maxRowsInDom: number; domNodes: number; scroller: string;
          }>,
        );
        if (scroll) {
          for (const d of scroll.deltas) cmp.record('berth', 'frame', d);
          const f = frameSummary(scroll.deltas);
          cmp.note(
            `scroll: ${f.frames} frames over ${scroll.scrollHeight} px (scroller: ${scroll.scroller}); p50 ${ms(f.p50)}, p95 ${ms(f.p95)}, ` +
              `max ${ms(f.max)}; frames > 16.7 ms: ${f.over16}, > 33.3 ms: ${f.over33}; at most ${scroll.maxRowsInDom} rows in the DOM ` +
              `(${scroll.domNodes} elements at the end)`,
          );
        }
      } finally {
        await ui.stop();
      }
    } finally {
      await engine.stop();
    }
    const paints = cmp.samplesOf('paint', 'berth');
    const p = median(paints);
    cmp.note(`data → first paint: median ${ms(p)}, worst ${ms(percentile(paints, 100))} (n=${paints.length}); target ≤ ${TARGET_MS} ms: ${verdict(percentile(paints, 100), TARGET_MS)} (worst run)`);
    return cmp;
  },
};
