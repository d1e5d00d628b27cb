// UI benchmark: the Compose view with 20 compose projects of 5 services each (100 containers,
// created with Compose's labels, not started) against a real berthd through `berth dashboard`.
//
// Method, as ui-list: "data arrives" is the timeStamp of the WebSocket message that carries the
// listContainers result (page-probes.js listens before the app does); "painted" is the end of the
// first frame whose DOM holds a project row (a MutationObserver sees it, a requestAnimationFrame
// marks that frame, a task posted from it runs once the frame was painted). The view draws every
// project at once (no virtual window), so that frame holds all 20 rows.
import type { Benchmark } from '../lib/benchmark.ts';
import { api, inParallel } from '../lib/api.ts';
import { Comparison } from '../lib/comparison.ts';
import { startBench } from '../lib/engines.ts';
import { median, percentile } from '../lib/stats.ts';
import { ms, verdict } from './frame-stats.ts';
import { openUiSession, waitForProbe } from './ui-session.ts';

const PROJECTS = 20;
const SERVICES = 5;
const RUNS = 6; // the first is a warm-up (cold caches, first JIT)
const TARGET_MS = 300;
/** In every project's name: what the probe watches for in the data and in the DOM. */
const MARK = 'uibenchcompose';

function spec(image: string, project: number, service: number) {
  const name = `${MARK}${String(project).padStart(2, '0')}`;
  return {
    Image: image,
    Cmd: ['true'],
    Labels: {
      'org.berth.bench': 'ui-compose',
      'com.docker.compose.project': name,
      'com.docker.compose.service': `svc${service}`,
      'com.docker.compose.project.working_dir': `/srv/${name}`,
      'com.docker.compose.project.config_files': `/srv/${name}/compose.yaml`,
      'com.docker.compose.container-number': '1',
    },
    HostConfig: { NetworkMode: 'none' },
  };
}

interface PaintSample {
  listDataAt: number | null;
  rowsInDomAt: number | null;
  rowsAfterPaintAt: number | null;
  rowsElementRenderTime: number | null;
  rows: number;
}

export const uiCompose: Benchmark = {
  name: 'ui-compose',
  description: `Compose view with ${PROJECTS} projects × ${SERVICES} services: data arrival → first paint (target ≤ ${TARGET_MS} ms)`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description);
    cmp.metric('paint', { label: 'data arrives → projects painted', unit: 'ms' });
    cmp.metric('element', { label: 'data arrives → Element Timing', unit: 'ms' });
    cmp.metric('dom', { label: 'data arrives → projects in DOM', unit: 'ms' });
    const image = await fx.busybox();
    const engine = await cmp.step('berth', 'start berth', () => startBench('berth', fx.registry.host));
    if (!engine) return cmp;
    try {
      await cmp.step('berth', 'pull busybox', () => engine.dockerOk(['pull', '-q', image]));
      const all = Array.from({ length: PROJECTS * SERVICES }, (_, i) => i);
      await cmp.step('berth', `create ${PROJECTS * SERVICES} containers`, () =>
        inParallel(all, 16, async (i) => {
          const project = Math.floor(i / SERVICES);
          const service = i % SERVICES;
          const name = `${MARK}${String(project).padStart(2, '0')}_svc${service}_1`;
          const res = await api(engine.socket, 'POST', `/containers/create?name=${name}`, spec(image, project, service));
          if (res.status !== 201) throw new Error(`create ${name} → HTTP ${res.status}: ${res.body.trim()}`);
        }),
      );
      if (cmp.failed('berth')) return cmp;
      const ui = await cmp.step('berth', 'open the dashboard', () => openUiSession(`unix://${engine.socket}`, { watchListText: MARK }));
      if (!ui) return cmp;
      try {
        for (let run = 0; run < RUNS; run++) {
          const sample = await cmp.step('berth', `load the Compose view #${run + 1}`, async () => {
            // A fresh document each run: the probe's state starts over and react-query has no cache.
            await ui.page.goto('about:blank');
            await ui.page.goto(ui.url('#/compose'));
            await waitForProbe(ui.page, 'rowsAfterPaintAt !== null', 60_000);
            await ui.page.waitForTimeout(300); // lets the Element Timing entry arrive
            return ui.page.evaluate(
              `(({ listDataAt, rowsInDomAt, rowsAfterPaintAt, rowsElementRenderTime }) => ({ listDataAt, rowsInDomAt, rowsAfterPaintAt, rowsElementRenderTime,
                rows: document.querySelectorAll('table[aria-label="Compose projects"] tbody tr').length }))(window.__uiProbe)`,
            ) as Promise<PaintSample>;
          });
          if (!sample) continue;
          if (sample.rows !== PROJECTS) throw new Error(`the Compose view shows ${sample.rows} projects, not ${PROJECTS}`);
          if (run === 0) continue;
          const at = sample.listDataAt!;
          cmp.record('berth', 'paint', sample.rowsAfterPaintAt! - at);
          cmp.record('berth', 'dom', sample.rowsInDomAt! - at);
          if (sample.rowsElementRenderTime) cmp.record('berth', 'element', sample.rowsElementRenderTime - at);
        }
      } finally {
        await ui.stop();
      }
    } finally {
      await engine.stop();
    }
    const paints = cmp.samplesOf('paint', 'berth');
    const line = `data → first paint: median ${ms(median(paints))}, worst ${ms(percentile(paints, 100))} (n=${paints.length}); target ≤ ${TARGET_MS} ms: ${verdict(percentile(paints, 100), TARGET_MS)} (worst run)`;
    cmp.note(line);
    process.stdout.write(`ui-compose: ${line}\n`);
    return cmp;
  },
};
