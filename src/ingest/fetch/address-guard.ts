// Which addresses feedrelay may connect to. Checked on the address actually dialled (see
// guardedLookup), so a hostname that resolves differently a second time cannot slip past.
import { BlockList, isIP } from 'node:net';
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network, unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64 can reach private v4
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215)
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** The eight 16-bit groups of an IPv6 address (a trailing dotted quad included), or null. */
function hextets(ip: string): number[] | null {
  let text = ip.toLowerCase().replace(/%.*$/, '');
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const part = (h: string | undefined) => (h ? h.split(':').map((g) => parseInt(g, 16)) : []);
  const head = part(halves[0]);
  const tail = part(halves[1]);
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 0) return null;
  const out = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  return out.length === 8 && out.every((g) => g >= 0 && g <= 0xffff) ? out : null;
}

const dotted = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/** The IPv4 addresses an IPv6 address carries, each of which must be checked as IPv4: every form
 * that embeds one (IPv4-compatible ::/96, IPv4-mapped ::ffff:0:0/96, IPv4-translated
 * ::ffff:0:0:0/96, NAT64 64:ff9b::/96 and 64:ff9b:1::/48, 6to4 2002::/16, and Teredo 2001::/32,
 * whose server and obfuscated client addresses both count). */
function embeddedV4(ip: string): string[] {
  const h = hextets(ip);
  if (!h) return [];
  const zero = (from: number, to: number) => h.slice(from, to).every((g) => g === 0);
  if (zero(0, 5) && (h[5] === 0 || h[5] === 0xffff)) return [dotted(h[6]!, h[7]!)];
  if (zero(0, 4) && h[4] === 0xffff && h[5] === 0) return [dotted(h[6]!, h[7]!)];
  if (h[0] === 0x64 && h[1] === 0xff9b) return [dotted(h[6]!, h[7]!)];
  if (h[0] === 0x2002) return [dotted(h[1]!, h[2]!)];
  if (h[0] === 0x2001 && h[1] === 0) return [dotted(h[2]!, h[3]!), dotted(h[6]! ^ 0xffff, h[7]! ^ 0xffff)];
  return [];
}

export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  if (family === 6) {
    if (blocked.check(ip, 'ipv6')) return false;
    const v4 = embeddedV4(ip);
    return v4.every((a) => !blocked.check(a, 'ipv4'));
  }
  return !blocked.check(ip, 'ipv4');
}

export class RefusedAddressError extends Error {
  override name = 'RefusedAddressError';
  readonly code = 'ERR_REFUSED_ADDRESS';
}

/** What may be fetched besides the public internet: everything (allowPrivateNetworks), or
 * listed CIDRs, addresses and host names (an entry "*.corp.example" covers its subdomains). */
export interface AddressPolicy {
  allows(address: string, hostname: string): boolean;
}

export function addressPolicy(allowPrivateNetworks: boolean, allow: string[] = []): AddressPolicy {
  if (allowPrivateNetworks) return { allows: () => true };
  const nets = new BlockList();
  const hosts: string[] = [];
  for (const entry of allow) {
    const [addr = '', bits] = entry.split('/');
    const family = isIP(addr);
    if (family) {
      const type = family === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) nets.addAddress(addr, type);
      else nets.addSubnet(addr, Number(bits), type);
    } else hosts.push(entry.toLowerCase());
  }
  const hostAllowed = (h: string) => hosts.some((x) => (x.startsWith('*.') ? h.endsWith(x.slice(1)) : h === x));
  return {
    allows(address, hostname) {
      if (isPublicAddress(address) || hostAllowed(hostname.toLowerCase())) return true;
      if (isIP(address) !== 6) return nets.check(address, 'ipv4');
      const v4 = embeddedV4(address);
      return v4.length > 0 ? v4.every((a) => nets.check(a, 'ipv4')) : nets.check(address, 'ipv6');
    },
  };
}

/** A `lookup` for net/tls.connect that refuses addresses the policy does not allow. The
 * address checked is the address dialled: a DNS answer cannot change between check and use. */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) {
        callback(err, '', 4);
        return;
      }
      const ok = addresses.filter((a) => policy.allows(a.address, hostname));
      if (ok.length === 0) {
        const seen = addresses.map((a) => a.address).join(', ');
        callback(new RefusedAddressError(`${hostname} resolves only to non-public addresses (${seen})`), '', 4);
        return;
      }
      if (options.all) {
        (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, ok);
        return;
      }
      callback(null, ok[0]!.address, ok[0]!.family);
    });
  };
}
