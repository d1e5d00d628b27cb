import { describe, expect, it } from 'vitest';
import { parseBlkioV1 } from './cgroup-v1.ts';
import { parseIoStat } from './cgroup-v2.ts';
import { parseKeyValues, parseNetDev, parseNumber, parseSystemCpu } from './proc.ts';

describe('stats parsers', () => {
  it('turn /proc/stat clock ticks (user..softirq) into nanoseconds, as dockerd does', () => {
    expect(parseSystemCpu('cpu  100 1 50 1000 3 0 6 7 0 0\ncpu0 1 2 3 4 5 6 7\n')).toBe((100 + 1 + 50 + 1000 + 3 + 0 + 6) * 1e7);
    expect(parseSystemCpu('')).toBe(0);
  });

  it('read interface counters from net/dev without loopback', () => {
    const text = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:     100       2    0    0    0     0          0         0      100       2    0    0    0     0       0          0
  eth0:    1296      12    1    2    0     0          0         0      586       7    3    4    0     0       0          0
`;
    expect(parseNetDev(text)).toEqual({
      eth0: { rx_bytes: 1296, rx_packets: 12, rx_errors: 1, rx_dropped: 2, tx_bytes: 586, tx_packets: 7, tx_errors: 3, tx_dropped: 4 },
    });
  });

  it('read key/value files and single numbers, "max" as unlimited', () => {
    expect(parseKeyValues('cache 4096\nrss 8192\nbad x\n')).toEqual({ cache: 4096, rss: 8192 });
    expect(parseNumber('max\n')).toBeUndefined();
    expect(parseNumber('67108864\n')).toBe(67108864);
  });

  it('read v1 blkio and v2 io.stat into dockerd\'s io_service_bytes_recursive entries', () => {
    expect(parseBlkioV1('8:0 Read 4096\n8:0 Write 512\nTotal 4608\n')).toEqual([
      { major: 8, minor: 0, op: 'Read', value: 4096 },
      { major: 8, minor: 0, op: 'Write', value: 512 },
    ]);
    expect(parseIoStat('259:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n')).toEqual([
      { major: 259, minor: 0, op: 'read', value: 100 },
      { major: 259, minor: 0, op: 'write', value: 200 },
    ]);
  });
});
