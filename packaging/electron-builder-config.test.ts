// electron-builder.yml checked the way electron-builder itself checks it: against its own
// configuration schema (app-builder-lib/scheme.json, JSON Schema draft-07) with ajv. The schema
// forbids unknown keys almost everywhere, so a misspelled key fails here instead of being
// ignored on a workstation that can download Electron.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { stageVmAssets, VM_STAGE_DIR } from '../scripts/dist/desktop-dist.mjs';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(REPO_ROOT, 'package.json'));
const schema = JSON.parse(readFileSync(join(dirname(require.resolve('app-builder-lib/package.json')), 'scheme.json'), 'utf8')) as object;
// electron-builder's own ajv options (app-builder-lib/out/util/config/schemaValidator.js), minus
// type coercion: the file should say what it means without being coerced.
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

type Config = Record<string, unknown> & {
  directories: { app: string; buildResources: string };
  linux: Record<string, unknown> & { icon: string; extraResources: { from: string; to: string }[] };
  deb: { depends: string[]; recommends: string[] };
  mac: Record<string, unknown>;
  win: { icon: string };
  nsis: Record<string, unknown>;
  protocols: { schemes: string[] }[];
  extraResources: { from: string; to: string }[];
  asarUnpack: string[];
};

const config = parse(readFileSync(join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as Config;

function problems(data: unknown): string[] {
  return validate(data) ? [] : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

describe('electron-builder.yml', () => {
  it('matches electron-builder\'s configuration schema', () => {
    expect(problems(config)).toEqual([]);
  });

  it('fails the schema when a key is misspelled, at the top or in a target', () => {
    expect(problems({ ...config, artifactNam: config.artifactName })).not.toEqual([]);
    expect(problems({ ...config, mac: { ...config.mac, hardenedRuntme: false } })).not.toEqual([]);
    expect(problems({ ...config, nsis: { ...config.nsis, perMachien: false } })).not.toEqual([]);
  });

  it('names the app, its berth:// scheme and the per-user Windows install', () => {
    expect(config.appId).toBe('dev.berth.desktop');
    expect(config.productName).toBe('Berth');
    expect(config.protocols.flatMap((p) => p.schemes)).toContain('berth');
    expect(config.mac.category).toBe('public.app-category.developer-tools');
    expect(config.mac.hardenedRuntime).toBe(false);
    expect(config.nsis.perMachine).toBe(false);
    expect(config.nsis.oneClick).toBe(false);
  });

  it('makes the Linux deb depend on what berthd runs', () => {
    for (const pkg of ['runc', 'conmon', 'netavark', 'aardvark-dns', 'iptables', 'iproute2']) expect(config.deb.depends).toContain(pkg);
  });

  it('recommends QEMU (and qemu-img) for the Berth VM, and pkexec for berthd on this kernel', () => {
    expect(config.deb.recommends).toContain('qemu-system-x86 | qemu-system-arm');
    expect(config.deb.recommends).toContain('qemu-utils');
    expect(config.deb.recommends).toContain('pkexec');
  });

  it('recommends docker-compose, the Compose CLI the Compose view runs when there is no docker compose plugin', () => {
    expect(config.deb.recommends).toContain('docker-compose');
    expect(config.deb.depends).not.toContain('docker-compose');
  });

  it('ships the VM\'s guest for the target arch as resources/vm, staged from dist/vm under electron-builder\'s arch names', () => {
    expect(config.extraResources).toContainEqual({ from: `${VM_STAGE_DIR}/\${arch}`, to: 'vm' });
    const root = mkdtempSync(join(tmpdir(), 'berth-vm-stage-'));
    try {
      const guest = join(root, 'dist', 'vm', 'amd64');
      mkdirSync(guest, { recursive: true });
      for (const name of ['vmlinuz', 'initramfs.img', 'system.img']) writeFileSync(join(guest, name), name);
      const stage = join(root, VM_STAGE_DIR);
      expect(stageVmAssets(root, stage, 'x64')).toEqual(['x64']);
      expect(readFileSync(join(stage, 'x64', 'system.img'), 'utf8')).toBe('system.img');
      // A copy: the staged file is not the built one (dist/vm may be hard-linked elsewhere).
      expect(statSync(join(stage, 'x64', 'system.img')).ino).not.toBe(statSync(join(guest, 'system.img')).ino);
      expect(() => stageVmAssets(root, stage, 'arm64')).toThrow(/dist\/vm\/arm64.*npm run dist:vm arm64/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('ships the engine bundle and the tray icons, and unpacks node-pty\'s native files', () => {
    expect(config.extraResources).toContainEqual({ from: '.berth/dist-stage/engine-bundle', to: 'engine' });
    expect(config.extraResources).toContainEqual({ from: 'assets/tray', to: 'assets/tray' });
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.linux.extraResources.map((r) => r.to)).toEqual(['engine/bin/node', 'engine/berth-native']);
  });

  it('points at icons and an app folder that exist', () => {
    for (const path of [config.linux.icon, config.mac.icon as string, config.win.icon, 'assets/tray', config.directories.buildResources, join(config.directories.app, 'package.json')]) {
      expect(existsSync(join(REPO_ROOT, path)), path).toBe(true);
    }
  });
});
