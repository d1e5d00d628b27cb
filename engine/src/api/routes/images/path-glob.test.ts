import { describe, expect, it } from 'vitest';
import { pathMatchRegExp } from './path-glob.ts';

const matches = (pattern: string, name: string) => pathMatchRegExp(pattern).test(name);

describe('pathMatchRegExp: Go path.Match patterns for image references', () => {
  it('* and ? match within one path element only', () => {
    expect(matches('mybox*', 'mybox')).toBe(true);
    expect(matches('mybox*', 'mybox/sub')).toBe(false);
    expect(matches('my*/*', 'mybox/sub')).toBe(true);
    expect(matches('*/busybox', '127.0.0.1:5000/busybox')).toBe(true);
    expect(matches('busybo?', 'busybox')).toBe(true);
    expect(matches('a?b', 'a/b')).toBe(false);
  });

  it('classes, negated classes and ranges; a class may match /', () => {
    expect(matches('[m]ybox', 'mybox')).toBe(true);
    expect(matches('[^m]ybox', 'mybox')).toBe(false);
    expect(matches('[a-z]ybox', 'mybox')).toBe(true);
    expect(matches('a[/]b', 'a/b')).toBe(true);
    expect(matches('[z-a]x', 'mx')).toBe(false);
  });

  it('escapes and regular-expression characters are literal', () => {
    expect(matches('a\\*b', 'a*b')).toBe(true);
    expect(matches('a\\*b', 'axb')).toBe(false);
    expect(matches('a.b', 'axb')).toBe(false);
    expect(matches('busybox:1.3(6)', 'busybox:1.3(6)')).toBe(true);
    expect(matches('my-box_1:v-2', 'my-box_1:v-2')).toBe(true);
  });

  it('a malformed pattern is a syntax error', () => {
    for (const bad of ['[', '[]', '[a', 'a\\', '[-a]', '[a-]', '[\\']) expect(() => pathMatchRegExp(bad), bad).toThrow('syntax error in pattern');
  });
});
