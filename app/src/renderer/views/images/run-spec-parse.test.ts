import { describe, expect, test } from 'vitest';
import { buildRunSpec, parseCommand, parseContainerName, parseEnv, parsePorts, parseVolumes } from './run-spec-parse.ts';

describe('parsePorts', () => {
  test('reads host:container, a bare container port (random host port), host addresses and protocols', () => {
    expect(parsePorts('8080:80, 127.0.0.1:5353:53/udp\n443')).toEqual({
      ok: true,
      value: [
        { containerPort: 80, hostPort: 8080, protocol: 'tcp' },
        { containerPort: 53, hostPort: 5353, hostIp: '127.0.0.1', protocol: 'udp' },
        { containerPort: 443, protocol: 'tcp' },
      ],
    });
  });

  test('reads an address with a random host port, a bracketed IPv6 address and ranges', () => {
    expect(parsePorts('127.0.0.1::80')).toEqual({ ok: true, value: [{ containerPort: 80, hostIp: '127.0.0.1', protocol: 'tcp' }] });
    expect(parsePorts('[::1]:8080:80')).toEqual({ ok: true, value: [{ containerPort: 80, hostPort: 8080, hostIp: '::1', protocol: 'tcp' }] });
    expect(parsePorts('8000-8001:9000-9001')).toEqual({
      ok: true,
      value: [{ containerPort: 9000, hostPort: 8000, protocol: 'tcp' }, { containerPort: 9001, hostPort: 8001, protocol: 'tcp' }],
    });
  });

  test('an empty field means no ports', () => {
    expect(parsePorts('  ')).toEqual({ ok: true, value: [] });
  });

  test.each([
    ['80:abc', 'the container port must be a number from 1 to 65535'],
    ['70000:80', 'the host port must be a number from 1 to 65535'],
    ['80/sctp', 'the protocol must be tcp or udp'],
    ['1.2.3:80:80', 'is not an IPv4 address'],
    ['8000-8002:80-81', 'same length'],
    ['1:2:3:4', 'write hostPort:containerPort'],
  ])('refuses %s with a message that names it', (entry, message) => {
    const parsed = parsePorts(`8080:80, ${entry}`);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error).toContain(`"${entry}"`);
      expect(parsed.error).toContain(message);
    }
  });
});

describe('parseEnv', () => {
  test('keeps values exactly, including spaces and "=", and skips blank and comment lines', () => {
    expect(parseEnv('GREETING=hello world\n\n# a comment\nURL=a=b\nEMPTY=\r\n')).toEqual({
      ok: true, value: ['GREETING=hello world', 'URL=a=b', 'EMPTY='],
    });
  });

  test('refuses a line without "=" or without a name, saying which line', () => {
    expect(parseEnv('A=1\nNOVALUE')).toEqual({ ok: false, error: 'line 2: write KEY=value ("NOVALUE" has no "=")' });
    expect(parseEnv('=1')).toEqual({ ok: false, error: 'line 1: the variable name before "=" is missing' });
    expect(parseEnv('MY VAR=1').ok).toBe(false);
  });
});

describe('parseVolumes', () => {
  test('reads named volumes and host paths, read-only or not', () => {
    expect(parseVolumes('data:/var/lib/data\n/srv/www:/usr/share/nginx/html:ro')).toEqual({
      ok: true,
      value: [
        { source: 'data', target: '/var/lib/data', readOnly: false },
        { source: '/srv/www', target: '/usr/share/nginx/html', readOnly: true },
      ],
    });
  });

  test.each([
    ['data', 'write name-or-/host/path:/target'],
    ['data:relative', 'must be an absolute path in the container'],
    ['data:/x:rx', 'must be ro or rw'],
    ['bad name!:/x', 'is neither an absolute host path nor a volume name'],
    [':/x', 'name a volume or an absolute host path'],
  ])('refuses %s', (line, message) => {
    const parsed = parseVolumes(line);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });
});

describe('parseCommand', () => {
  test('splits like a shell: single quotes are literal, double quotes keep spaces, backslashes escape', () => {
    expect(parseCommand(`sh -c 'trap "exit 0" TERM; echo $i'`)).toEqual({ ok: true, value: ['sh', '-c', 'trap "exit 0" TERM; echo $i'] });
    expect(parseCommand(`echo "a \\"b\\" c" d\\ e ''`)).toEqual({ ok: true, value: ['echo', 'a "b" c', 'd e', ''] });
    expect(parseCommand('   ')).toEqual({ ok: true, value: [] });
  });

  test('refuses an unclosed quote', () => {
    expect(parseCommand(`sh -c 'echo`)).toEqual({ ok: false, error: 'the single quote is never closed' });
    expect(parseCommand('echo "hi')).toEqual({ ok: false, error: 'the double quote is never closed' });
  });
});

describe('buildRunSpec', () => {
  const blank = { name: '', command: '', ports: '', env: '', volumes: '', network: '' };

  test('an untouched form runs the image with its defaults', () => {
    expect(buildRunSpec('busybox:latest', blank)).toEqual({ spec: { image: 'busybox:latest' } });
  });

  test('fills every field that was given', () => {
    expect(buildRunSpec('nginx', { name: 'web', command: 'nginx -g "daemon off;"', ports: '8080:80', env: 'A=1', volumes: 'vol:/data', network: 'front' })).toEqual({
      spec: {
        image: 'nginx', name: 'web', command: ['nginx', '-g', 'daemon off;'],
        ports: [{ containerPort: 80, hostPort: 8080, protocol: 'tcp' }], env: ['A=1'],
        volumes: [{ source: 'vol', target: '/data', readOnly: false }], network: 'front',
      },
    });
  });

  test('reports every bad field at once and builds nothing', () => {
    const result = buildRunSpec('nginx', { ...blank, name: '-bad', ports: 'x', env: 'NOPE' });
    expect(result).not.toHaveProperty('spec');
    expect(Object.keys((result as { errors: object }).errors).sort()).toEqual(['env', 'name', 'ports']);
  });

  test('container names follow Docker\'s rule', () => {
    expect(parseContainerName(' web-1 ')).toEqual({ ok: true, value: 'web-1' });
    expect(parseContainerName('a').ok).toBe(false);
    expect(parseContainerName('my app').ok).toBe(false);
  });
});
