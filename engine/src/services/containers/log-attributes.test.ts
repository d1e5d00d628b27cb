import { describe, expect, it } from 'vitest';
import type { ContainerRecord } from '../../core/container-types.ts';
import { logAttributes } from './container-logs.ts';

const record = (labels: Record<string, string>, env: string[], options: Record<string, string>) =>
  ({ Config: { Labels: labels, Env: env }, HostConfig: { LogConfig: { Type: 'json-file', Config: options } } }) as unknown as ContainerRecord;

describe('log attributes for `logs --details`', () => {
  it('lists the named and matching labels and env vars, sorted by key and query-escaped', () => {
    const r = record({ team: 'a b', app: '1', apb: '2', x: '3' }, ['SA=1', 'SB=2=3', 'PATH=/bin'], {
      labels: 'team,missing', 'labels-regex': '^ap', env: 'SA,NOPE', 'env-regex': '^SB',
    });
    expect(logAttributes(r)).toBe('SA=1,SB=2%3D3,apb=2,app=1,team=a+b');
  });

  it('is empty without those options', () => {
    expect(logAttributes(record({ a: '1' }, ['A=1'], {}))).toBe('');
  });
});
