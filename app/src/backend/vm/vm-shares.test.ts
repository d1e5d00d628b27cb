// Shared folders as data: which folders may be shared, how nested ones collapse, how the list
// reaches QEMU (one 9p export each) and the guest (fw_cfg lines).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildQemuArgs, type QemuPlan } from './qemu-args.ts';
import { VmOptionError } from './vm-options.ts';
import { resolveShares, shareProblem, sharesFile, virtfsArgs } from './vm-shares.ts';

const scratch = mkdtempSync(join(tmpdir(), 'berth-shares-unit-'));
const home = join(scratch, 'home');
const projects = join(scratch, 'my, projects');
mkdirSync(join(home, 'code'), { recursive: true });
mkdirSync(projects);
writeFileSync(join(scratch, 'file.txt'), '');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('shared folders', () => {
  it('a share must be an absolute, existing folder outside the guest system', () => {
    expect(shareProblem(home)).toBeUndefined();
    expect(shareProblem('relative/dir')).toMatch(/must be an absolute path/);
    expect(shareProblem(join(scratch, 'missing'))).toMatch(/no such folder/);
    expect(shareProblem(join(scratch, 'file.txt'))).toMatch(/not a folder/);
    expect(shareProblem('/')).toMatch(/the VM's own system/);
    expect(shareProblem('/usr/share')).toMatch(/the VM's own system/);
    expect(shareProblem('/var/lib/berth')).toMatch(/the VM's own system/);
    expect(shareProblem(`${home}\nx`)).toMatch(/tabs or line breaks/);
  });

  it('resolveShares drops duplicates and folders a parent share covers, and tags the rest', () => {
    // Sorted by path ("home" before "my, projects"), tags in that order.
    expect(resolveShares([projects, home, join(home, 'code'), `${home}/`])).toEqual([
      { tag: 'berth0', path: home },
      { tag: 'berth1', path: projects },
    ]);
    expect(() => resolveShares([join(scratch, 'missing')])).toThrow(VmOptionError);
  });

  it('each share is a mapped-xattr 9p export with host-readable modes; commas in a path are doubled for QEMU', () => {
    expect(virtfsArgs({ tag: 'berth1', path: projects })).toEqual([
      '-fsdev', `local,id=berth1,path=${scratch}/my,, projects,security_model=mapped-xattr,fmode=0644,dmode=0755,multidevs=remap`,
      '-device', 'virtio-9p-pci,fsdev=berth1,mount_tag=berth1',
    ]);
  });

  it('the guest gets the list by fw_cfg (a file: spaces survive), one tag<TAB>path line each', () => {
    const shares = resolveShares([home, projects]);
    expect(sharesFile(shares)).toBe(shares.map((s) => `${s.tag}\t${s.path}\n`).join(''));
    const plan: QemuPlan = {
      arch: 'amd64', accel: 'tcg', resources: { cpus: 1, memoryMiB: 1024, diskBytes: 4 * 1024 ** 3 }, assetsDir: '/a',
      dataDisk: { path: '/h/d.qcow2', format: 'qcow2' }, agentHostPort: 1, secretFile: '/h/secret', qmpSocket: '/h/q', serialLog: '/h/c',
      shares: { list: shares, file: '/h/shares' },
    };
    const { args } = buildQemuArgs(plan);
    expect(args.filter((_, i) => args[i - 1] === '-fw_cfg')).toEqual(['name=opt/berth/secret,file=/h/secret', 'name=opt/berth/shares,file=/h/shares']);
    expect(args.filter((a) => a === '-fsdev')).toHaveLength(2);
    // Nothing of the shares is on the kernel command line.
    expect(args[args.indexOf('-append') + 1]).not.toContain(home);
  });
});
