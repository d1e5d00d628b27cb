import { describe, expect, it, test } from 'vitest';
import { containerName, formatBytes, formatRelativeDate, formatRelativeTime, imageDisplayName, shortId } from './format.ts';

describe('format', () => {
  test('sizes in decimal units, as the docker CLI prints them', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1536)).toBe('1.54 kB');
    expect(formatBytes(1_980_000)).toBe('1.98 MB');
    expect(formatBytes(12_300_000_000)).toBe('12.3 GB');
    expect(formatBytes(-1)).toBe('—');
  });

  test('relative times from epoch seconds and RFC 3339 dates', () => {
    const now = Date.UTC(2025, 0, 10, 12, 0, 0);
    expect(formatRelativeTime(now / 1000 - 3, now)).toBe('just now');
    expect(formatRelativeTime(now / 1000 - 180, now)).toBe('3 minutes ago');
    expect(formatRelativeTime(now / 1000 - 2 * 86_400, now)).toBe('2 days ago');
    expect(formatRelativeDate('2025-01-10T11:00:00Z', now)).toBe('1 hour ago');
    expect(formatRelativeDate('0001-01-01T00:00:00Z', now)).toBe('—');
  });

  test('short ids and container names as users type them', () => {
    expect(shortId('sha256:0123456789abcdef0123')).toBe('0123456789ab');
    expect(containerName({ Names: ['/web'], Id: 'abc' })).toBe('web');
    expect(containerName({ Names: [], Id: '0123456789abcdef' })).toBe('0123456789ab');
  });
});

describe('imageDisplayName', () => {
  it('drops a registry host and keeps Docker Hub style names whole', () => {
    expect(imageDisplayName('127.0.0.1:5000/busybox:latest')).toBe('busybox:latest');
    expect(imageDisplayName('ghcr.io/org/app@sha256:abc')).toBe('org/app@sha256:abc');
    expect(imageDisplayName('localhost/app')).toBe('app');
    expect(imageDisplayName('library/busybox')).toBe('library/busybox');
    expect(imageDisplayName('busybox')).toBe('busybox');
  });
});
