// berthd as it runs in the Berth VM (--vm-shared-path): binds from a shared folder work, binds
// from anywhere else fail at create with a message that names the path and how to share it,
// and never become an empty directory (dockerd's `-v` would create a missing source).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useEngineWithBusybox } from './support/engine-fixture.ts';

const scratch = mkdtempSync(join(tmpdir(), 'berth-shared-'));
const shared = join(scratch, 'shared');
const elsewhere = join(scratch, 'elsewhere');
mkdirSync(join(shared, 'proj'), { recursive: true });
writeFileSync(join(shared, 'proj', 'hello.txt'), 'from the host\n');
const fixture = useEngineWithBusybox({ extraArgs: ['--vm-shared-path', shared] });

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('berthd --vm-shared-path', () => {
  it('binds a folder under a shared root', async () => {
    const ran = await fixture.engine.docker(['run', '--rm', '-v', `${shared}/proj:/app`, fixture.busybox, 'cat', '/app/hello.txt']);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toBe('from the host\n');
  });

  it('refuses `-v` from an unshared path at create, naming it, and creates nothing', async () => {
    const missing = join(elsewhere, 'new');
    const ran = await fixture.engine.docker(['create', '-v', `${missing}:/app`, fixture.busybox]);
    expect(ran.code).not.toBe(0);
    expect(ran.stderr).toContain(`invalid mount config for type "bind": bind source path is not shared with the Berth VM: ${missing}`);
    expect(ran.stderr).toContain('Shared folders');
    expect(existsSync(missing)).toBe(false);
  });

  it('refuses `--mount type=bind` from an existing unshared path too', async () => {
    mkdirSync(elsewhere, { recursive: true });
    const ran = await fixture.engine.docker(['create', '--mount', `type=bind,source=${elsewhere},target=/app`, fixture.busybox]);
    expect(ran.code).not.toBe(0);
    expect(ran.stderr).toContain(`bind source path is not shared with the Berth VM: ${elsewhere}`);
  });
});
