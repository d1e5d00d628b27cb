// `berth diagnose` and the Troubleshoot view's "Write diagnostics bundle": one .tar.gz a user can
// attach to a bug report, with the versions (berth, Node, QEMU, the guest image's manifest), the
// app's settings, the VM's state and `berth vm status`, the last part of each log (the guest's
// console carries berthd's and the agent's output; QEMU's; the forwarder's), and the docker CLI's
// config. Everything passes through redact.ts first; the secret file itself is never read into
// the bundle except to know what to remove.
import { execFile } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { readFileTail } from '../engine-process-helpers.ts';
import { arch, homedir, platform, release } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { findAssets, findQemu, hostVmArch } from '../vm/vm-host.ts';
import { vmStatus } from '../vm/vm-control.ts';
import type { VmHome } from '../vm/vm-home.ts';
import { statusLines } from '../vm/vm-status-lines.ts';
import { redactFile, redactText } from './redact.ts';

/** Per log: the last part is what a bug report needs (and keeps the bundle small). */
const LOG_TAIL_BYTES = 2 * 1024 * 1024;
const APP_PACKAGE = new URL('../../../package.json', import.meta.url);

export interface DiagnosticsInput {
  home: VmHome;
  /** Where settings.json lives (the app's or the CLI's settings dir). */
  settingsDir?: string;
  /** The docker CLI's config dir ($DOCKER_CONFIG, else ~/.docker). */
  dockerConfigDir?: string;
  out: string;
}

export interface DiagnosticsResult {
  path: string;
  entries: string[];
}

function tail(path: string, bytes: number): string | undefined {
  if (!existsSync(path)) return undefined;
  const { text, start } = readFileTail(path, bytes);
  return (start > 0 ? `[… ${start} earlier bytes left out]\n` : '') + text;
}

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function qemuVersion(): Promise<string> {
  return new Promise((resolve) => {
    let qemu: string;
    try {
      qemu = findQemu(hostVmArch());
    } catch (error) {
      resolve(`not found: ${(error as Error).message}`);
      return;
    }
    execFile(qemu, ['--version'], { timeout: 10_000 }, (error, stdout) => resolve(error ? `${qemu}: ${error.message}` : stdout.split('\n')[0]));
  });
}

function guestManifest(): unknown {
  try {
    return JSON.parse(readFileSync(join(findAssets(hostVmArch()), 'manifest.json'), 'utf8'));
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** A default place for the bundle: ~/Downloads when there is one, else the home directory. */
export function defaultBundlePath(now = new Date()): string {
  const stamp = now.toISOString().replace(/[:]/g, '-').replace(/\..*$/, '');
  const downloads = join(homedir(), 'Downloads');
  return join(existsSync(downloads) ? downloads : homedir(), `berth-diagnostics-${stamp}.tar.gz`);
}

export async function writeDiagnosticsBundle(input: DiagnosticsInput): Promise<DiagnosticsResult> {
  const { home } = input;
  const secrets = [readOr(home.secret)?.trim()].filter((s): s is string => Boolean(s));
  const files = new Map<string, string>();
  const put = (name: string, text: string | undefined) => {
    if (text !== undefined) files.set(name, redactFile(text, secrets));
  };
  const appVersion = (JSON.parse(readFileSync(APP_PACKAGE, 'utf8')) as { version: string }).version;
  put('versions.json', JSON.stringify({
    berth: appVersion, node: process.version, electron: process.versions.electron ?? null,
    os: { platform: platform(), release: release(), arch: arch() }, qemu: await qemuVersion(), guest: guestManifest(),
  }));
  if (input.settingsDir) put('settings.json', readOr(join(input.settingsDir, 'settings.json')));
  put('vm/state.json', readOr(home.stateFile));
  const status = await vmStatus(home).catch((error: Error) => error);
  files.set('vm/status.txt', redactText(status instanceof Error ? `vm status failed: ${status.message}\n` : `${statusLines(home, status).join('\n')}\n`, secrets));
  for (const [name, path] of [['console.log', home.serialLog], ['qemu.log', home.qemuLog], ['forwarder.log', home.forwarderLog]] as const) {
    const text = tail(path, LOG_TAIL_BYTES);
    if (text !== undefined) files.set(`logs/${name}`, redactText(text, secrets));
  }
  const dockerConfig = input.dockerConfigDir ?? process.env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  put('docker/config.json', readOr(join(dockerConfig, 'config.json')));

  mkdirSync(dirname(input.out), { recursive: true });
  const tar = pack();
  const mtime = new Date();
  for (const [name, text] of files) tar.entry({ name: `berth-diagnostics/${name}`, mode: 0o644, mtime }, text);
  tar.finalize();
  // 0600: logs name the user's containers and paths.
  await pipeline(tar, createGzip(), createWriteStream(input.out, { mode: 0o600 }));
  return { path: input.out, entries: [...files.keys()] };
}
