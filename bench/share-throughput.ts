// Bind-mount throughput through the Berth VM's shared folders (9p), against the same operations
// on the host directly and through a native berthd bind (the baseline a Linux user has today):
//   write   dd 200 MB of zeros into the folder, fsync'd (conv=fsync)
//   read    dd the same 200 MB back (warm: the host's page cache holds it on every side)
//   find    find over 10,000 small files in 100 folders (the tree is made on the host, untimed)
//   stat    find … -exec stat over the same 10,000 files
// Every side runs the same busybox commands (the host's /usr/bin/busybox, the test image's in
// containers); each times itself from /proc/uptime, so container start-up is not in the figures.
// Under TCG (this machine) the VM's side is a floor, not what a hypervisor gives.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark } from './lib/benchmark.ts';
import { Comparison, orderFor } from './lib/comparison.ts';
import { onCleanup } from './lib/cleanup.ts';
import { startBench, type BenchEngine, type EngineName } from './lib/engines.ts';
import { guestRef, startVmEngine } from './lib/vm-engines.ts';

const SIDES: readonly EngineName[] = ['host', 'berth', 'berth-vm'];
const MB = 200;
const FILES = 10_000;
const RUNS = 3;

const OPS: Record<string, string> = {
  write: `dd if=/dev/zero of="$D/big" bs=1M count=${MB} conv=fsync 2>/dev/null`,
  read: `dd if="$D/big" of=/dev/null bs=1M 2>/dev/null`,
  find: `test "$(find "$D/small" -type f | wc -l)" -eq ${FILES}`,
  stat: `test "$(find "$D/small" -type f -exec stat -c %s {} + | wc -l)" -eq ${FILES}`,
};

/** The op between two reads of /proc/uptime (centiseconds), answered as seconds. */
const timedScript = (op: string) => `read a _ </proc/uptime; ${op} || exit 3; read b _ </proc/uptime; echo "$a $b"`;

function hostSh(script: string, dir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('busybox', ['sh', '-c', script], { env: { ...process.env, D: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`busybox sh: exit ${code}: ${err}`))));
  });
}

function smallTree(dir: string): void {
  for (let d = 0; d < 100; d++) {
    mkdirSync(join(dir, 'small', `d${d}`), { recursive: true });
    for (let f = 0; f < FILES / 100; f++) writeFileSync(join(dir, 'small', `d${d}`, `f${f}`), `${d}/${f}\n`);
  }
}

export const shareThroughput: Benchmark = {
  name: 'share-throughput',
  description: `bind mounts: ${MB} MB sequential write/read and find/stat over ${FILES} files: host directly, native berthd bind, Berth VM share (9p)`,
  async run(fx) {
    const cmp = new Comparison(this.name, this.description, SIDES);
    for (const [key, label] of [['write', `write ${MB} MB (fsync)`], ['read', `read ${MB} MB`], ['find', `find ${FILES} files`], ['stat', `stat ${FILES} files`]] as const) {
      cmp.metric(key, { label, unit: 's', ratio: ['berth-vm', 'host'] });
    }
    const image = await fx.busybox();
    const root = mkdtempSync(join(tmpdir(), 'bench-share-'));
    const removeRoot = onCleanup(async () => rmSync(root, { recursive: true, force: true }));
    const dirs = Object.fromEntries(SIDES.map((side) => [side, join(root, side)])) as Record<EngineName, string>;
    for (const side of SIDES) smallTree(dirs[side]);
    const engines: Partial<Record<EngineName, BenchEngine>> = {};
    try {
      engines.berth = await cmp.step('berth', 'start berth', () => startBench('berth', fx.registry.host));
      // The VM shares the bench's folder (its home is shared as well, as for any user).
      engines['berth-vm'] = await cmp.step('berth-vm', 'start berth-vm', () => startVmEngine(fx.registry.host, [root]));
      const refs: Partial<Record<EngineName, string>> = { berth: image, 'berth-vm': guestRef(image) };
      for (const side of ['berth', 'berth-vm'] as const) {
        const e = engines[side];
        if (e) await cmp.step(side, 'pull', () => e.dockerOk(['pull', '-q', refs[side]!]));
      }
      const runOp = async (side: EngineName, op: string): Promise<number> => {
        const script = timedScript(OPS[op]);
        const out = side === 'host'
          ? await hostSh(script, dirs.host)
          : (await engines[side]!.dockerOk(['run', '--rm', '-e', 'D=/data', '-v', `${dirs[side]}:/data`, refs[side]!, 'sh', '-c', script], 900_000)).stdout;
        const [a, b] = out.trim().split(' ').map(Number);
        return b - a;
      };
      for (let i = 0; i < RUNS; i++) {
        for (const side of orderFor(i, SIDES)) {
          if (side !== 'host' && (!engines[side] || cmp.failed(side))) continue;
          for (const op of Object.keys(OPS)) {
            await cmp.step(side, op, async () => cmp.record(side, op, await runOp(side, op)));
          }
        }
      }
      for (const side of SIDES) {
        const median = (op: string) => {
          const s = [...cmp.samplesOf(op, side)].sort((x, y) => x - y);
          return s[Math.floor(s.length / 2)];
        };
        const w = median('write');
        const r = median('read');
        if (w !== undefined && r !== undefined) cmp.note(`${side}: write ${(MB / Math.max(w, 0.01)).toFixed(0)} MB/s, read ${(MB / Math.max(r, 0.01)).toFixed(0)} MB/s`);
      }
    } finally {
      for (const e of Object.values(engines)) await e.stop();
      await removeRoot();
    }
    return cmp;
  },
};
