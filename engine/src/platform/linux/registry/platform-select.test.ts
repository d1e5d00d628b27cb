import { describe, expect, it } from 'vitest';
import type { Descriptor, ImageIndex } from '../../../core/oci-types.ts';
import { parseManifest } from './manifest.ts';
import { defaultPlatform, parsePlatform, selectManifest } from './platform-select.ts';

const d = (n: number, platform?: Descriptor['platform'], annotations?: Record<string, string>): Descriptor => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: 'sha256:' + String(n).repeat(64).slice(0, 64),
  size: n,
  ...(platform ? { platform } : {}),
  ...(annotations ? { annotations } : {}),
});
const index = (...manifests: Descriptor[]): ImageIndex => ({ schemaVersion: 2, manifests });

describe('platform selection', () => {
  it('maps Node architectures to OCI names', () => {
    expect(defaultPlatform('x64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(defaultPlatform('arm64')).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(defaultPlatform('arm', '6')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v6' });
    expect(parsePlatform('linux/arm64/v8')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
  });

  it('matches os, architecture and variant, treating arm64 as v8 by default', () => {
    const i = index(d(1, { os: 'linux', architecture: 'amd64' }), d(2, { os: 'linux', architecture: 'arm64', variant: 'v8' }), d(3, { os: 'windows', architecture: 'arm64' }));
    expect(selectManifest(i, { os: 'linux', architecture: 'arm64' }).size).toBe(2);
    expect(selectManifest(i, { os: 'linux', architecture: 'amd64' }).size).toBe(1);
    expect(() => selectManifest(i, { os: 'linux', architecture: 'riscv64' })).toThrow('no matching manifest for linux/riscv64 in the manifest list entries');
  });

  it('prefers the exact arm variant and falls back to older ones', () => {
    const i = index(d(6, { os: 'linux', architecture: 'arm', variant: 'v6' }), d(7, { os: 'linux', architecture: 'arm', variant: 'v7' }));
    expect(selectManifest(i, { os: 'linux', architecture: 'arm', variant: 'v7' }).size).toBe(7);
    expect(selectManifest(index(d(6, { os: 'linux', architecture: 'arm', variant: 'v6' })), { os: 'linux', architecture: 'arm', variant: 'v7' }).size).toBe(6);
    expect(() => selectManifest(index(d(7, { os: 'linux', architecture: 'arm', variant: 'v7' })), { os: 'linux', architecture: 'arm', variant: 'v6' })).toThrow();
  });

  it('lets entries without platform pass and skips attestations', () => {
    const att = d(4, { os: 'unknown', architecture: 'unknown' }, { 'vnd.docker.reference.type': 'attestation-manifest' });
    expect(selectManifest(index(att, d(5)), { os: 'linux', architecture: 'amd64' }).size).toBe(5);
    expect(() => selectManifest(index(att), { os: 'linux', architecture: 'amd64' })).toThrow('no matching manifest');
  });
});

describe('manifest parsing', () => {
  const manifest = { schemaVersion: 2, config: { mediaType: 'x', digest: 'sha256:' + 'a'.repeat(64), size: 1 }, layers: [] };
  it('decides by Content-Type ignoring parameters, else by the document', () => {
    expect(parseManifest(Buffer.from(JSON.stringify(manifest)), 'application/vnd.docker.distribution.manifest.v2+json; charset=utf-8').mediaType).toBe(
      'application/vnd.docker.distribution.manifest.v2+json',
    );
    expect(parseManifest(Buffer.from(JSON.stringify(manifest)), 'application/json').kind).toBe('manifest');
    expect(parseManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [] })), 'application/octet-stream').kind).toBe('index');
  });
  it('rejects schema 1 and malformed documents', () => {
    expect(() => parseManifest(Buffer.from('{"schemaVersion":1}'), 'application/vnd.docker.distribution.manifest.v1+prettyjws')).toThrow('schema 1');
    expect(() => parseManifest(Buffer.from('nope'), 'application/json')).toThrow('not valid JSON');
    expect(() => parseManifest(Buffer.from('{"schemaVersion":2,"layers":[]}'), 'application/vnd.oci.image.manifest.v1+json')).toThrow('config: missing');
  });
});
