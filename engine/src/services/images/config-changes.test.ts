import { describe, expect, it } from 'vitest';
import type { ImageConfig } from '../../core/oci-types.ts';
import { applyConfigChanges } from './config-changes.ts';

const image: ImageConfig = { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } };

describe('applyConfigChanges', () => {
  it('applies the instructions docker commit -c accepts, as a Dockerfile would', () => {
    const out = applyConfigChanges({ Env: ['PATH=/bin'], Cmd: ['sh'] }, ['CMD ["echo","hi"]', 'ENV A=1 B=2', 'EXPOSE 80', 'LABEL k=v', 'USER nobody', 'WORKDIR /srv', 'VOLUME /data', 'STOPSIGNAL SIGINT', 'ENTRYPOINT /bin/sh -c'], image);
    expect(out.Cmd).toEqual(['echo', 'hi']);
    expect(out.Env).toEqual(['PATH=/bin', 'A=1', 'B=2']);
    expect(out.ExposedPorts).toEqual({ '80/tcp': {} });
    expect(out.Labels).toEqual({ k: 'v' });
    expect(out.User).toBe('nobody');
    expect(out.WorkingDir).toBe('/srv');
    expect(out.Volumes).toEqual({ '/data': {} });
    expect(out.StopSignal).toBe('SIGINT');
    expect(out.Entrypoint).toEqual(['/bin/sh', '-c', '/bin/sh -c']);
  });

  it('ENTRYPOINT resets the CMD unless a change before it set one, as in a Dockerfile', () => {
    expect(applyConfigChanges({ Cmd: ['sleep', '1'] }, ['ENTRYPOINT ["echo"]'], image).Cmd).toBeNull();
    expect(applyConfigChanges({ Cmd: ['sleep', '1'] }, ['CMD ["a"]', 'ENTRYPOINT ["echo"]'], image).Cmd).toEqual(['a']);
    expect(applyConfigChanges({ Cmd: ['sleep', '1'] }, ['ENTRYPOINT ["echo"]', 'CMD ["b"]'], image).Cmd).toEqual(['b']);
  });

  it('refuses instructions that would need a build', () => {
    expect(() => applyConfigChanges({}, ['RUN echo no'], image)).toThrow(/run is not a valid change command/);
    expect(() => applyConfigChanges({}, ['COPY a b'], image)).toThrow(/not a valid change command/);
  });
});
