// Differential: what every container finds set up inside (issue 17 items 7-11): /.dockerenv and
// /etc/mtab, /etc/hosts with host-gateway, read-only /etc files under --read-only, the root of a
// tmpfs mount or tmpfs volume, and the embedded DNS server at 127.0.0.11 on user networks.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSideBySide } from './side-by-side.ts';

const both = useSideBySide();

describe('differential: container setup', () => {
  it('/.dockerenv and the /etc/mtab link exist, outside the container\'s own changes', async () => {
    await both.expectSameCli(['run', '--rm', both.busybox, 'stat', '-c', '%n %s %a %F %u:%g', '/.dockerenv']);
    await both.expectSameCli(['run', '--rm', both.busybox, 'sh', '-c', 'readlink /etc/mtab; ls -ld /etc/mtab | cut -c1-10; head -1 /etc/mtab | cut -d" " -f2']);
    await both.mustBoth(['run', '--name', 'diff-initlayer', both.busybox, 'true']);
    await both.expectSameCli(['diff', 'diff-initlayer']);
    await both.mustBoth(['commit', 'diff-initlayer', 'diff-initlayer-img']);
    await both.expectSameCli(['run', '--rm', 'diff-initlayer-img', 'stat', '-c', '%n %s %a', '/.dockerenv']);
    await both.mustBoth(['rm', 'diff-initlayer']);
    await both.mustBoth(['rmi', 'diff-initlayer-img']);
  });

  it('--add-host name:host-gateway is the default bridge\'s address, before the container\'s own line', async () => {
    await both.expectSameCli(['run', '--rm', '--add-host', 'gw:host-gateway', '--add-host', 'x:1.2.3.4', both.busybox, 'cat', '/etc/hosts']);
    await both.expectSameCli(['run', '--rm', '-h', 'box.example.com', both.busybox, 'cat', '/etc/hosts']);
    await both.expectSameCli(['run', '--rm', '--network', 'host', '--add-host', 'gw:host-gateway', both.busybox, 'cat', '/etc/hosts']);
  });

  it('--read-only makes /etc/hosts, /etc/resolv.conf and /etc/hostname read-only', async () => {
    const script = 'for f in hosts resolv.conf hostname; do echo x >> /etc/$f; done; grep -E " /etc/(hosts|hostname|resolv.conf) " /proc/mounts | cut -d" " -f2,4 | cut -d, -f1';
    await both.expectSameCli(['run', '--rm', '--read-only', both.busybox, 'sh', '-c', script]);
    await both.expectSameCli(['run', '--rm', both.busybox, 'sh', '-c', script]);
    await both.expectSameCli(['run', '--rm', '--read-only', '--network', 'host', both.busybox, 'sh', '-c', 'echo x >> /etc/hosts']);
  });

  it('a tmpfs mount and a tmpfs volume keep the mode and owner their options give', async () => {
    await both.expectSameCli(['run', '--rm', '--mount', 'type=tmpfs,dst=/t,tmpfs-mode=0700', both.busybox, 'stat', '-c', '%a %u %g', '/t']);
    await both.expectSameCli(['run', '--rm', '--mount', 'type=tmpfs,dst=/tmp,tmpfs-mode=0700', both.busybox, 'stat', '-c', '%a %u %g', '/tmp']);
    await both.mustBoth(['volume', 'create', '--driver', 'local', '--opt', 'type=tmpfs', '--opt', 'device=tmpfs', '--opt', 'o=size=1m,uid=1000', 'diff-tmpvol']);
    await both.expectSameCli(['run', '--rm', '-v', 'diff-tmpvol:/v', both.busybox, 'stat', '-c', '%a %u %g', '/v']);
    // Where the image has the directory, its owner and mode are copied onto the empty volume.
    await both.expectSameCli(['run', '--rm', '-v', 'diff-tmpvol:/etc', both.busybox, 'stat', '-c', '%a %u %g', '/etc']);
    await both.mustBoth(['volume', 'rm', 'diff-tmpvol']);
  });

  it('user networks resolve names at 127.0.0.11, over udp and tcp, and nothing is left after', async () => {
    await both.mustBoth(['network', 'create', 'diff-dns']);
    await both.mustBoth(['run', '-d', '--name', 'diff-dns-a', '--network', 'diff-dns', '--network-alias', 'alias-a', both.busybox, 'sleep', '300']);
    await both.expectSameCli(['run', '--rm', '--network', 'diff-dns', both.busybox, 'cat', '/etc/resolv.conf']);
    await both.expectSameCli(['run', '--rm', '--network', 'diff-dns', '--dns-search', 'example.org', '--dns-option', 'timeout:2', both.busybox, 'cat', '/etc/resolv.conf']);
    await both.expectSameCli(['run', '--rm', '--network', 'diff-dns', '--dns-option', 'ndots:3', both.busybox, 'cat', '/etc/resolv.conf']);
    await both.expectSameCli(['run', '--rm', '--network', 'diff-dns', '--dns', '10.9.9.9', both.busybox, 'cat', '/etc/resolv.conf'], {
      ignore: ['stdout'],
      because: 'with --dns on a user network dockerd\'s resolver at 127.0.0.11 forwards to that server; aardvark-dns 1.4 cannot forward per container, so berthd lists the server itself (container names do not resolve then)',
    });
    // -type=a: with both A and AAAA asked, the order of the two answers is a race on either engine.
    await both.expectSameCli(['run', '--rm', '--network', 'diff-dns', both.busybox, 'nslookup', '-type=a', 'diff-dns-a', '127.0.0.11']);
    await both.expectSameCli(['run', '--rm', '--network', 'diff-dns', both.busybox, 'nslookup', '-type=a', 'alias-a']);
    await both.expectSameCli(['run', '--rm', '--network', 'diff-dns', both.busybox, 'sh', '-c', 'nc -w 3 127.0.0.11 53 </dev/null; echo tcp=$?'], {
      ignore: ['stdout', 'stderr'],
      because: 'aardvark-dns 1.4 (Debian 12) serves DNS over UDP only; port 53/tcp is redirected too, for the versions that serve it',
    });
    await both.mustBoth(['rm', '-f', 'diff-dns-a']);
    await both.mustBoth(['network', 'rm', 'diff-dns']);
    // The redirect lived in the containers' namespaces, which are gone with them.
    expect(readdirSync(join(both.berth.execRoot, 'netns'))).toEqual([]);
    expect(spawnSync('iptables', ['-t', 'nat', '-S'], { encoding: 'utf8' }).stdout).not.toContain('127.0.0.11');
  });

  it('the default bridge keeps the host\'s resolvers, with search and options first and last', async () => {
    await both.expectSameCli(['run', '--rm', '--dns-search', 'example.org', '--dns-option', 'ndots:3', both.busybox, 'cat', '/etc/resolv.conf']);
    await both.expectSameCli(['run', '--rm', '--dns', '10.9.9.9', '--dns-search', 'example.org', both.busybox, 'cat', '/etc/resolv.conf']);
  });
});
