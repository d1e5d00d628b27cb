import { describe, expect, test } from 'vitest';
import { CONTAINER_TABS, routes } from '../renderer/routes.ts';
import { DEEP_LINK_TABS, findDeepLink, parseDeepLink } from './deep-link.ts';

describe('berth:// deep links', () => {
  test('a container link becomes the renderer route of its detail tab (logs by default)', () => {
    expect(parseDeepLink('berth://container/web-1')).toEqual({ ok: true, link: { kind: 'container', id: 'web-1', tab: 'logs', route: `#${routes.container('web-1')}` } });
    const terminal = parseDeepLink('berth://container/3f2a9c/terminal/');
    expect(terminal.ok && terminal.link.route).toBe(`#${routes.container('3f2a9c', 'terminal')}`);
  });

  test('anything else is refused with a reason', () => {
    for (const bad of [
      'https://container/abc', 'berth://image/abc', 'berth://container/', 'berth://container/abc/shell',
      'berth://container/abc/logs/extra', 'berth://container/..%2Fx', 'berth://container/-rf',
      'berth://container/abc?x=1', 'berth://container/abc#y', 'berth://u:p@container/abc', 'berth://container:80/abc',
      'berth://container/%3Cscript%3E', 'nonsense',
    ]) {
      const result = parseDeepLink(bad);
      expect(result.ok, bad).toBe(false);
      expect(!result.ok && result.reason.length > 0).toBe(true);
    }
  });

  test('the tabs match the renderer routes, and a second launch argv yields its link', () => {
    expect([...DEEP_LINK_TABS]).toEqual([...CONTAINER_TABS]);
    expect(findDeepLink(['/opt/Berth/berth', '--no-sandbox', 'berth://container/a/stats'])).toBe('berth://container/a/stats');
    expect(findDeepLink(['/opt/Berth/berth'])).toBeUndefined();
  });
});
