// Benchmark, not a pass/fail test: how long one statsAll round takes with many running
// containers (one-shot samples, 8 at a time). Runs only with BERTH_BENCH=1.
import { describe, expect, it } from 'vitest';
import { useEngineWithBusybox } from '../../../../engine/test/support/engine-fixture.ts';
import { createDesktopBackend } from '../create-desktop-backend.ts';
import { CollectingSink } from '../testing/collecting-sink.ts';

const COUNT = Number(process.env.BERTH_BENCH_CONTAINERS ?? 100);

describe.runIf(process.env.BERTH_BENCH === '1')('statsAll with many containers', () => {
  const fixture = useEngineWithBusybox();

  it('times rounds', { timeout: 600_000 }, async () => {
    const backend = createDesktopBackend({ settingsDir: fixture.engine.dir, endpoint: `unix://${fixture.engine.socket}`, hostTerminal: false, shell: 'dashboard' });
    const ids: string[] = [];
    for (let i = 0; i < COUNT; i++) ids.push((await backend.calls.runContainer({ image: fixture.busybox, command: ['sleep', '3600'] })).id);
    const sink = new CollectingSink<Record<string, { cpuPercent: number; memoryUsage: number }>>();
    const started = Date.now();
    const session = await backend.streams.statsAll([], sink);
    await sink.waitFor(() => sink.items.length >= 4, 120_000);
    const elapsed = Date.now() - started;
    session.close();
    console.log(`statsAll: ${COUNT} running containers, 4 rounds in ${elapsed} ms (${Math.round(elapsed / 4)} ms a round, 1000 ms minimum), ${Object.keys(sink.items[3]).length} containers in the last round`);
    expect(Object.keys(sink.items[3]).length).toBe(COUNT);
    for (const id of ids) await backend.calls.removeContainer(id, { force: true, volumes: false });
    await backend.dispose();
  });
});
