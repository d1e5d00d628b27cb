import { describe, expect, it } from 'vitest';
import { IgnoreMatcher } from './dockerignore.ts';
import { envMap, expandWord, expandWords, parseKeyValues } from './expand.ts';

const env = envMap(['A=alpha', 'EMPTY=', 'SP=with space']);

describe('Dockerfile variable expansion', () => {
  it('expands $VAR and ${VAR} and leaves unknown ones empty', () => {
    expect(expandWord('$A/${A}x/$NOPE.', env)).toBe('alpha/alphax/.');
  });
  it('supports :- - :+ and + modifiers with nested words', () => {
    expect(expandWord('${NOPE:-def}', env)).toBe('def');
    expect(expandWord('${EMPTY:-def}', env)).toBe('def');
    expect(expandWord('${EMPTY-def}', env)).toBe('');
    expect(expandWord('${A:+alt-$A}', env)).toBe('alt-alpha');
    expect(expandWord('${NOPE:+alt}', env)).toBe('');
    expect(expandWord('${NOPE:-${A}}', env)).toBe('alpha');
  });
  it('honours quotes and the escape character', () => {
    expect(expandWord(`'$A'`, env)).toBe('$A');
    expect(expandWord('"$A b"', env)).toBe('alpha b');
    expect(expandWord('\\$A', env)).toBe('$A');
    expect(expandWord('`$A', env, '`')).toBe('$A');
    expect(expandWord('"a\\"b"', env)).toBe('a"b');
  });
  it('splits words outside quotes only', () => {
    expect(expandWords('a "b c" $SP', env)).toEqual(['a', 'b c', 'with space']);
  });
  it('parses key=value pairs and the legacy ENV form', () => {
    expect(parseKeyValues('X=1 Y="two words" Z=$A', env, '\\', true)).toEqual([['X', '1'], ['Y', 'two words'], ['Z', 'alpha']]);
    expect(parseKeyValues('X hello  world', env, '\\', true)).toEqual([['X', 'hello  world']]);
  });
});

describe('.dockerignore matching', () => {
  it('excludes with *, ** and parent directories, re-includes with !', () => {
    const m = new IgnoreMatcher('# comment\n*.log\n**/tmp\nbuild\n!build/keep.txt\n/secret/\n');
    expect(m.ignores('a.log')).toBe(true);
    expect(m.ignores('dir/a.log')).toBe(false); // * does not cross directories
    expect(m.ignores('x/y/tmp/file')).toBe(true);
    expect(m.ignores('tmp')).toBe(true);
    expect(m.ignores('build/out.o')).toBe(true);
    expect(m.ignores('build/keep.txt')).toBe(false);
    expect(m.ignores('secret/key')).toBe(true);
    expect(m.ignores('src/main.c')).toBe(false);
  });
  it('lets the last matching pattern win', () => {
    const m = new IgnoreMatcher('!a.txt\n*.txt\n');
    expect(m.ignores('a.txt')).toBe(true);
  });
});
