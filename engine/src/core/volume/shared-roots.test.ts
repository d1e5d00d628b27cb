import { describe, expect, it } from 'vitest';
import { checkShared, isShared } from './shared-roots.ts';

const shared = { roots: ['/home/ann', '/srv/data/'], exempt: ['/run/berth/docker.sock'] };

describe('shared roots of the Berth VM', () => {
  it('accepts a shared folder itself and anything under it', () => {
    expect(isShared('/home/ann', shared)).toBe(true);
    expect(isShared('/home/ann/proj/src', shared)).toBe(true);
    expect(isShared('/srv/data', shared)).toBe(true);
    expect(isShared('/home/ann/proj/', shared)).toBe(true);
  });

  it('refuses a sibling whose name merely starts like a share, and paths that climb out', () => {
    expect(isShared('/home/anne/x', shared)).toBe(false);
    expect(isShared('/home/ann/../bob', shared)).toBe(false);
    expect(isShared('/etc', shared)).toBe(false);
    expect(isShared('/', shared)).toBe(false);
  });

  it('lets the engine own sockets through (docker-in-docker style binds)', () => {
    expect(isShared('/run/berth/docker.sock', shared)).toBe(true);
  });

  it('names the path and how to share it, in dockerd\'s invalid-mount wording (a 400)', () => {
    let caught: unknown;
    try {
      checkShared('/opt/work', shared);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ kind: 'invalid' });
    const message = (caught as Error).message;
    expect(message).toMatch(/^invalid mount config for type "bind": bind source path is not shared with the Berth VM: \/opt\/work;/);
    expect(message).toContain('Settings → Virtual machine → Shared folders');
    expect(message).toContain('berth vm restart --share');
  });

  it('checks nothing on a native engine (no roots given)', () => {
    expect(() => checkShared('/anything', undefined)).not.toThrow();
  });
});
