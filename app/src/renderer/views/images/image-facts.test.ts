import { describe, expect, test } from 'vitest';
import { argvText, historyRows, imageConfigFacts, instructionOf } from './image-facts.ts';

describe('instructionOf', () => {
  test('reads what the classic builder, BuildKit and build args leave in CreatedBy', () => {
    expect(instructionOf('/bin/sh -c #(nop)  CMD ["sh"]')).toBe('CMD ["sh"]');
    expect(instructionOf('/bin/sh -c #(nop) ADD file:abc in / ')).toBe('ADD file:abc in /');
    expect(instructionOf('/bin/sh -c apk add curl')).toBe('RUN apk add curl');
    expect(instructionOf('|2 A=1 B= /bin/sh -c echo $A')).toBe('RUN echo $A');
    expect(instructionOf('RUN /bin/sh -c make # buildkit')).toBe('RUN make');
    expect(instructionOf('RUN |1 VERSION=2 /bin/sh -c echo $VERSION # buildkit')).toBe('RUN echo $VERSION');
    expect(instructionOf('COPY . /app # buildkit')).toBe('COPY . /app');
    expect(instructionOf('WORKDIR /app')).toBe('WORKDIR /app');
    expect(instructionOf('')).toBe('');
  });
});

describe('historyRows', () => {
  test('keeps a real layer id, drops "<missing>" and empty ones, and reads null fields as empty', () => {
    const rows = historyRows([
      { Id: 'sha256:aaa', Created: 1_700_000_000, CreatedBy: '/bin/sh -c #(nop)  CMD ["sh"]', Tags: ['x:1'], Size: 0, Comment: '' },
      { Id: '<missing>', Created: null, CreatedBy: null, Tags: null, Size: null, Comment: null },
      { Id: '', CreatedBy: 'COPY a b # buildkit', Size: 42 },
      {},
      null,
    ]);
    expect(rows).toEqual([
      { layerId: 'sha256:aaa', instruction: 'CMD ["sh"]', createdBy: '/bin/sh -c #(nop)  CMD ["sh"]', size: 0, created: 1_700_000_000, tags: ['x:1'], comment: '' },
      { instruction: '', createdBy: '', size: 0, created: 0, tags: [], comment: '' },
      { instruction: 'COPY a b', createdBy: 'COPY a b # buildkit', size: 42, created: 0, tags: [], comment: '' },
      { instruction: '', createdBy: '', size: 0, created: 0, tags: [], comment: '' },
      { instruction: '', createdBy: '', size: 0, created: 0, tags: [], comment: '' },
    ]);
    expect(historyRows(null)).toEqual([]);
  });
});

describe('imageConfigFacts', () => {
  test('reads every field of a full config, ports and labels sorted', () => {
    const facts = imageConfigFacts({
      Config: {
        Entrypoint: ['/docker-entrypoint.sh'], Cmd: ['nginx', '-g', 'daemon off;'], Env: ['PATH=/usr/bin', 'A=b c'],
        ExposedPorts: { '80/tcp': {}, '443/tcp': {}, '53/udp': {} }, Volumes: { '/data': {} },
        Labels: { 'org.opencontainers.image.title': 'web', maintainer: 'me' }, WorkingDir: '/srv', User: '101:101',
      },
    });
    expect(facts).toEqual({
      entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'], env: ['PATH=/usr/bin', 'A=b c'],
      exposedPorts: ['443/tcp', '53/udp', '80/tcp'], volumes: ['/data'],
      labels: [['maintainer', 'me'], ['org.opencontainers.image.title', 'web']], workdir: '/srv', user: '101:101',
    });
  });

  test('a null config, null fields and a string Entrypoint (old images) all read as empty or one word', () => {
    const empty = { entrypoint: [], cmd: [], env: [], exposedPorts: [], volumes: [], labels: [], workdir: '', user: '' };
    expect(imageConfigFacts({ Config: null })).toEqual(empty);
    expect(imageConfigFacts(undefined)).toEqual(empty);
    expect(imageConfigFacts({ Config: { Entrypoint: null, Cmd: null, Env: null, ExposedPorts: null, Volumes: null, Labels: null, WorkingDir: null, User: null } })).toEqual(empty);
    expect(imageConfigFacts({ Config: { Entrypoint: '/bin/app', Labels: { ok: 'y', bad: 3 } } })).toMatchObject({ entrypoint: ['/bin/app'], labels: [['ok', 'y']] });
  });
});

describe('argvText', () => {
  test('quotes the words a shell would split', () => {
    expect(argvText(['nginx', '-g', 'daemon off;'])).toBe(`nginx -g 'daemon off;'`);
    expect(argvText(['sh', '-c', `echo 'hi'`])).toBe(`sh -c 'echo '\\''hi'\\'''`);
  });
});
