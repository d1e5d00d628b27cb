import { describe, expect, it } from 'vitest';
import { cpuResources, memoryResources, pidsResources } from './resources.ts';
import { makeRecord } from './test-support.ts';

const hc = (o: NonNullable<Parameters<typeof makeRecord>[0]>['HostConfig']) => makeRecord({ HostConfig: o }).HostConfig;
const v1 = { cgroupV2: false, swapAccounting: true };
const MiB = 1024 * 1024;

describe('memory', () => {
  it('is unset by default', () => {
    expect(memoryResources(hc({}), v1)).toBeUndefined();
  });

  it('gives memory+swap twice the memory limit when MemorySwap is 0', () => {
    expect(memoryResources(hc({ Memory: 64 * MiB }), v1)).toEqual({ limit: 64 * MiB, swap: 128 * MiB });
  });

  it('leaves swap unlimited for MemorySwap -1 and takes an explicit value as is', () => {
    expect(memoryResources(hc({ Memory: 64 * MiB, MemorySwap: -1 }), v1)).toEqual({ limit: 64 * MiB });
    expect(memoryResources(hc({ Memory: 64 * MiB, MemorySwap: 64 * MiB }), v1)).toEqual({ limit: 64 * MiB, swap: 64 * MiB });
  });

  it('drops the swap limit where the kernel does not account swap', () => {
    expect(memoryResources(hc({ Memory: 64 * MiB }), { cgroupV2: false, swapAccounting: false })).toEqual({ limit: 64 * MiB });
  });

  it('sets reservation, and disables the OOM killer on cgroup v1 only', () => {
    expect(memoryResources(hc({ MemoryReservation: 32 * MiB, OomKillDisable: true }), v1)).toEqual({ reservation: 32 * MiB, disableOOMKiller: true });
    expect(memoryResources(hc({ OomKillDisable: true }), { cgroupV2: true, swapAccounting: true })).toBeUndefined();
  });

  it('rejects what dockerd rejects', () => {
    expect(() => memoryResources(hc({ Memory: 1 * MiB }), v1)).toThrow('Minimum memory limit allowed is 6MB');
    expect(() => memoryResources(hc({ Memory: 64 * MiB, MemorySwap: 32 * MiB }), v1)).toThrow(/memoryswap limit should be larger/);
    expect(() => memoryResources(hc({ MemorySwap: 32 * MiB }), v1)).toThrow(/always set the Memory limit/);
  });
});

describe('cpu', () => {
  it('turns NanoCpus into a CFS quota over a 100ms period', () => {
    expect(cpuResources(hc({ NanoCpus: 1.5e9 }))).toEqual({ period: 100000, quota: 150000 });
    expect(cpuResources(hc({ NanoCpus: 0.01e9 }))).toEqual({ period: 100000, quota: 1000 });
  });

  it('passes shares, cpuset and explicit quota/period through', () => {
    expect(cpuResources(hc({ CpuShares: 512, CpusetCpus: '0-1', CpuPeriod: 50000, CpuQuota: 25000 })))
      .toEqual({ shares: 512, cpus: '0-1', period: 50000, quota: 25000 });
    expect(cpuResources(hc({}))).toBeUndefined();
  });

  it('refuses NanoCpus together with CpuQuota or CpuPeriod', () => {
    expect(() => cpuResources(hc({ NanoCpus: 1e9, CpuQuota: 50000 }))).toThrow(/Nano CPUs and CPU Quota/);
    expect(() => cpuResources(hc({ NanoCpus: 1e9, CpuPeriod: 50000 }))).toThrow(/Nano CPUs and CPU Period/);
  });
});

describe('pids', () => {
  it('is unset for null, unlimited (-1) for 0 or negative, else the limit', () => {
    expect(pidsResources(hc({ PidsLimit: null }))).toBeUndefined();
    expect(pidsResources(hc({ PidsLimit: 0 }))).toEqual({ limit: -1 });
    expect(pidsResources(hc({ PidsLimit: -1 }))).toEqual({ limit: -1 });
    expect(pidsResources(hc({ PidsLimit: 100 }))).toEqual({ limit: 100 });
  });
});
