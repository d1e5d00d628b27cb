import { describe, expect, it } from 'vitest';
import { checkRepositoryName, checkTag, splitReference } from './image-reference.ts';

describe('splitReference', () => {
  it('splits name and tag, defaulting to latest', () => {
    expect(splitReference('busybox')).toEqual({ repository: 'busybox', tag: 'latest' });
    expect(splitReference('library/nginx:1.27')).toEqual({ repository: 'library/nginx', tag: '1.27' });
  });

  it('keeps a registry port out of the tag', () => {
    expect(splitReference('127.0.0.1:5000/busybox:latest')).toEqual({ repository: '127.0.0.1:5000/busybox', tag: 'latest' });
    expect(splitReference('localhost:5000/a/b')).toEqual({ repository: 'localhost:5000/a/b', tag: 'latest' });
  });

  it('passes a digest as the tag, dropping a tag next to it', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(splitReference(`busybox@${digest}`)).toEqual({ repository: 'busybox', tag: digest });
    expect(splitReference(`127.0.0.1:5000/busybox:1@${digest}`)).toEqual({ repository: '127.0.0.1:5000/busybox', tag: digest });
  });

  it('rejects malformed references with 400', () => {
    for (const bad of ['', 'Busybox', 'busy box', 'busybox:-x', 'busybox@sha256:xyz', 42, null]) {
      expect(() => splitReference(bad), String(bad)).toThrow(expect.objectContaining({ statusCode: 400 }));
    }
  });
});

describe('tag checks', () => {
  it('accepts repositories without tags and valid tags', () => {
    expect(checkRepositoryName('myregistry:5000/app')).toBe('myregistry:5000/app');
    expect(checkTag('v1.2_3')).toBe('v1.2_3');
    expect(checkTag('')).toBe('latest');
  });

  it('rejects a tag inside the repository and bad tags', () => {
    expect(() => checkRepositoryName('app:v1')).toThrow(/must not include a tag/);
    expect(() => checkTag('.hidden')).toThrow(expect.objectContaining({ statusCode: 400 }));
    expect(() => checkTag('a'.repeat(129))).toThrow(expect.objectContaining({ statusCode: 400 }));
  });
});
