import { describe, expect, it } from 'vitest';
import type { ContainerConfig, HostConfig } from '../../core/container-types.ts';
import { parseUintList, verifyContainerSettings, verifyLogConfig, verifyResources } from './verify-settings.ts';

const limits = { ncpu: 2, cpusetCpus: '0-1', cpusetMems: '0', runtimes: ['runc'] };
const config = (over: Partial<ContainerConfig> = {}): ContainerConfig => ({
  Hostname: '', Domainname: '', User: '', AttachStdin: false, AttachStdout: false, AttachStderr: false, Tty: false, OpenStdin: false,
  StdinOnce: false, Env: [], Cmd: null, Image: 'x', WorkingDir: '', Entrypoint: null, Labels: {}, ...over,
});
const host = (over: Partial<HostConfig> = {}): HostConfig => ({
  NetworkMode: 'default', RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, AutoRemove: false, CapAdd: null, CapDrop: null,
  Privileged: false, ReadonlyRootfs: false, Memory: 0, MemorySwap: 0, NanoCpus: 0, CpuShares: 0, CpuPeriod: 0, CpuQuota: 0, PidsLimit: null, ...over,
});
const refused = (c: Partial<ContainerConfig>, h: Partial<HostConfig>) => () => verifyContainerSettings(config(c), host(h), limits);

describe('dockerd\'s create-time checks', () => {
  it('accepts the defaults and negative CPU shares (those fail at start)', () => {
    expect(refused({}, { CpuShares: -5 })).not.toThrow();
  });

  it('refuses what dockerd refuses, with its words', () => {
    expect(refused({}, { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: -2 } })).toThrow('maximum retry count cannot be negative');
    expect(refused({}, { RestartPolicy: { Name: 'always', MaximumRetryCount: 3 } })).toThrow('maximum retry count cannot be used with restart policy \'always\'');
    expect(refused({ StopSignal: 'FOO' }, {})).toThrow('Invalid signal: FOO');
    expect(refused({ Healthcheck: { Interval: 100_000 } }, {})).toThrow('Interval in Healthcheck cannot be less than 1ms');
    expect(refused({ Healthcheck: { Retries: -1 } }, {})).toThrow('Retries in Healthcheck cannot be negative');
    expect(refused({}, { NanoCpus: 100e9 })).toThrow('Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available');
    expect(refused({}, { Memory: 64 << 20, MemoryReservation: 128 << 20 })).toThrow('Minimum memory limit can not be less than memory reservation limit, see usage');
    expect(refused({}, { OomScoreAdj: 2000 })).toThrow('Invalid value 2000, range for oom score adj is [-1000, 1000]');
    expect(refused({}, { Runtime: 'nosuchrt' })).toThrow('Unknown runtime specified nosuchrt');
    expect(refused({}, { CpusetCpus: '5' })).toThrow('Requested CPUs are not available - requested 5, available: 0-1');
    expect(refused({}, { CpusetMems: '3' })).toThrow('Requested memory nodes are not available - requested 3, available: 0');
    expect(refused({ Hostname: 'h' }, { UTSMode: 'host' })).toThrow('conflicting options: hostname and the UTS mode');
    expect(refused({ MacAddress: '02:42:ac:11:00:02' }, { NetworkMode: 'host' })).toThrow('conflicting options: mac-address and the network mode');
  });

  it('takes the host\'s CPU list as it is, gaps included', () => {
    const sparse = { ...limits, cpusetCpus: '0,2-3' };
    expect(() => verifyResources({ CpusetCpus: '2-3' }, sparse)).not.toThrow();
    expect(() => verifyResources({ CpusetCpus: '1' }, sparse)).toThrow('Requested CPUs are not available - requested 1, available: 0,2-3');
    expect(() => verifyResources({ CpusetCpus: '3-1' }, sparse)).toThrow('Invalid value 3-1 for cpuset cpus');
    expect(parseUintList('0-2,5')).toEqual(new Set([0, 1, 2, 5]));
  });

  it('knows the built-in log drivers and the options each takes', () => {
    expect(() => verifyLogConfig({ Type: 'json-file', Config: { 'max-size': '1m', labels: 'a', mode: 'non-blocking' } })).not.toThrow();
    expect(() => verifyLogConfig({ Type: 'none', Config: {} })).not.toThrow();
    expect(() => verifyLogConfig({ Type: 'nosuchdrv', Config: {} })).toThrow('error looking up logging plugin nosuchdrv: plugin "nosuchdrv" not found');
    expect(() => verifyLogConfig({ Type: 'json-file', Config: { nosuchopt: '1' } })).toThrow('unknown log opt \'nosuchopt\' for json-file log driver');
    expect(() => verifyLogConfig({ Type: 'local', Config: { labels: 'a' } })).toThrow('unknown log opt \'labels\' for log driver local');
  });
});
