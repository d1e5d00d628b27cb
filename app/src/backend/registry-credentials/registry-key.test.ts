// The keys the docker CLI files registry credentials under, for pulls and for `docker login`.
import { describe, expect, it } from 'vitest';
import { convertToHostname, DOCKER_HUB_KEY, keyForLogin, keyForReference, keysForLogout, referenceDomain } from './registry-key.ts';

describe('registry keys', () => {
  it('keys a pull by the reference domain, Docker Hub by its index address', () => {
    expect(keyForReference('busybox')).toBe(DOCKER_HUB_KEY);
    expect(keyForReference('library/busybox')).toBe(DOCKER_HUB_KEY);
    expect(keyForReference('docker.io/library/busybox')).toBe(DOCKER_HUB_KEY);
    expect(keyForReference('index.docker.io/me/app')).toBe(DOCKER_HUB_KEY);
    expect(keyForReference('127.0.0.1:5000/private/app')).toBe('127.0.0.1:5000');
    expect(keyForReference('localhost/app')).toBe('localhost');
    expect(keyForReference('ghcr.io/owner/app')).toBe('ghcr.io');
    // Capitals make the first component a host in distribution's grammar.
    expect(referenceDomain('MyHost/app')).toBe('MyHost');
  });

  it('keys a sign-in as docker login does: host[:port], Docker Hub under its index address', () => {
    expect(keyForLogin('')).toBe(DOCKER_HUB_KEY);
    expect(keyForLogin(undefined)).toBe(DOCKER_HUB_KEY);
    expect(keyForLogin('docker.io')).toBe(DOCKER_HUB_KEY);
    expect(keyForLogin('https://index.docker.io/v1/')).toBe(DOCKER_HUB_KEY);
    expect(keyForLogin('https://registry.example.com:8443/v2/')).toBe('registry.example.com:8443');
    expect(keyForLogin(' 127.0.0.1:5000 ')).toBe('127.0.0.1:5000');
    expect(keyForLogin('registry.example.com/some/path')).toBe('registry.example.com');
  });

  it('refuses what is no registry address with a 400 that shows the form', () => {
    for (const bad of ['not a host', 'host:99999', 'ho$t', 42, '://']) {
      expect(() => keyForLogin(bad), String(bad)).toThrow(/host\[:port\]/);
    }
  });

  it('erases every form an old login may be stored under, as docker logout does', () => {
    expect(keysForLogout('https://reg.example.com/')).toEqual(['https://reg.example.com/', 'reg.example.com', 'http://reg.example.com', 'https://reg.example.com']);
    expect(keysForLogout('reg.example.com:5000')).toEqual(['reg.example.com:5000', 'http://reg.example.com:5000', 'https://reg.example.com:5000']);
    expect(keysForLogout('')).toEqual([DOCKER_HUB_KEY]);
  });

  it('cuts URLs to host[:port] as the CLI does', () => {
    expect(convertToHostname('http://h:1/x')).toBe('h:1');
    expect(convertToHostname('h/x/y')).toBe('h');
    expect(convertToHostname('h')).toBe('h');
  });
});
