// Reading a long container log: a busybox container prints 1,000,000 numbered lines and exits,
// then `docker logs` (all of it) and `docker logs --tail 10` run through the CLI on each engine.
// The tail case shows whether an engine reads the whole log to find its end.
import type { Benchmark } from './lib/benchmark.ts';
import { Comparison, orderFor, withEngines } from './lib/comparison.ts';
import { startBench } from './lib/engines.ts';

const LINES = 1_000_000;
const WARMUPS = 1;
const RUNS = 5;

export const logs: Benchmark = {
  name: 'logs',
  description: `docker logs of a ${LINES.toLocaleString('en')}-line log, whole and --tail 10 (${WARMUPS} warm-up, ${RUNS} timed, interleaved)`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description);
    cmp.metric('all', { label: `docker logs (${LINES / 1e6}M lines)`, unit: 'ms', target: 1.0 });
    cmp.metric('tail', { label: 'docker logs --tail 10', unit: 'ms', target: 1.0 });
    const image = await fx.busybox();
    await withEngines(cmp, (name) => startBench(name, fx.registry.host), async (engines) => {
      for (const e of Object.values(engines)) {
        await cmp.step(e.name, 'pull busybox', () => e.dockerOk(['pull', '-q', image]));
        // `docker wait` returns once the container has exited, so the whole log is written.
        await cmp.step(e.name, 'write the log', async () => {
          await e.dockerOk(['run', '-d', '--name', 'bench-logs', '--network', 'none', image, 'seq', '1', String(LINES)]);
          await e.dockerOk(['wait', 'bench-logs'], 120_000);
        });
        const last = await cmp.step(e.name, 'check the log', () => e.dockerOk(['logs', '--tail', '1', 'bench-logs']));
        if (last && last.stdout.trim() !== String(LINES)) cmp.fail(e.name, 'check the log', new Error(`last line ${JSON.stringify(last.stdout)}`));
      }
      for (let i = 0; i < WARMUPS + RUNS; i++) {
        for (const name of orderFor(i)) {
          const e = engines[name];
          if (!e) continue;
          if (i < WARMUPS) {
            await cmp.step(name, 'warm-up', () => e.dockerOk(['logs', 'bench-logs'], 120_000));
            continue;
          }
          await cmp.sample(name, 'all', () => e.dockerOk(['logs', 'bench-logs'], 120_000));
          await cmp.sample(name, 'tail', () => e.dockerOk(['logs', '--tail', '10', 'bench-logs']));
        }
      }
    });
    return cmp;
  },
};
