import { describe, expect, test } from 'vitest';
import { decideWindowOpen, isAppPage, loopbackPort, mayNavigate } from './navigation-policy.ts';

const page = 'file:///opt/Berth/resources/app/dist/renderer/index.html';

describe('navigation policy', () => {
  test('the window stays on the app page: hash routes and reloads pass, anything else is refused', () => {
    expect(mayNavigate(`${page}#/containers/abc/logs`, page)).toBe(true);
    expect(mayNavigate(page, `${page}#/images`)).toBe(true);
    expect(mayNavigate('file:///etc/passwd', page)).toBe(false);
    expect(mayNavigate('file:///opt/Berth/resources/app/dist/renderer/other.html', page)).toBe(false);
    expect(mayNavigate(`${page}?x=1`, page)).toBe(false);
    expect(mayNavigate('https://example.com/', page)).toBe(false);
    expect(mayNavigate('not a url', page)).toBe(false);
    expect(isAppPage('javascript:alert(1)', page)).toBe(false);
  });

  test('only http(s) links to a published port on loopback open, in the system browser', () => {
    const published = new Set([8080, 443]);
    expect(decideWindowOpen('http://localhost:8080/', published)).toEqual({ action: 'external', url: 'http://localhost:8080/' });
    expect(decideWindowOpen('http://127.0.0.1:8080/path?q=1', published)).toEqual({ action: 'external', url: 'http://127.0.0.1:8080/path?q=1' });
    expect(decideWindowOpen('https://localhost/', published)).toEqual({ action: 'external', url: 'https://localhost/' });
    expect(decideWindowOpen('http://[::1]:8080/', published).action).toBe('external');
    // Not published, not loopback, credentials, other schemes: refused.
    expect(decideWindowOpen('http://localhost:9090/', published)).toEqual({ action: 'deny' });
    expect(decideWindowOpen('http://example.com:8080/', published)).toEqual({ action: 'deny' });
    expect(decideWindowOpen('http://user:pw@localhost:8080/', published)).toEqual({ action: 'deny' });
    expect(decideWindowOpen('file:///etc/passwd', published)).toEqual({ action: 'deny' });
    expect(decideWindowOpen('ftp://localhost:8080/', published)).toEqual({ action: 'deny' });
    expect(decideWindowOpen('http://localhost.evil.com:8080/', published)).toEqual({ action: 'deny' });
    expect(loopbackPort('http://localhost/')).toBe(80);
  });
});
