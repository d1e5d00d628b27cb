import { describe, expect, it } from 'vitest';
import { isValidReference, parseReference, withTag } from './reference.ts';
import { chainIdOf, chainIds } from './chain-id.ts';
import { createHash } from 'node:crypto';

const D = 'sha256:' + 'a'.repeat(64);

describe('parseReference', () => {
  it('normalises an official image to docker.io/library with the latest tag', () => {
    const r = parseReference('busybox');
    expect(r.toString()).toBe('docker.io/library/busybox:latest');
    expect(r.familiarName()).toBe('busybox:latest');
    expect(r.repository()).toBe('docker.io/library/busybox');
    expect(r.registryHost()).toBe('registry-1.docker.io');
    expect(r.path).toBe('library/busybox');
    expect(r.tag).toBe('latest');
    expect(r.digest).toBeUndefined();
  });

  it('keeps user repositories on Docker Hub without library/', () => {
    const r = parseReference('grafana/grafana:10.0');
    expect(r.toString()).toBe('docker.io/grafana/grafana:10.0');
    expect(r.familiarName()).toBe('grafana/grafana:10.0');
  });

  it('treats docker.io and index.docker.io prefixes as Docker Hub', () => {
    expect(parseReference('docker.io/busybox').familiarName()).toBe('busybox:latest');
    expect(parseReference('index.docker.io/library/busybox:1').toString()).toBe('docker.io/library/busybox:1');
    expect(parseReference('docker.io/library/a/b').familiarName()).toBe('library/a/b:latest');
  });

  it('parses registries with ports, localhost and IPv6', () => {
    const r = parseReference('localhost:5000/a/b:tag');
    expect([r.domain, r.path, r.tag]).toEqual(['localhost:5000', 'a/b', 'tag']);
    expect(r.registryHost()).toBe('localhost:5000');
    expect(parseReference('127.0.0.1:5000/x').familiarName()).toBe('127.0.0.1:5000/x:latest');
    expect(parseReference('localhost/x').domain).toBe('localhost');
    expect(parseReference('[::1]:5000/x:1').domain).toBe('[::1]:5000');
    expect(parseReference('example.com/x').domain).toBe('example.com');
  });

  it('parses digests, alone or with a tag, without adding latest', () => {
    const r = parseReference(`host:5000/x@${D}`);
    expect([r.domain, r.path, r.tag, r.digest]).toEqual(['host:5000', 'x', undefined, D]);
    expect(r.familiarName()).toBe(`host:5000/x@${D}`);
    const both = parseReference(`busybox:1.36@${D}`);
    expect([both.tag, both.digest]).toEqual(['1.36', D]);
    expect(both.toString()).toBe(`docker.io/library/busybox:1.36@${D}`);
  });

  it('reads a port-looking suffix without a slash as a tag, as Docker does', () => {
    const r = parseReference('foo:5000');
    expect([r.domain, r.path, r.tag]).toEqual(['docker.io', 'library/foo', '5000']);
  });

  it('rejects uppercase repository names with Docker’s message', () => {
    expect(() => parseReference('Busybox')).toThrow('invalid reference format: repository name (library/Busybox) must be lowercase');
    expect(() => parseReference('localhost:5000/Foo')).toThrow('repository name (Foo) must be lowercase');
    // Uppercase first component is a domain in Docker's split; tags may contain uppercase.
    expect(parseReference('Foo/bar').domain).toBe('Foo');
    expect(parseReference('busybox:LATEST').tag).toBe('LATEST');
  });

  it('rejects malformed references', () => {
    for (const bad of ['', 'a:', 'a@sha256:abc', 'a b', '-a', 'a//b', ':tag', 'a:-x', `a@sha256:${'A'.repeat(64)}`, `a@sha256:${'a'.repeat(40)}`]) {
      expect(() => parseReference(bad), bad).toThrow(/invalid|digest/);
    }
    expect(() => parseReference('a'.repeat(64))).toThrow('cannot specify 64-byte hexadecimal strings');
    expect(() => parseReference('x/' + 'a'.repeat(260))).toThrow('must not be more than 255 characters');
    expect(isValidReference('ok/name_x.y-z__w:1')).toBe(true);
  });

  it('errors carry the invalid kind so the API answers 400', () => {
    try {
      parseReference('UPPER');
      expect.unreachable();
    } catch (error) {
      expect((error as { kind: string }).kind).toBe('invalid');
    }
  });

  it('can leave the tag off and apply one later', () => {
    const r = parseReference('busybox', { defaultTag: false });
    expect(r.tag).toBeUndefined();
    expect(withTag(r, '1.36').familiarName()).toBe('busybox:1.36');
    expect(() => withTag(r, 'bad tag')).toThrow('invalid tag format');
  });
});

describe('chain IDs', () => {
  it('follow the OCI formula', () => {
    const a = 'sha256:' + '1'.repeat(64);
    const b = 'sha256:' + '2'.repeat(64);
    expect(chainIdOf(undefined, a)).toBe(a);
    const expected = 'sha256:' + createHash('sha256').update(`${a} ${b}`).digest('hex');
    expect(chainIds([a, b])).toEqual([a, expected]);
  });
});
