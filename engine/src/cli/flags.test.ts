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
