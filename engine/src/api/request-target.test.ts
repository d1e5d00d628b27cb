import { describe, expect, it } from 'vitest';
import { cleanPath, parseRequestTarget } from './request-target.ts';

describe('parseRequestTarget', () => {
  it('answers unclean paths with a redirect to the clean one, as dockerd (gorilla/mux) does', () => {
    expect(parseRequestTarget('//a:99999/_ping')).toEqual({ kind: 'redirect', location: '/a:99999/_ping' });
    expect(parseRequestTarget('//[')).toEqual({ kind: 'redirect', location: '/%5B' });
    expect(parseRequestTarget('//u:p@[::1')).toEqual({ kind: 'redirect', location: '/u:p@%5B::1' });
    expect(parseRequestTarget('/x/../_ping?a=1')).toEqual({ kind: 'redirect', location: '/_ping?a=1' });
    expect(parseRequestTarget('/v1.41//_ping')).toEqual({ kind: 'redirect', location: '/v1.41/_ping' });
    expect(parseRequestTarget('*')).toEqual({ kind: 'redirect', location: '/%2A' });
  });

  it('refuses bad %-escapes in the path and targets that are no path', () => {
    expect(parseRequestTarget('//x%zz').kind).toBe('invalid');
    expect(parseRequestTarget('/containers/%zz/json').kind).toBe('invalid');
    expect(parseRequestTarget('/a%').kind).toBe('invalid');
    expect(parseRequestTarget('x:80').kind).toBe('invalid');
  });

  it('routes clean paths, absolute-form targets, and lenient queries', () => {
    const target = parseRequestTarget('/containers/json?all=1&filters=%zz');
    expect(target.kind).toBe('route');
    if (target.kind !== 'route') return;
    expect(target.path).toBe('/containers/json');
    expect(target.query.get('all')).toBe('1');
    expect(target.query.get('filters')).toBe('%zz');
    const absolute = parseRequestTarget('http://docker/v1.47/_ping');
    expect(absolute.kind === 'route' && absolute.path).toBe('/v1.47/_ping');
    expect(parseRequestTarget('/_ping/').kind).toBe('route');
  });

  it('never makes a Location a header cannot carry', () => {
    const target = parseRequestTarget('//é\u0001"<x>');
    expect(target.kind).toBe('redirect');
    if (target.kind === 'redirect') expect(target.location).toMatch(/^[\x21-\x7e]+$/);
  });
});

describe('cleanPath', () => {
  it('is Go path.Clean keeping a trailing slash', () => {
    expect(cleanPath('')).toBe('/');
    expect(cleanPath('/a/./b/')).toBe('/a/b/');
    expect(cleanPath('/../..')).toBe('/');
    expect(cleanPath('/a//b')).toBe('/a/b');
  });
});
