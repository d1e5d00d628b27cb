import { describe, expect, it } from 'vitest';
import type { ContainerRecord, MountPoint } from '../../core/container-types.ts';
import { hostPathFor } from './host-path.ts';

const mount = (Destination: string, Source: string, Type: MountPoint['Type'] = 'bind'): MountPoint => ({ Type, Source, Destination, Mode: '', RW: true, Propagation: 'rprivate' });
const record = (mounts: MountPoint[], tmpfs?: Record<string, string>) => ({ Mounts: mounts, HostConfig: { Tmpfs: tmpfs } }) as unknown as ContainerRecord;

describe('hostPathFor', () => {
  const r = record([mount('/data', '/vol/a/_data', 'volume'), mount('/data/sub', '/host/sub'), mount('/scratch', '', 'tmpfs')], { '/run': '' });

  it('maps a path under a mount to the mount source, innermost mount first', () => {
    expect(hostPathFor(r, '/data/x/y')?.hostPath).toBe('/vol/a/_data/x/y');
    expect(hostPathFor(r, '/data')?.hostPath).toBe('/vol/a/_data');
    expect(hostPathFor(r, '/data/sub/f')?.hostPath).toBe('/host/sub/f');
  });

  it('does not match sibling paths that only share a prefix, nor unmounted paths', () => {
    expect(hostPathFor(r, '/database')).toBeUndefined();
    expect(hostPathFor(r, '/etc/passwd')).toBeUndefined();
  });

  it('reports tmpfs mounts without a host path', () => {
    const scratch = hostPathFor(r, '/scratch/a');
    expect(scratch?.rest).toBe('a');
    expect(scratch?.hostPath).toBeUndefined();
    expect(hostPathFor(r, '/run/x')?.mount.Type).toBe('tmpfs');
  });
});
