import { describe, expect, it } from 'vitest';
import { endpointUrl, parseEndpoint } from './engine-connection.ts';

describe('parseEndpoint', () => {
  it('accepts unix sockets with absolute paths and tcp host:port', () => {
    expect(parseEndpoint('unix:///run/berth/docker.sock')).toEqual({ kind: 'unix', socketPath: '/run/berth/docker.sock' });
    expect(parseEndpoint('tcp://127.0.0.1:2375')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 2375 });
    expect(parseEndpoint('tcp://[::1]:2375')).toEqual({ kind: 'tcp', host: '::1', port: 2375 });
    expect(endpointUrl(parseEndpoint('tcp://[::1]:2375'))).toBe('tcp://[::1]:2375');
  });

  it('rejects everything else with 400 and the accepted forms', () => {
    for (const bad of ['', 'unix://', 'unix://rel/path', 'tcp://host', 'tcp://host:0', 'tcp://host:70000', 'tcp://host:1/path', 'http://host:1', 'ssh://', 'ssh://me@host/path', 'npipe:////./pipe/docker', 7]) {
      expect(() => parseEndpoint(bad), String(bad)).toThrow(expect.objectContaining({ statusCode: 400, message: expect.stringMatching(/unix:\/\/\/absolute\/path\/to\/docker\.sock, tcp:\/\/host:port or ssh:\/\/\[user@\]host\[:port\]/) }));
    }
  });

  it('refuses ssh hosts and users a shell would read as commands (ProxyCommand %h/%r), with 400', () => {
    expect(parseEndpoint('ssh://ann.lee@build-1.example:2222')).toEqual({ kind: 'ssh', user: 'ann.lee', host: 'build-1.example', port: 2222 });
    expect(parseEndpoint('ssh://[::1]')).toEqual({ kind: 'ssh', host: '::1' });
    for (const bad of ['ssh://h;touch${IFS}x', 'ssh://h$(id)', 'ssh://h%20-oProxyCommand=x', 'ssh://a;id@h', 'ssh://a%20b@h', 'ssh://%60id%60@h', 'ssh://a%0Ab@h', 'ssh://%E0%A4%A@h', 'ssh://-l@h']) {
      expect(() => parseEndpoint(bad), bad).toThrow(expect.objectContaining({ statusCode: 400 }));
    }
  });
});
