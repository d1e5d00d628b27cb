// Throughput through a published port: a container serves a 1 GiB file with busybox httpd on
// -p 127.0.0.1::8080, and the host fetches it over 127.0.0.1. Three sides:
//   berth     berthd on this host (netavark's DNAT, no proxy process)
//   berth-vm  berthd in the Berth VM: the host forwarder listens on the port and pipes each
//             connection through QEMU's user-mode network to the guest agent (TCG here, so read
//             it as a floor: under a real hypervisor the guest's side costs far less)
//   dockerd   Debian's dockerd (docker-proxy)
// Reported as seconds per download, lower is better; the note gives MB/s and Gbit/s per side.
import { request } from 'node:http';
import type { Benchmark } from './lib/benchmark.ts';
import { Comparison, orderFor, withEngines } from './lib/comparison.ts';
import { startBench, startDockerdEngine, type BenchEngine, type EngineName } from './lib/engines.ts';
import { median } from './lib/stats.ts';
import { BENCH_VM, pullSameName, startVmEngine } from './lib/vm-engines.ts';

const FILE_MB = 1024;
const RUNS = 3;
const SIDES: readonly EngineName[] = ['berth', 'berth-vm', 'dockerd'];
/** The VM makes the file on its emulated disk and the forwarder opens the port after the start
 * event: both take a while under TCG. */
const READY_MS = 10 * 60_000;

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

function start(name: EngineName, registryHost: string): Promise<BenchEngine> {
  if (name === 'berth-vm') return startVmEngine(registryHost);
  // A bridge of dockerd's own: the VM side keeps this run long, and another dockerd on a shared
  // machine may take docker0 away meanwhile. Ports are then published by docker-proxy alone,
  // which is the path measured anyway (traffic to 127.0.0.1).
  if (name === 'dockerd') return startDockerdEngine(registryHost, true, true);
  return startBench(name, registryHost, true);
}

export const portThroughput: Benchmark = {
  name: 'port-throughput',
  description: `HTTP download of a ${FILE_MB} MB file through a port published on 127.0.0.1 (${RUNS} runs each; VM: ${BENCH_VM.cpus} vCPU)`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description, SIDES);
    // Seconds per download: the ratio of times is the inverse of the throughput ratio.
    cmp.metric('download', { label: `download ${FILE_MB} MB (s)`, unit: 'ms', target: 1.0 });
    const image = await fx.busybox();
    await withEngines(cmp, (name) => start(name, fx.registry.host), async (engines) => {
      const ports = new Map<string, number>();
      for (const e of Object.values(engines)) {
        await cmp.step(e.name, 'start server', async () => {
          await pullSameName(e, image);
          await e.dockerOk(['run', '-d', '--name', 'bench-httpd', '-p', '127.0.0.1::8080', image, 'sh', '-c',
            `mkdir -p /www && head -c ${FILE_MB * 1024 * 1024} /dev/zero > /www/big && exec httpd -f -p 8080 -h /www`], READY_MS);
          const port = (await e.dockerOk(['port', 'bench-httpd', '8080/tcp'])).stdout.split('\n')[0].split(':').pop();
          ports.set(e.name, Number(port));
          const deadline = Date.now() + READY_MS;
          while (Date.now() < deadline) {
            if (await fetchAll(Number(port)).then((n) => n === FILE_MB * 1024 * 1024, () => false)) return;
            await new Promise((r) => setTimeout(r, 500));
          }
          throw new Error('httpd did not serve the file');
        });
      }
      for (let i = 0; i < RUNS; i++) {
        for (const name of orderFor(i, SIDES)) {
          const port = ports.get(name);
          if (port) await cmp.sample(name, 'download', () => fetchAll(port));
        }
      }
    });
    const rates = SIDES.map((side) => {
      const ms = cmp.samplesOf('download', side);
      if (!ms.length) return `${side} —`;
      const mbps = FILE_MB / (median(ms) / 1000);
      return `${side} ${mbps.toFixed(0)} MB/s (${((mbps * 8 * 1024 * 1024) / 1e9).toFixed(2)} Gbit/s)`;
    });
    cmp.note(`median throughput: ${rates.join(', ')}; anchors: gvproxy 1.6–2.3 Gbit/s, Lima 4–6 Gbit/s (under a real hypervisor)`);
    return cmp;
  },
};
