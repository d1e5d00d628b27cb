// Throughput through a published port: a container serves a 100 MB file with busybox httpd on
// -p 127.0.0.1::8080, and the host fetches it over 127.0.0.1 (dockerd: docker-proxy; Berth:
// netavark's DNAT). Reported as MB/s, so higher is better: the target is a ratio ≥ 1.0.
import { request } from 'node:http';
import type { Benchmark } from './lib/benchmark.ts';
import { Comparison, orderFor, withEngines } from './lib/comparison.ts';
import { startBench } from './lib/engines.ts';

const FILE_MB = 100;
const RUNS = 5;

/** Downloads the whole body and returns the bytes received. */
function fetchAll(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/big', agent: false }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve(bytes));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export const portThroughput: Benchmark = {
  name: 'port-throughput',
  description: `HTTP download of a ${FILE_MB} MB file through a port published on 127.0.0.1 (${RUNS} runs each)`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description);
    // Seconds per download: the ratio of times is the inverse of the throughput ratio.
    cmp.metric('download', { label: `download ${FILE_MB} MB (s)`, unit: 'ms', target: 1.0 });
    const image = await fx.busybox();
    await withEngines(cmp, (name) => startBench(name, fx.registry.host, true), async (engines) => {
      const ports = new Map<string, number>();
      for (const e of Object.values(engines)) {
        await cmp.step(e.name, 'start server', async () => {
          await e.dockerOk(['pull', '-q', image]);
          await e.dockerOk(['run', '-d', '--name', 'bench-httpd', '-p', '127.0.0.1::8080', image, 'sh', '-c',
            `mkdir -p /www && head -c ${FILE_MB * 1024 * 1024} /dev/zero > /www/big && exec httpd -f -p 8080 -h /www`]);
          const port = (await e.dockerOk(['port', 'bench-httpd', '8080/tcp'])).stdout.split('\n')[0].split(':').pop();
          ports.set(e.name, Number(port));
          for (let i = 0; i < 50; i++) {
            if (await fetchAll(Number(port)).then((n) => n === FILE_MB * 1024 * 1024, () => false)) return;
            await new Promise((r) => setTimeout(r, 100));
          }
          throw new Error('httpd did not serve the file');
        });
      }
      for (let i = 0; i < RUNS; i++) {
        for (const name of orderFor(i)) {
          const port = ports.get(name);
          if (port) await cmp.sample(name, 'download', () => fetchAll(port));
        }
      }
    });
    return cmp;
  },
};
