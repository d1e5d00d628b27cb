// electron-builder.yml checked the way electron-builder itself checks it: against its own
// configuration schema (app-builder-lib/scheme.json, JSON Schema draft-07) with ajv. The schema
// forbids unknown keys almost everywhere, so a misspelled key fails here instead of being
// ignored on a workstation that can download Electron.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(REPO_ROOT, 'package.json'));
const schema = JSON.parse(readFileSync(join(dirname(require.resolve('app-builder-lib/package.json')), 'scheme.json'), 'utf8')) as object;
// electron-builder's own ajv options (app-builder-lib/out/util/config/schemaValidator.js), minus
// type coercion: the file should say what it means without being coerced.
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

type Config = Record<string, unknown> & {
  directories: { app: string; buildResources: string };
  linux: Record<string, unknown> & { icon: string; extraResources: { from: string; to: string }[] };
  deb: { depends: string[] };
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
