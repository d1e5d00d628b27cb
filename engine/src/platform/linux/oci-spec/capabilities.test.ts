import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../core/errors.ts';
import {
  capabilitiesFromMask, capabilityMask, capabilitySets, containerCapabilities, DEFAULT_CAPABILITIES,
  KNOWN_CAPABILITIES, normalizeCapabilities,
} from './capabilities.ts';

const all = [...KNOWN_CAPABILITIES];

describe('capabilities', () => {
  it('gives the default set Docker shows as CapEff 00000000a80425fb', () => {
    const caps = containerCapabilities({ privileged: false, available: all });
    expect(caps).toHaveLength(14);
    expect(capabilityMask(caps)).toBe('00000000a80425fb');
  });

  it('accepts names with or without CAP_, in any case', () => {
    expect(normalizeCapabilities(['sys_admin', 'CAP_NET_ADMIN', 'Cap_Sys_Ptrace', 'all'], all))
      .toEqual(['CAP_SYS_ADMIN', 'CAP_NET_ADMIN', 'CAP_SYS_PTRACE', 'ALL']);
  });

  it('adds and drops', () => {
    const caps = containerCapabilities({ capAdd: ['SYS_ADMIN'], capDrop: ['net_raw', 'CAP_MKNOD'], privileged: false, available: all });
    expect(caps).toContain('CAP_SYS_ADMIN');
    expect(caps).not.toContain('CAP_NET_RAW');
    expect(caps).not.toContain('CAP_MKNOD');
    expect(caps).toHaveLength(13);
  });

  it('CapDrop ALL keeps only CapAdd; CapAdd ALL keeps everything but CapDrop', () => {
    expect(containerCapabilities({ capAdd: ['chown'], capDrop: ['ALL'], privileged: false, available: all })).toEqual(['CAP_CHOWN']);
    const caps = containerCapabilities({ capAdd: ['ALL'], capDrop: ['SYS_ADMIN'], privileged: false, available: all });
    expect(caps).toHaveLength(all.length - 1);
    expect(caps).not.toContain('CAP_SYS_ADMIN');
  });

  it('privileged gets every capability the engine holds, ignoring CapDrop', () => {
    const available = all.filter((c) => c !== 'CAP_SYS_RESOURCE');
    expect(containerCapabilities({ capDrop: ['ALL'], privileged: true, available })).toEqual(available);
  });

  it('rejects an unknown capability as an invalid parameter', () => {
    let error: unknown;
    try {
      containerCapabilities({ capAdd: ['SYS_WIZARD'], privileged: false, available: all });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).kind).toBe('invalid');
    expect((error as EngineError).message).toBe('unknown capability: "CAP_SYS_WIZARD"');
  });

  it('rejects a capability the engine itself lacks', () => {
    expect(() => containerCapabilities({ capAdd: ['SYS_RESOURCE'], privileged: false, available: [...DEFAULT_CAPABILITIES] }))
      .toThrow(/not available in the current environment: "CAP_SYS_RESOURCE"/);
  });

  it('leaves inheritable and ambient empty (CVE-2022-24769)', () => {
    const sets = capabilitySets(DEFAULT_CAPABILITIES);
    expect(sets).toEqual({ bounding: [...DEFAULT_CAPABILITIES], effective: [...DEFAULT_CAPABILITIES], permitted: [...DEFAULT_CAPABILITIES] });
    expect('inheritable' in sets).toBe(false);
    expect('ambient' in sets).toBe(false);
  });

  it('reads /proc status masks back', () => {
    expect(capabilitiesFromMask('00000000a80425fb').sort()).toEqual([...DEFAULT_CAPABILITIES].sort());
    expect(capabilitiesFromMask('000001ffffffffff')).toEqual(all);
  });
});
