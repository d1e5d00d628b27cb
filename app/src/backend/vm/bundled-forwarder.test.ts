// The forwarder as the packaged app starts it: Vite bundles forwarder-main.ts beside Electron's
// main.js (vite.electron.config.ts), and Electron's binary runs that file as plain Node. Here the
// same build goes to a temp dir and the pinned Node runs the bundle against a real agent, so a
// bundle that needs the TypeScript sources, or a missing entry, fails this test.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAgentServer } from '../../../../vm-assets/agent/server.ts';
import { prepareHome, vmHome } from './vm-home.ts';

const CONFIG = fileURLToPath(new URL('../../../vite.electron.config.ts', import.meta.url));
const dir = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-bundled-forwarder-'));
const home = vmHome(join(dir, 'home'));
const SECRET = 'bundled-forwarder-secret';
let engine: Server;
let agent: Server;
let forwarder: ChildProcess | undefined;

const listen = (server: Server, ...args: unknown[]) => new Promise<void>((resolve) => (server.listen as (...a: unknown[]) => void)(...args, resolve));

beforeAll(async () => {
  await build({ configFile: CONFIG, mode: 'main', logLevel: 'silent', build: { outDir: join(dir, 'bundle'), sourcemap: false } });
  engine = createServer((socket) => socket.on('data', (chunk: Buffer) => socket.end(`engine got ${chunk.toString()}`)));
  await listen(engine, join(dir, 'engine.sock'));
  agent = createAgentServer({ secret: SECRET, enginePath: join(dir, 'engine.sock'), actions: { status: async () => ({}), setClock: async () => {}, powerOff: () => {} } });
  await listen(agent, 0, '127.0.0.1');
}, 120_000);

afterAll(async () => {
  forwarder?.kill('SIGKILL');
  for (const server of [agent, engine]) await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  rmSync(dir, { recursive: true, force: true });
});

it('vm-forwarder.js is built beside main.js and serves the home socket through the agent under plain Node', async () => {
  const bundle = join(dir, 'bundle', 'vm-forwarder.js');
  expect(existsSync(join(dir, 'bundle', 'main.js'))).toBe(true);
  expect(existsSync(bundle)).toBe(true);
  prepareHome(home);
  writeFileSync(home.secret, SECRET, { mode: 0o600 });
  forwarder = spawn(process.execPath, [bundle, home.dir, String((agent.address() as AddressInfo).port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  // The forwarder says so on stdout once the socket listens.
  await new Promise<void>((resolve, reject) => {
    forwarder!.stdout!.once('data', () => resolve());
    forwarder!.once('exit', (code) => reject(new Error(`the bundled forwarder exited ${code}`)));
  });
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(home.dockerSocket);
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    socket.write('ping');
  });
  expect(answer).toBe('engine got ping');
}, 60_000);
