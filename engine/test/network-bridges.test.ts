// User networks keep their bridge between containers (the engine's anchor, bridge-anchor.ts) and
// lose it at `network rm`: a rm racing `run`/`network connect` never leaves a container on a
// removed network nor a bridge behind, a firewall that lost the rules does not keep the network
// forever, and a host bridge the user named and made is never deleted by the engine.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineHandle } from './support/engine-harness.ts';
import { testImage } from './support/fixtures.ts';
import { anchorName } from '../src/platform/linux/network/bridge-anchor.ts';

let engine: EngineHandle;
let busybox: string;
const rand = () => Math.random().toString(36).slice(2, 7);
async function ok(args: string[]): Promise<string> {
  const r = await engine.docker(args);
  expect(r.code, `docker ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout.trim();
}
const link = (n: string) => existsSync(`/sys/class/net/${n}`);
const rules = (needles: string[]) => ['nat', 'filter'].flatMap((t) => execFileSync('iptables', ['-w', '-t', t, '-S'], { encoding: 'utf8' }).split('\n').filter((r) => needles.some((n) => r.includes(n))).map((r) => `${t}: ${r}`));
async function info(name: string) {
  const n = JSON.parse(await ok(['network', 'inspect', name]))[0];
  return { id: n.Id as string, bridge: (n.Options?.['com.docker.network.bridge.name'] as string) ?? `br-${n.Id.slice(0, 12)}`, subnet: n.IPAM.Config[0].Subnet as string };
}
/** aardvark-dns keeps one file per network it serves. */
function aardvarkServes(id: string): boolean {
  const dir = join(engine.execRoot, 'networks', 'aardvark-dns');
  return existsSync(dir) && readdirSync(dir).includes(id);
}
function leftovers(i: { id: string; bridge: string; subnet: string }): string[] {
  const out: string[] = [];
  if (link(i.bridge)) out.push(`bridge ${i.bridge} still there`);
  if (link(anchorName(i.bridge))) out.push(`anchor ${anchorName(i.bridge)} still there`);
  out.push(...rules([i.subnet, i.bridge]));
  if (aardvarkServes(i.id)) out.push(`aardvark file for ${i.id} still there`);
  return out;
}

beforeAll(async () => {
  engine = await startEngine();
  busybox = testImage('busybox').ref;
  await ok(['pull', busybox]);
}, 120_000);
afterAll(async () => { await engine?.stop(); });

describe('user network bridges', () => {
  it('network rm racing run / connect never leaves a container on a removed network', async () => {
    const problems: string[] = [];
    for (let k = 0; k < 6; k++) {
      const n = `race${k}`;
      await ok(['network', 'create', n]);
      await ok(['run', '--rm', '--network', n, busybox, 'true']); // bridge now kept
      const inf = await info(n);
      await ok(['run', '-d', '--name', `${n}-x`, busybox, 'sleep', '60']);
      const [run, rm, conn] = await Promise.all([
        engine.docker(['run', '-d', '--name', `${n}-r`, '--network', n, busybox, 'sleep', '60']),
        new Promise((r) => setTimeout(r, 30 * k)).then(() => engine.docker(['network', 'rm', n])),
        engine.docker(['network', 'connect', n, `${n}-x`]),
      ]);
      if (rm.code === 0 && (run.code === 0 || conn.code === 0)) {
        problems.push(`iter ${k}: rm ok and run=${run.code} connect=${conn.code}; networks of r: ${(await engine.docker(['inspect', '-f', '{{json .NetworkSettings.Networks}}', `${n}-r`])).stdout.trim().slice(0, 200)}`);
      }
      await engine.docker(['rm', '-f', `${n}-r`, `${n}-x`]);
      await engine.docker(['network', 'rm', n]);
      const lo = leftovers(inf);
      if (lo.length) problems.push(`iter ${k} leftovers after all removed: ${lo.join('; ')}`);
    }
        expect(problems).toEqual([]);
  }, 240_000);
  it('a pre-existing empty host bridge named by the option survives engine restart and network rm', async () => {
    const br = `userbr${rand()}`;
    execFileSync('ip', ['link', 'add', br, 'type', 'bridge']);
    const problems: string[] = [];
    try {
      await ok(['network', 'create', '-o', `com.docker.network.bridge.name=${br}`, 'userbr']);
      await engine.restart();
      if (!link(br)) problems.push('host bridge deleted by engine restart');
      if (!link(br)) execFileSync('ip', ['link', 'add', br, 'type', 'bridge']);
      const rm = await engine.docker(['network', 'rm', 'userbr']);
      if (rm.code !== 0) problems.push(`network rm failed: ${rm.stderr}`);
      if (!link(br)) problems.push('host bridge deleted by network rm');
    } finally {
      if (link(br)) execFileSync('ip', ['link', 'delete', br]);
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('network rm succeeds when the firewall lost the network\'s rules (a firewall reload) while its bridge was kept', async () => {
    await ok(['network', 'create', 'flushed']);
    const i = await info('flushed');
    await ok(['run', '--rm', '--network', 'flushed', busybox, 'true']);
    const nat = execFileSync('iptables', ['-w', '-t', 'nat', '-S'], { encoding: 'utf8' }).split('\n');
    const chain = nat.find((r) => r.startsWith('-A POSTROUTING') && r.includes(i.subnet))?.split(' -j ')[1];
    expect(chain).toBeDefined();
    execFileSync('iptables', ['-w', '-t', 'nat', '-D', 'POSTROUTING', '-s', i.subnet, '-j', chain!]);
    execFileSync('iptables', ['-w', '-t', 'nat', '-F', chain!]);
    execFileSync('iptables', ['-w', '-t', 'nat', '-X', chain!]);
    await ok(['network', 'rm', 'flushed']);
    expect(await ok(['network', 'ls', '-q', '--filter', 'name=flushed'])).toBe('');
    expect(engine.stderr()).toContain('network flushed: releasing bridge');
    // What the teardown could still reach went; what remains is netavark's, which it refused.
    if (link(i.bridge)) execFileSync('ip', ['link', 'delete', i.bridge]);
    for (const rule of rules([i.subnet])) {
      const [table, spec] = rule.split(': ');
      execFileSync('iptables', ['-w', '-t', table, ...spec.replace(/^-A /, '-D ').split(' ')]);
    }
  }, 60_000);
});
