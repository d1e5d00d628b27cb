import { describe, expect, it } from 'vitest';
import { goFileMode, GoMode, rfc3339Nano } from './file-mode.ts';

describe('goFileMode', () => {
  it('maps POSIX types to Go os.FileMode bits as dockerd sends them', () => {
    // Values as Go prints uint32(os.FileMode): a 0755 directory is 2147484141.
    expect(goFileMode(0o040755)).toBe(2147484141);
    expect(goFileMode(0o100644)).toBe(0o644);
    expect(goFileMode(0o120777)).toBe(GoMode.symlink + 0o777);
    expect(goFileMode(0o020666)).toBe(GoMode.device + GoMode.charDevice + 0o666);
    expect(goFileMode(0o060660)).toBe(GoMode.device + 0o660);
    expect(goFileMode(0o010644)).toBe(GoMode.namedPipe + 0o644);
    expect(goFileMode(0o140755)).toBe(GoMode.socket + 0o755);
  });

  it('carries setuid, setgid and sticky as Go mode bits, not as 0o7000', () => {
    expect(goFileMode(0o104755)).toBe(GoMode.setuid + 0o755);
    expect(goFileMode(0o102755)).toBe(GoMode.setgid + 0o755);
    expect(goFileMode(0o041777)).toBe(GoMode.dir + GoMode.sticky + 0o777);
  });
});

describe('rfc3339Nano', () => {
  it('formats like Go time.Time JSON: UTC, fraction without trailing zeros', () => {
    expect(rfc3339Nano(1_700_000_000_000_000_000n)).toBe('2023-11-14T22:13:20Z');
    expect(rfc3339Nano(1_700_000_000_120_000_000n)).toBe('2023-11-14T22:13:20.12Z');
    expect(rfc3339Nano(1_700_000_000_000_000_001n)).toBe('2023-11-14T22:13:20.000000001Z');
  });
});
