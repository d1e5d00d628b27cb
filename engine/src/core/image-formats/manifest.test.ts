import { describe, expect, it } from 'vitest';
import { toDockerSaveManifest } from './docker-save.ts';
import { parseManifestBytes, toImageIndex, toImageManifest } from './manifest.ts';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const desc = (c: string, extra: object = {}) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: D(c), size: 10, ...extra });
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('manifests and indexes: optional fields may be null', () => {
  it('annotations, urls and platform null on descriptors and on the manifest', () => {
    const m = toImageManifest({ schemaVersion: 2, config: desc('c', { annotations: null }), layers: [desc('a', { annotations: null, urls: null, platform: null })], annotations: null });
    expect(m.layers[0]).toEqual(desc('a'));
    expect(m.config).toEqual(desc('c'));
    expect(m).not.toHaveProperty('annotations');
  });

  it('null layers is an image without layers', () => {
    expect(toImageManifest({ schemaVersion: 2, config: desc('c'), layers: null }).layers).toEqual([]);
  });

  it('an index with null manifests lists nothing; null platform fields read as ""', () => {
    expect(toImageIndex({ schemaVersion: 2, manifests: null }).manifests).toEqual([]);
    const index = toImageIndex({ manifests: [desc('b', { platform: { architecture: 'amd64', os: 'linux', variant: null } })] });
    expect(index.manifests[0].platform).toEqual({ architecture: 'amd64', os: 'linux' });
  });

  it('a descriptor without a usable digest or size is refused with the field named', () => {
    expect(() => toImageManifest({ config: desc('c'), layers: [{ digest: 'sha256:zz', size: 1 }] })).toThrow(/layers\.0\.digest/);
    expect(() => toImageManifest({ config: desc('c', { size: null }), layers: [] })).toThrow(/config\.size/);
    expect(() => toImageManifest({ config: desc('c'), layers: [desc('a', { size: -1 })] })).toThrow(/layers\.0\.size/);
    expect(() => toImageManifest({ layers: [] })).toThrow(/config: missing/);
  });

  it('the media type decides index vs manifest, the document when the type is generic', () => {
    const index = { schemaVersion: 2, manifests: [desc('b')] };
    expect(parseManifestBytes(bytes(index), 'application/json').kind).toBe('index');
    expect(parseManifestBytes(bytes(index), undefined).kind).toBe('index');
    expect(parseManifestBytes(bytes({ schemaVersion: 2, config: desc('c'), layers: [] }), '').kind).toBe('manifest');
    expect(() => parseManifestBytes(Buffer.from('null'), 'application/json')).toThrow(/not a JSON object/);
  });
});

describe('docker save manifest.json', () => {
  it('RepoTags and Layers may be null or absent', () => {
    expect(toDockerSaveManifest([{ Config: 'c.json', RepoTags: null, Layers: null }, { Config: 'd.json' }])).toEqual([
      { config: 'c.json', repoTags: [], layers: [] },
      { config: 'd.json', repoTags: [], layers: [] },
    ]);
  });

  it('extra fields (Parent, LayerSources) are ignored; a missing Config is an error naming the entry', () => {
    expect(toDockerSaveManifest([{ Config: 'c', Layers: ['l/layer.tar'], Parent: '', LayerSources: {} }])[0].layers).toEqual(['l/layer.tar']);
    expect(() => toDockerSaveManifest([{ Layers: [] }])).toThrow(/manifest\.json: 0\.Config/);
    expect(() => toDockerSaveManifest({})).toThrow(/invalid archive: manifest\.json/);
  });
});
