import { describe, expect, it } from 'vitest';
import { parseBind, parseMountSpec, parseVolumesFrom, tmpfsData, validMountMode } from './mount-parse.ts';

const exists = (set: string[]) => (path: string) => set.includes(path);

describe('parseBind (-v)', () => {
  it('reads host binds with modes and propagation', () => {
    expect(parseBind('/host/dir:/ctr')).toMatchObject({ Type: 'bind', Source: '/host/dir', Destination: '/ctr', RW: true, Mode: '', Propagation: 'rprivate', CreateSource: true });
    expect(parseBind('/host//dir/:/ctr/x/:ro,rshared,z')).toMatchObject({ Source: '/host/dir', Destination: '/ctr/x', RW: false, Mode: 'ro,rshared,z', Propagation: 'rshared' });
  });

  it('reads named and anonymous volumes, with mode z by default and nocopy', () => {
    expect(parseBind('data:/var/lib/data')).toMatchObject({ Type: 'volume', Name: 'data', Mode: 'z', RW: true, CopyData: true });
    expect(parseBind('data:/d:ro,nocopy')).toMatchObject({ Name: 'data', RW: false, CopyData: false });
    expect(parseBind('/only/target')).toMatchObject({ Type: 'volume', Name: '', Destination: '/only/target' });
  });

  it('rejects relative targets, root targets, bad modes and malformed specs with dockerd messages', () => {
    expect(() => parseBind('data:relative')).toThrow(`invalid volume specification: 'data:relative': invalid mount config for type "volume": invalid mount path: 'relative' mount path must be absolute`);
    expect(() => parseBind('/h:/')).toThrow('destination can\'t be \'/\'');
    expect(() => parseBind('/h:/c:bogus')).toThrow('invalid mode: bogus');
    expect(() => parseBind('/c:rw')).toThrow(`invalid volume specification: '/c:rw'`);
    expect(() => parseBind(':/c')).toThrow('invalid volume specification');
    expect(() => parseBind('a:/b:ro:x')).toThrow('invalid volume specification');
    expect(() => parseBind('vol:/c:rshared')).toThrow('field BindOptions must not be specified');
  });

  it('allows only one word of each mode kind', () => {
    expect(validMountMode('ro,z,rslave,nocopy,cached')).toBe(true);
    expect(validMountMode('ro,rw')).toBe(false);
    expect(validMountMode('shared,private')).toBe(false);
  });
});

describe('parseMountSpec (--mount)', () => {
  it('requires an existing bind source unless CreateMountpoint is set', () => {
    expect(() => parseMountSpec({ Type: 'bind', Source: '/nope', Target: '/x' }, exists([])))
      .toThrow('invalid mount config for type "bind": bind source path does not exist: /nope');
    expect(parseMountSpec({ Type: 'bind', Source: '/nope', Target: '/x', BindOptions: { CreateMountpoint: true } }, exists([])))
      .toMatchObject({ CreateSource: true });
    expect(parseMountSpec({ Type: 'bind', Source: '/src', Target: '/x', ReadOnly: true, BindOptions: { Propagation: 'rslave', NonRecursive: true } }, exists(['/src'])))
      .toMatchObject({ Type: 'bind', RW: false, Propagation: 'rslave', NonRecursive: true, CreateSource: false });
  });

  it('validates targets, extra fields and propagation', () => {
    expect(() => parseMountSpec({ Type: 'volume', Target: 'rel' }, exists([]))).toThrow(`invalid mount config for type "volume": invalid mount path: 'rel' mount path must be absolute`);
    expect(() => parseMountSpec({ Type: 'tmpfs', Target: '/t', Source: 'x' }, exists([]))).toThrow('field Source must not be specified');
    expect(() => parseMountSpec({ Type: 'bind', Source: '/s', Target: '/t', BindOptions: { Propagation: 'weird' } }, exists(['/s']))).toThrow('invalid propagation mode: weird');
    expect(() => parseMountSpec({ Type: 'volume', Target: '/t', ReadOnly: true }, exists([]))).toThrow('must not set ReadOnly mode when using anonymous volumes');
    expect(() => parseMountSpec({ Type: 'npipe', Target: '/t' }, exists([]))).toThrow('mount type unknown');
  });

  it('carries volume options and tmpfs options', () => {
    expect(parseMountSpec({ Type: 'volume', Source: 'v', Target: '/d', VolumeOptions: { NoCopy: true, Labels: { a: 'b' }, DriverConfig: { Name: 'local', Options: { type: 'tmpfs' } } } }, exists([])))
      .toMatchObject({ Name: 'v', CopyData: false, Driver: 'local', DriverOptions: { type: 'tmpfs' }, Labels: { a: 'b' } });
    expect(parseMountSpec({ Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1777 } }, exists([]))).toMatchObject({ TmpfsData: 'mode=1777,size=1m' });
    expect(tmpfsData({ SizeBytes: 1000, Options: [['exec']] }, true)).toBe('ro,size=1000,exec');
    expect(() => tmpfsData({ Options: [['suid']] }, false)).toThrow('invalid option: suid');
  });
});

describe('parseVolumesFrom', () => {
  it('reads the container and an optional ro/rw mode, refusing propagation and copy modes', () => {
    expect(parseVolumesFrom('data')).toEqual({ container: 'data', rw: true });
    expect(parseVolumesFrom('data:ro')).toEqual({ container: 'data', rw: false });
    expect(() => parseVolumesFrom('data:rshared')).toThrow('invalid mode: rshared');
    expect(() => parseVolumesFrom('data:nocopy')).toThrow('invalid mode: nocopy');
    expect(() => parseVolumesFrom('')).toThrow('cannot be an empty string');
  });
});
