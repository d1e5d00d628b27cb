import { describe, expect, it } from 'vitest';
import { formatPlatformSpec, parsePlatformSpec, platformMatches, platformMismatchMessage } from './platform-spec.ts';

describe('platform specifiers as dockerd parses them', () => {
  it('reads one component as an OS (host architecture) or an architecture (linux)', () => {
    expect(parsePlatformSpec('windows', 'amd64')).toEqual({ os: 'windows', architecture: 'amd64' });
    expect(parsePlatformSpec('arm64', 'amd64')).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(parsePlatformSpec('aarch64', 'amd64')).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(parsePlatformSpec('armel', 'amd64')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v6' });
    // v7 is arm's default variant, which containerd leaves unsaid.
    expect(parsePlatformSpec('armhf', 'amd64')).toEqual({ os: 'linux', architecture: 'arm' });
    expect(() => parsePlatformSpec('foo', 'amd64')).toThrow('"foo": unknown operating system or architecture: invalid argument');
  });

  it('keeps two and three components, normalising architecture names', () => {
    expect(parsePlatformSpec('foo/bar', 'amd64')).toEqual({ os: 'foo', architecture: 'bar' });
    expect(parsePlatformSpec('Linux/x86_64', 'arm64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(parsePlatformSpec('linux/arm64/v8', 'amd64')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(parsePlatformSpec('linux/arm/7', 'amd64')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
    expect(() => parsePlatformSpec('linux/a b', 'amd64')).toThrow(/invalid component/);
    expect(() => parsePlatformSpec('a/b/c/d', 'amd64')).toThrow(/cannot parse/);
  });

  it('matches images by OS and architecture, older arm variants and variant-less images included', () => {
    const amd64 = { os: 'linux', architecture: 'amd64' };
    expect(platformMatches(parsePlatformSpec('linux', 'amd64'), amd64)).toBe(true);
    expect(platformMatches(parsePlatformSpec('linux/arm64', 'amd64'), amd64)).toBe(false);
    expect(platformMatches(parsePlatformSpec('linux/arm64/v8', 'amd64'), { os: 'linux', architecture: 'arm64' })).toBe(true);
    expect(platformMatches(parsePlatformSpec('linux/arm/v7', 'amd64'), { os: 'linux', architecture: 'arm', variant: 'v6' })).toBe(true);
    expect(platformMatches(parsePlatformSpec('linux/arm/v6', 'amd64'), { os: 'linux', architecture: 'arm', variant: 'v7' })).toBe(false);
    expect(platformMatches(parsePlatformSpec('windows', 'amd64'), amd64)).toBe(false);
  });

  it('words the mismatch as dockerd does', () => {
    expect(formatPlatformSpec({ os: '', architecture: 'amd64' })).toBe('unknown');
    expect(platformMismatchMessage('busybox:latest', parsePlatformSpec('linux/arm64', 'amd64'), { os: 'linux', architecture: 'amd64' }))
      .toBe('image with reference busybox:latest was found but does not match the specified platform: wanted linux/arm64, actual: linux/amd64');
  });
});
