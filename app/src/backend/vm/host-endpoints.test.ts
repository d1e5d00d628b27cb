// Which Docker endpoints the forwarder serves, per platform and home. Windows' named pipes cannot
// be exercised on this Linux host, so the choice is a pure function and is tested as one here.
import { describe, expect, it } from 'vitest';
import { BERTH_PIPE, DOCKER_PIPE, dockerHostUrl, forwarderEndpoints, homeTag, isDefaultHome, primaryEndpoint } from './host-endpoints.ts';
import { vmHome } from './vm-home.ts';

const base = { homeDir: '/home/ada/.berth', socketPath: '/home/ada/.berth/run/docker.sock', defaultHome: true, dockerPipeFree: true };

describe('forwarderEndpoints', () => {
  it('Linux and macOS: the unix socket in the home, whatever the pipes would be', () => {
    expect(forwarderEndpoints({ ...base, platform: 'linux' })).toEqual(['/home/ada/.berth/run/docker.sock']);
    expect(forwarderEndpoints({ ...base, platform: 'darwin', defaultHome: false })).toEqual(['/home/ada/.berth/run/docker.sock']);
  });

  it('Windows, default home: berth_engine, plus docker_engine when no one listens on it', () => {
    expect(BERTH_PIPE).toBe('\\\\.\\pipe\\berth_engine');
    expect(forwarderEndpoints({ ...base, platform: 'win32' })).toEqual([BERTH_PIPE, DOCKER_PIPE]);
  });

  it('Windows, default home, docker_engine taken (Docker Desktop running): berth_engine only', () => {
    expect(forwarderEndpoints({ ...base, platform: 'win32', dockerPipeFree: false })).toEqual([BERTH_PIPE]);
  });

  it('Windows, another home: a pipe of its own, never docker_engine', () => {
    expect(forwarderEndpoints({ ...base, platform: 'win32', homeDir: 'C:\\tmp\\test home', defaultHome: false })).toEqual([`${BERTH_PIPE}_test-home`]);
  });
});

describe('naming', () => {
  it('DOCKER_HOST spells a pipe as the docker CLI reads it, a socket as unix://', () => {
    expect(dockerHostUrl(BERTH_PIPE)).toBe('npipe:////./pipe/berth_engine');
    expect(dockerHostUrl('/a/run/docker.sock')).toBe('unix:///a/run/docker.sock');
  });

  it('the default home is ~/.berth, however it is spelled', () => {
    expect(isDefaultHome('/home/ada/.berth', '/home/ada')).toBe(true);
    expect(isDefaultHome('/home/ada/.berth/', '/home/ada')).toBe(true);
    expect(isDefaultHome('/home/ada/other', '/home/ada')).toBe(false);
  });

  it("a home's tag keeps only characters docker context names allow", () => {
    expect(homeTag('/tmp/berth vm:test/ü')).toBe('-');
    expect(homeTag('/tmp/my home:1')).toBe('my-home-1');
    expect(homeTag('/tmp/berth-vm_home.1+x')).toBe('berth-vm_home.1+x');
  });

  it('the primary endpoint on this platform is the home socket', () => {
    const home = vmHome('/srv/vm');
    expect(primaryEndpoint(home, 'linux')).toBe('/srv/vm/run/docker.sock');
    expect(primaryEndpoint(home, 'win32')).toBe(`${BERTH_PIPE}_vm`);
  });
});
