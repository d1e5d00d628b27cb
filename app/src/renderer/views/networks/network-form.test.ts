import { describe, expect, test } from 'vitest';
import { networkFormErrors } from './network-form.ts';

describe('networkFormErrors', () => {
  const form = { name: 'backend', subnet: '', gateway: '', internal: false };

  test('a name alone is enough', () => {
    expect(networkFormErrors(form)).toEqual({});
    expect(networkFormErrors({ ...form, subnet: '10.42.0.0/24', gateway: '10.42.0.1' })).toEqual({});
  });

  test('says what is wrong with the name, the subnet and the gateway', () => {
    expect(networkFormErrors({ ...form, name: '' }).name).toBe('a network needs a name');
    expect(networkFormErrors({ ...form, name: 'my net' }).name).toContain('letters, digits');
    expect(networkFormErrors({ ...form, subnet: '10.42.0.0' }).subnet).toContain('CIDR');
    expect(networkFormErrors({ ...form, subnet: '10.42.0.0/33' }).subnet).toContain('CIDR');
    expect(networkFormErrors({ ...form, gateway: '10.42.0.1' }).gateway).toBe('a gateway needs a subnet to belong to');
    expect(networkFormErrors({ ...form, subnet: '10.42.0.0/24', gateway: '10.43.0.1' }).gateway).toBe('the gateway must be inside 10.42.0.0/24');
    expect(networkFormErrors({ ...form, subnet: '10.42.0.0/24', gateway: '10.42.0.0' }).gateway).toBe('the gateway must be inside 10.42.0.0/24');
  });
});
