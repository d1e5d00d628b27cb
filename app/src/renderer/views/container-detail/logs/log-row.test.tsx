// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { parseAnsi, stripAnsi } from './ansi.ts';
import { LogRow, splitForHighlights } from './log-row.tsx';

afterEach(cleanup);

function row(props: Partial<Parameters<typeof LogRow>[0]> & { text: string }) {
  const { container } = render(<div><LogRow stderr={false} timestamp={undefined} query="" current={false} showTimestamp={false} {...props} /></div>);
  return container.firstElementChild as HTMLElement;
}

describe('LogRow', () => {
  test('marks every search hit with <mark>, case-insensitively', () => {
    const element = row({ text: 'GET /health 200; get /ready 200', query: 'get' });
    expect([...element.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['GET', 'get']);
    expect(element.textContent).toBe('GET /health 200; get /ready 200');
  });

  test('the line holding the current hit says so (aria-current)', () => {
    const element = row({ text: 'a hit', query: 'hit', current: true });
    expect(element.querySelector('mark')?.getAttribute('aria-current')).toBe('true');
    expect(row({ text: 'a hit', query: 'hit' }).querySelector('mark')?.hasAttribute('aria-current')).toBe(false);
  });

  test('a stderr line carries a visually hidden "stderr" marker for screen readers', () => {
    const element = row({ text: 'boom', stderr: true });
    expect(element.querySelector('.visually-hidden')?.textContent).toBe('stderr: ');
    expect(row({ text: 'fine' }).querySelector('.visually-hidden')).toBeNull();
  });

  test('renders basic ANSI colours and hides the escape codes', () => {
    const element = row({ text: '\x1b[31mred\x1b[0m and \x1b[1;92mbright\x1b[0m' });
    expect(element.textContent).toBe('red and bright');
    const spans = [...element.querySelectorAll('span')];
    expect(spans[0].textContent).toBe('red');
    expect(spans[0].style.color).toBe('var(--ansi-1)');
    expect(spans[1].textContent).toBe('bright');
    expect(spans[1].style.color).toBe('var(--ansi-10)');
    expect(spans[1].style.fontWeight).toBe('bold');
  });

  test('a hit across a colour change is highlighted in both pieces', () => {
    const element = row({ text: 'ab\x1b[32mcd\x1b[0mef', query: 'bcd' });
    expect([...element.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['b', 'cd']);
  });

  test('shows the timestamp only when asked', () => {
    expect(row({ text: 'x', timestamp: '2024-05-01T10:00:00Z', showTimestamp: true }).textContent).toBe('2024-05-01T10:00:00Z x');
    expect(row({ text: 'x', timestamp: '2024-05-01T10:00:00Z' }).textContent).toBe('x');
  });
});

describe('ANSI parsing', () => {
  test('strips CSI sequences other than colours too', () => {
    expect(stripAnsi('\x1b[2K\x1b[1Gprogress 50%')).toBe('progress 50%');
    expect(parseAnsi('\x1b[38;5;208morange\x1b[39m')).toEqual([{ text: 'orange', style: {} }]);
  });

  test('splitForHighlights keeps styles and cuts exactly at range edges', () => {
    const pieces = splitForHighlights([{ text: 'hello', style: { fg: 1 } }, { text: ' world', style: {} }], [[3, 7]]);
    expect(pieces).toEqual([
      { text: 'hel', style: { fg: 1 }, highlighted: false },
      { text: 'lo', style: { fg: 1 }, highlighted: true },
      { text: ' w', style: {}, highlighted: true },
      { text: 'orld', style: {}, highlighted: false },
    ]);
  });
});
