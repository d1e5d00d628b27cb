// Benchmark, not a pass/fail test: how many log lines per second the backend's `logs` stream
// delivers. Runs only with BERTH_BENCH=1:
//   BERTH_BENCH=1 node node_modules/vitest/vitest.mjs run app/src/backend/streams/logs-throughput.bench.test.ts
// 1. engine + backend: a busybox container writes 2,000,000 lines with `yes` and exits; the
//    stream then reads them all (follow=false), so the figure is the backend's pace, not the
//    container's.
// 2. following: a container running `yes` is followed for 10 s (bounded by how fast the engine
//    records the lines).
// 3. backend alone: the same bytes, captured once, parsed and batched in memory.
import { describe, expect, it } from 'vitest';
import { until, useEngineWithBusybox } from '../../../../engine/test/support/engine-fixture.ts';
import type { LogLine } from '../../common/desktop-api.ts';
import { createDesktopBackend } from '../create-desktop-backend.ts';
import { engineStream } from '../engine-request.ts';
import { dockerFor } from '../engine-connection.ts';
import { LogLineParser } from './log-lines.ts';
import type { StreamSink } from '../desktop-backend.ts';

const LINES = 2_000_000;

describe.runIf(process.env.BERTH_BENCH === '1')('logs throughput', () => {
  const fixture = useEngineWithBusybox();

  it('measures lines per second', { timeout: 300_000 }, async () => {
    const backend = createDesktopBackend({ settingsDir: fixture.engine.dir, endpoint: `unix://${fixture.engine.socket}`, hostTerminal: false, shell: 'dashboard' });
    const { id } = await backend.calls.runContainer({ image: fixture.busybox, command: ['sh', '-c', `yes "the quick brown fox jumps over the lazy dog 0123456789" | head -n ${LINES}`] });
    await until(async () => !(await backend.calls.inspectContainer(id) as { State: { Running: boolean } }).State.Running, 120_000);

    const count = (follow: boolean, target: string, ms: number) => new Promise<{ lines: number; batches: number; seconds: number }>((resolve, reject) => {
      let lines = 0;
      let batches = 0;
      const started = process.hrtime.bigint();
      const done = () => resolve({ lines, batches, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
      const sink: StreamSink<LogLine[]> = {
        next: (batch) => { lines += batch.length; batches++; return true; },
        onDrain: () => {},
        error: reject,
        complete: done,
      };
      void Promise.resolve(backend.streams.logs([target, { follow, tail: 'all', timestamps: false }], sink)).then((session) => {
        if (ms > 0) setTimeout(() => { session.close(); done(); }, ms);
      }, reject);
    });

    const recorded = await count(false, id, 0);
    console.log(`engine+backend, recorded log: ${recorded.lines} lines in ${recorded.seconds.toFixed(2)} s = ${Math.round(recorded.lines / recorded.seconds)} lines/s (${recorded.batches} batches)`);
    expect(recorded.lines).toBe(LINES);

    const follower = await backend.calls.runContainer({ image: fixture.busybox, command: ['yes', 'the quick brown fox jumps over the lazy dog 0123456789'] });
    const followed = await count(true, follower.id, 10_000);
    console.log(`engine+backend, following yes for 10 s: ${followed.lines} lines = ${Math.round(followed.lines / followed.seconds)} lines/s (${followed.batches} batches)`);
    await backend.calls.removeContainer(follower.id, { force: true, volumes: false });

    // Backend alone: the recorded log's bytes, parsed in memory.
    const response = await engineStream(dockerFor({ kind: 'unix', socketPath: fixture.engine.socket }), { method: 'GET', path: `/containers/${id}/logs`, query: { stdout: 1, stderr: 1 } });
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    let parsed = 0;
    const started = process.hrtime.bigint();
    const parser = new LogLineParser({ tty: false, timestamps: false }, () => { parsed++; });
    for (const chunk of chunks) parser.push(chunk);
    parser.end();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`parser alone: ${parsed} lines in ${seconds.toFixed(2)} s = ${Math.round(parsed / seconds)} lines/s`);
    await backend.calls.removeContainer(id, { force: true, volumes: false });
    await backend.dispose();
  });
});
