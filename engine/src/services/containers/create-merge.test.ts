import { describe, expect, it } from 'vitest';
import { mergeCommand, mergeEnv, type CreateInput } from './create-container.ts';

const input = (config: Partial<CreateInput['config']>, given: Partial<CreateInput> = {}): CreateInput =>
  ({ config: { Image: 'x', Env: [], Entrypoint: null, Cmd: null, ...config }, hostConfig: {}, entrypointGiven: false, cmdGiven: false, ...given }) as unknown as CreateInput;

describe('create: merging the request with the image config as dockerd does', () => {
  it('env: the request first, then image entries whose name it does not set', () => {
    expect(mergeEnv(['PATH=/bin', 'A=image', 'B=image'], ['A=mine', 'C=3'])).toEqual(['A=mine', 'C=3', 'PATH=/bin', 'B=image']);
    expect(mergeEnv(['A=image'], ['A'])).toEqual(['A']);
    expect(mergeEnv([], [])).toEqual([]);
  });

  it('env: an image entry "" (from `"Env": ["A=1", null]`) is kept as dockerd keeps it', () => {
    expect(mergeEnv(['A=1', ''], [])).toEqual(['A=1', '']);
  });

  it('an image Entrypoint of [""] is reset and its Cmd runs', () => {
    expect(mergeCommand(input({}), { Entrypoint: [''], Cmd: ['echo', 'hi'] })).toEqual({ entrypoint: null, cmd: ['echo', 'hi'] });
    expect(mergeCommand(input({ Cmd: ['true'] }), { Entrypoint: [''], Cmd: ['echo'] })).toEqual({ entrypoint: null, cmd: ['true'] });
  });

  it('a request Entrypoint of [""] (`--entrypoint ""`) takes neither the image Entrypoint nor its Cmd', () => {
    const image = { Entrypoint: ['/entry'], Cmd: ['sh'] };
    expect(mergeCommand(input({ Entrypoint: [''] }, { entrypointGiven: true }), image)).toEqual({ entrypoint: null, cmd: null });
    expect(mergeCommand(input({ Entrypoint: [''], Cmd: ['echo', 'hi'] }, { entrypointGiven: true, cmdGiven: true }), image)).toEqual({ entrypoint: null, cmd: ['echo', 'hi'] });
  });

  it('a request Entrypoint of [] drops the image Entrypoint but keeps its Cmd', () => {
    expect(mergeCommand(input({ Entrypoint: [] }, { entrypointGiven: true }), { Entrypoint: ['/entry'], Cmd: ['sh'] })).toEqual({ entrypoint: null, cmd: ['sh'] });
  });

  it('absent Entrypoint and Cmd on the image', () => {
    expect(mergeCommand(input({ Cmd: ['sh'] }), {})).toEqual({ entrypoint: null, cmd: ['sh'] });
  });
});
