// Checks the Create network form before anything is sent: a valid name, an IPv4 CIDR subnet and
// a gateway inside it.
export interface NetworkForm { name: string; subnet: string; gateway: string; internal: boolean }

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

export function networkFormErrors(form: NetworkForm): Partial<Record<keyof NetworkForm, string>> {
  const errors: Partial<Record<keyof NetworkForm, string>> = {};
  const name = form.name.trim();
  const subnet = form.subnet.trim();
  const gateway = form.gateway.trim();
  if (!name) errors.name = 'a network needs a name';
  else if (!NAME.test(name)) errors.name = 'use letters, digits, "_", "." or "-", starting with a letter or digit';
  let range: [number, number] | undefined;
  if (subnet) {
    const [address, bits] = subnet.split('/');
    const prefix = Number(bits);
    if (!IPV4.test(address ?? '') || bits === undefined || !/^\d+$/.test(bits) || prefix < 8 || prefix > 30) {
      errors.subnet = 'write an IPv4 range in CIDR form, e.g. 10.42.0.0/24 (prefix 8 to 30)';
    } else {
      const size = 2 ** (32 - prefix);
      const start = ipv4ToNumber(address) - (ipv4ToNumber(address) % size);
      range = [start, start + size - 1];
    }
  }
  if (gateway) {
    if (!IPV4.test(gateway)) errors.gateway = 'write an IPv4 address, e.g. 10.42.0.1';
    else if (!subnet) errors.gateway = 'a gateway needs a subnet to belong to';
    else if (range && (ipv4ToNumber(gateway) <= range[0] || ipv4ToNumber(gateway) >= range[1])) errors.gateway = `the gateway must be inside ${subnet}`;
  }
  return errors;
}
