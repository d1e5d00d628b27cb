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
});
