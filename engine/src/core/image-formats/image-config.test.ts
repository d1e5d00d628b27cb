import { describe, expect, it } from 'vitest';
import { parseImageConfig, toImageConfig } from './image-config.ts';

const DIFF = `sha256:${'a'.repeat(64)}`;
const base = { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [DIFF] } };
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

/** Every optional field of the `config` object and what a reader must see for null/absent. */
const RUN_FIELDS = ['User', 'ExposedPorts', 'Env', 'Entrypoint', 'Cmd', 'Volumes', 'WorkingDir', 'Labels', 'StopSignal', 'Healthcheck', 'OnBuild', 'Shell', 'ArgsEscaped'] as const;

const hasNull = (value: unknown): boolean =>
  value === null || (typeof value === 'object' && Object.values(value as object).some(hasNull));

describe('image config parsing: null, absent and empty are all legal', () => {
  for (const field of RUN_FIELDS) {
    it(`config.${field}: null reads as absent`, () => {
      const config = parseImageConfig(bytes({ ...base, config: { [field]: null } }));
      expect(config.config).toEqual({});
      expect(hasNull(config)).toBe(false);
    });
  }

  it('the config Debian\'s dockerd writes for `docker import` (every field null) parses to no nulls', () => {
    const imported = {
      ...base,
      architecture: 'amd64',
      comment: 'Imported from -',
      container_config: { Hostname: '', Domainname: '', User: '', AttachStdin: false, Tty: false, Env: null, Cmd: null, Image: '', Volumes: null, WorkingDir: '', Entrypoint: null, OnBuild: null, Labels: null },
      created: '2024-05-01T10:00:00.123456789Z',
      docker_version: '20.10.24+dfsg1',
      config: { Hostname: '', User: '', Env: null, Cmd: null, Image: '', Volumes: null, WorkingDir: '', Entrypoint: null, OnBuild: null, Labels: null, ExposedPorts: null },
      history: [{ created: '2024-05-01T10:00:00Z', comment: 'Imported from -' }],
    };
    const config = parseImageConfig(bytes(imported));
    expect(hasNull(config)).toBe(false);
    expect(config.config).toEqual({ User: '', WorkingDir: '' });
    expect(config.comment).toBe('Imported from -');
    expect(config.history).toEqual([{ created: '2024-05-01T10:00:00Z', comment: 'Imported from -' }]);
  });

  it('top-level optional fields: config, container_config, history, created, author may be null', () => {
    const config = toImageConfig({ ...base, config: null, container_config: null, history: null, created: null, author: null, comment: null, variant: null });
    expect(config).toEqual({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [DIFF] } });
  });

  it('rootfs.diff_ids null or absent is an image without layers', () => {
    expect(toImageConfig({ ...base, rootfs: { type: 'layers', diff_ids: null } }).rootfs.diff_ids).toEqual([]);
    expect(toImageConfig({ ...base, rootfs: { type: 'layers' } }).rootfs.diff_ids).toEqual([]);
  });

  it('a null element of a string list decodes as "" (Go\'s zero value), as dockerd reads it', () => {
    const config = toImageConfig({ ...base, config: { Env: ['A=1', null], Cmd: [null, 'x'], OnBuild: [null], Shell: null } });
    expect(config.config?.Env).toEqual(['A=1', '']);
    expect(config.config?.Cmd).toEqual(['', 'x']);
    expect(config.config?.OnBuild).toEqual(['']);
  });

  it('null history entries and null fields inside entries', () => {
    const config = toImageConfig({ ...base, history: [null, { created: null, created_by: null, empty_layer: null, comment: 'c' }] });
    expect(config.history).toEqual([{}, { comment: 'c' }]);
  });

  it('null values in Labels become "", and ExposedPorts/Volumes keep only their keys', () => {
    const config = toImageConfig({ ...base, config: { Labels: { a: null, b: 'x' }, ExposedPorts: { '80': null, 'x/tcp': {} }, Volumes: { '/data': null } } });
    expect(config.config?.Labels).toEqual({ a: '', b: 'x' });
    expect(config.config?.ExposedPorts).toEqual({ '80': {}, 'x/tcp': {} });
    expect(config.config?.Volumes).toEqual({ '/data': {} });
  });

  it('Healthcheck with null members', () => {
    const config = toImageConfig({ ...base, config: { Healthcheck: { Test: null, Interval: null, Retries: 3 } } });
    expect(config.config?.Healthcheck).toEqual({ Retries: 3 });
  });

  it('Entrypoint and Cmd may be a lone string (Docker strslice)', () => {
    expect(toImageConfig({ ...base, config: { Cmd: 'sh' } }).config?.Cmd).toEqual(['sh']);
  });

  it('keys match case-insensitively as in Go, an exact key winning', () => {
    const config = toImageConfig({ ...base, config: { env: ['A=1'], cmd: ['lower'], Cmd: ['exact'] } });
    expect(config.config?.Env).toEqual(['A=1']);
    expect(config.config?.Cmd).toEqual(['exact']);
  });

  it('unknown fields are dropped, so nothing unparsed travels further', () => {
    const config = toImageConfig({ ...base, 'moby.buildkit.buildinfo.v1': 'x', config: { Hostname: 'h', Image: 'sha256:x' } });
    expect(config).not.toHaveProperty('moby.buildkit.buildinfo.v1');
    expect(config.config).toEqual({});
  });

  it('an unparseable created time is dropped rather than shown as NaN', () => {
    expect(toImageConfig({ ...base, created: 'yesterday' }).created).toBeUndefined();
  });
});

describe('image config parsing: what dockerd refuses is refused, with the field named', () => {
  it('a wrong type in an optional field', () => {
    expect(() => toImageConfig({ ...base, config: { Env: 'A=1' } })).toThrow(/invalid image config: config\.Env: /);
    expect(() => toImageConfig({ ...base, config: { Labels: { a: 1 } } })).toThrow(/config\.Labels\.a/);
    expect(() => toImageConfig({ ...base, history: [{ empty_layer: 'yes' }] })).toThrow(/history\.0\.empty_layer/);
  });

  it('no rootfs, or a diff ID that is not a sha256 digest', () => {
    expect(() => toImageConfig({ architecture: 'amd64', os: 'linux' })).toThrow(/rootfs: missing/);
    expect(() => toImageConfig({ ...base, rootfs: null })).toThrow(/rootfs: missing/);
    expect(() => toImageConfig({ ...base, rootfs: { type: 'layers', diff_ids: ['md5:1'] } })).toThrow(/rootfs\.diff_ids\.0/);
  });

  it('not JSON, or not an object', () => {
    expect(() => parseImageConfig(Buffer.from('{'))).toThrow(/not valid JSON/);
    expect(() => parseImageConfig(Buffer.from('[]'))).toThrow(/invalid image config/);
    expect(() => parseImageConfig(Buffer.from('null'))).toThrow(/invalid image config/);
  });

  it('errors are "invalid" engine errors (a 400 with a message, not a crash later)', () => {
    try {
      toImageConfig({ ...base, config: { Cmd: 5 } });
      expect.unreachable();
    } catch (error) {
      expect((error as { kind?: string }).kind).toBe('invalid');
    }
  });
});
