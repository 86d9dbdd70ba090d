import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultPublicUrl } from '../controller/public-url.ts';

const v4 = (address: string, internal = false) =>
  ({
    address,
    family: 'IPv4',
    internal,
    netmask: '255.255.255.0',
    mac: '',
    cidr: null,
  }) as NetworkInterfaceInfo;
const v6 = (address: string) =>
  ({
    address,
    family: 'IPv6',
    internal: false,
    netmask: 'ffff::',
    mac: '',
    cidr: null,
    scopeid: 0,
  }) as NetworkInterfaceInfo;

describe('the ticket QR link without PUBLIC_URL', () => {
  it('uses the LAN address a phone on the centre Wi-Fi can reach, not the host name', () => {
    const guessed = defaultPublicUrl('0.0.0.0', 8080, {
      lo: [v4('127.0.0.1', true)],
      docker0: [v4('203.0.113.5')],
      wlan0: [v6('fe80::1'), v4('192.168.1.23')],
    });
    expect(guessed.url).toBe('http://192.168.1.23:8080');
    expect(guessed.guess).toMatch(/wlan0/);
  });

  it('keeps an explicit bind address, and says so when there is no network at all', () => {
    expect(defaultPublicUrl('10.0.0.7', 8080, {})).toEqual({ url: 'http://10.0.0.7:8080', guess: null });
    expect(defaultPublicUrl('0.0.0.0', 8080, { lo: [v4('127.0.0.1', true)] })).toMatchObject({
      url: 'http://127.0.0.1:8080',
      guess: expect.stringMatching(/this machine only/),
    });
  });
});
