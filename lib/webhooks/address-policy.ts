/**
 * Which addresses a webhook may reach. A tenant chooses the URL, so without this the server would
 * call whatever it can reach on the tenant's behalf (metadata endpoints, databases, the Temporal
 * frontend). Private, loopback, link-local, CGNAT, multicast and reserved ranges are denied unless
 * the operator allows them (VOXFLOW_WEBHOOK_ALLOW_PRIVATE); public addresses are always allowed.
 */
import net from 'node:net';

const DENIED_V4 = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const;
const DENIED_V6 = [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const;

function blockList(entries: ReadonlyArray<readonly [string, number]>, family: 'ipv4' | 'ipv6', list = new net.BlockList()): net.BlockList {
  for (const [addr, prefix] of entries) list.addSubnet(addr, prefix, family);
  return list;
}

export class AddressPolicy {
  private readonly denied = blockList(DENIED_V6, 'ipv6', blockList(DENIED_V4, 'ipv4'));
  private readonly allowed = new net.BlockList();

  /** `allow`: addresses or CIDRs (`127.0.0.1`, `10.0.0.0/8`, `fd00::/8`) reachable even though private. */
  constructor(allow: readonly string[] = []) {
    for (const entry of allow) {
      const [addr, bits] = entry.split('/');
      const family = net.isIPv6(addr) ? 'ipv6' : 'ipv4';
      if (!net.isIP(addr)) throw new Error(`not an IP address or CIDR: ${entry}`);
      this.allowed.addSubnet(addr, bits === undefined ? (family === 'ipv4' ? 32 : 128) : Number(bits), family);
    }
  }

  /** Undefined when `address` may be called; otherwise why not. */
  check(address: string): string | undefined {
    let addr = address;
    let family: 'ipv4' | 'ipv6' = net.isIPv6(addr) ? 'ipv6' : 'ipv4';
    // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is the IPv4 address.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
    if (mapped) {
      addr = mapped[1];
      family = 'ipv4';
    }
    if (!net.isIP(addr)) return `${address} is not an IP address`;
    if (this.allowed.check(addr, family)) return undefined;
    if (this.denied.check(addr, family)) return `${address} is a private, loopback, link-local or reserved address`;
    return undefined;
  }
}
