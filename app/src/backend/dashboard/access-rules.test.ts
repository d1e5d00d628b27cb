import { describe, expect, test } from 'vitest';
import {
  cookieValue, hostAllowed, isLoopbackHost, newSecret, originAllowed, secretMatches,
} from './access-rules.ts';

describe('dashboard access rules', () => {
  test('a secret is 32 random bytes in base64url, different every launch', () => {
    const a = newSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newSecret()).not.toBe(a);
  });

  test('only the exact secret matches: not a prefix, not a longer string, not nothing', () => {
    const secret = newSecret();
    expect(secretMatches(secret, secret)).toBe(true);
    expect(secretMatches(secret.slice(0, -1), secret)).toBe(false);
    expect(secretMatches(`${secret}x`, secret)).toBe(false);
    expect(secretMatches('', secret)).toBe(false);
    expect(secretMatches(undefined, secret)).toBe(false);
  });

  test('reads one cookie out of a Cookie header with several', () => {
    expect(cookieValue('a=1; berth_dashboard=xyz; b=2', 'berth_dashboard')).toBe('xyz');
    expect(cookieValue('xberth_dashboard=no', 'berth_dashboard')).toBeUndefined();
    expect(cookieValue(undefined, 'berth_dashboard')).toBeUndefined();
  });

  test('the Host header must name a loopback address on our own port', () => {
    expect(hostAllowed('127.0.0.1:7780', 7780)).toBe(true);
    expect(hostAllowed('localhost:7780', 7780)).toBe(true);
    expect(hostAllowed('[::1]:7780', 7780)).toBe(true);
    expect(hostAllowed('127.0.0.1:7781', 7780)).toBe(false);
    expect(hostAllowed('evil.example:7780', 7780)).toBe(false);
    expect(hostAllowed('127.0.0.1', 7780)).toBe(false);
    expect(hostAllowed(undefined, 7780)).toBe(false);
  });

  test('the Origin of a WebSocket must be a page of this dashboard', () => {
    expect(originAllowed('http://127.0.0.1:7780', 7780)).toBe(true);
    expect(originAllowed('http://localhost:7780', 7780)).toBe(true);
    expect(originAllowed('http://127.0.0.1:8080', 7780)).toBe(false);
    expect(originAllowed('https://127.0.0.1:7780', 7780)).toBe(false);
    expect(originAllowed('http://evil.example', 7780)).toBe(false);
    expect(originAllowed('null', 7780)).toBe(false);
    expect(originAllowed(undefined, 7780)).toBe(false);
  });

  test('only loopback addresses may be bound', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', '[::1]', 'localhost']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com', '']) expect(isLoopbackHost(host), host).toBe(false);
  });
});
