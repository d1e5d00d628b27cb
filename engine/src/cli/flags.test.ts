import { describe, expect, it } from 'vitest';
import { parseFlags, type EngineFlags } from './flags.ts';

const parse = (argv: string[]) => parseFlags(argv, {}) as EngineFlags;

describe('berthd --vm-shared-path', () => {
  it('absent: a native engine, no bind check', () => {
    expect(parse([]).vmSharedPaths).toBeUndefined();
  });

  it('repeatable, and "=" alone (as the guest passes first) means in the VM with nothing shared', () => {
    expect(parse(['--vm-shared-path=']).vmSharedPaths).toEqual([]);
    expect(parse(['--vm-shared-path=', '--vm-shared-path', '/home/ann', '--vm-shared-path', '/srv/my data']).vmSharedPaths).toEqual(['/home/ann', '/srv/my data']);
  });

  it('a relative root is refused', () => {
    expect(() => parse(['--vm-shared-path', 'home'])).toThrow(/must be absolute/);
  });
});

describe('berthd -H tcp:// and the TLS flags (as dockerd takes them)', () => {
  const tlsFiles = ['--tlscacert', '/c/ca.pem', '--tlscert', '/c/server.pem', '--tlskey', '/c/server-key.pem'];

  it('-H is repeatable: unix and tcp hosts side by side', () => {
    const flags = parse(['-H', 'unix:///run/a.sock', '-H', 'tcp://127.0.0.1:2376', '--host=unix:///run/b.sock', '--tlsverify', ...tlsFiles]);
    expect(flags.sockets).toEqual(['/run/a.sock', '/run/b.sock']);
    expect(flags.tcpHosts).toEqual([{ host: '127.0.0.1', port: 2376, url: 'tcp://127.0.0.1:2376' }]);
    expect(flags.tls).toEqual({ caFile: '/c/ca.pem', certFile: '/c/server.pem', keyFile: '/c/server-key.pem', verify: true });
    expect(flags.warnings).toEqual([]);
  });

  it('dockerd defaults: port 2376 with TLS, 2375 without; files from $DOCKER_CERT_PATH', () => {
    const flags = parseFlags(['-H', 'tcp://0.0.0.0', '--tlsverify'], { DOCKER_CERT_PATH: '/certs' }) as EngineFlags;
    expect(flags.tcpHosts[0].port).toBe(2376);
    expect(flags.tls).toEqual({ caFile: '/certs/ca.pem', certFile: '/certs/cert.pem', keyFile: '/certs/key.pem', verify: true });
    expect(parse(['-H', 'tcp://127.0.0.1']).tcpHosts[0].port).toBe(2375);
  });

  it('plain tcp on loopback is served, with warnings in the log', () => {
    const flags = parse(['-H', 'tcp://127.0.0.1:2375']);
    expect(flags.tls).toBeUndefined();
    expect(flags.warnings.join('\n')).toMatch(/without --tlsverify: whoever can connect to it has root access/);
  });

  it('an IPv4-mapped loopback address counts as loopback (URL rewrites it to hex)', () => {
    expect(parse(['-H', 'tcp://[::ffff:127.0.0.1]:2375']).tcpHosts[0].host).toBe('::ffff:7f00:1');
    expect(() => parse(['-H', 'tcp://[::ffff:10.0.0.1]:2375'])).toThrow(/refusing/);
  });

  it('plain tcp off loopback is refused unless --tls=false (dockerd’s explicit opt-out) is given', () => {
    expect(() => parse(['-H', 'tcp://0.0.0.0:2375'])).toThrow(/refusing to serve the API on tcp:\/\/0\.0\.0\.0:2375 without TLS.*--tls=false/);
    expect(() => parse(['-H', 'tcp://server.example:2375'])).toThrow(/refusing/);
    expect(parse(['-H', 'tcp://0.0.0.0:2375', '--tls=false']).warnings.length).toBeGreaterThan(0);
    expect(parse(['-H', 'tcp://0.0.0.0:2375', '--tlsverify=false']).tls).toBeUndefined();
  });

  it('--tls without --tlsverify: TLS with no client certificate asked, warned like dockerd', () => {
    const flags = parse(['-H', 'tcp://0.0.0.0:2376', '--tls', '--tlscert', '/c/s.pem', '--tlskey', '/c/k.pem']);
    expect(flags.tls).toEqual({ caFile: undefined, certFile: '/c/s.pem', keyFile: '/c/k.pem', verify: false });
    expect(flags.warnings.length).toBeGreaterThan(0);
  });

  it('DOCKER_TLS_VERIFY from the CLI user\'s shell turns on --tlsverify for tcp hosts only: a socket-only engine starts', () => {
    const env = { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' };
    expect((parseFlags([], env) as EngineFlags).tls).toBeUndefined();
    expect((parseFlags(['-H', 'unix:///run/a.sock'], env) as EngineFlags).tls).toBeUndefined();
    expect((parseFlags(['-H', 'tcp://0.0.0.0'], env) as EngineFlags).tls).toEqual({ caFile: '/certs/ca.pem', certFile: '/certs/cert.pem', keyFile: '/certs/key.pem', verify: true });
  });

  it('bad combinations fail with one clear message', () => {
    expect(() => parse(['-H', 'tcp://127.0.0.1:2376', '--tlsverify', '--tlscert', '/c/s.pem'])).toThrow(/--tlscert needs --tlskey/);
    expect(() => parse(['-H', 'tcp://127.0.0.1:2376', '--tlsverify', '--tlskey', '/c/k.pem'])).toThrow(/--tlskey needs --tlscert/);
    expect(() => parse(['-H', 'tcp://127.0.0.1:2376', ...tlsFiles])).toThrow(/--tlscacert needs --tlsverify/);
    expect(() => parse(['--tlsverify', ...tlsFiles])).toThrow(/add -H tcp:\/\/ADDR:PORT/);
    expect(() => parse(['-H', 'tcp://127.0.0.1:2376/x'])).toThrow(/expected tcp:\/\/ADDR:PORT/);
    expect(() => parse(['-H', 'ssh://a'])).toThrow(/unix:\/\/PATH and tcp:\/\/ADDR:PORT/);
    expect(() => parse(['--tls=maybe'])).toThrow(/invalid boolean/);
  });
});
