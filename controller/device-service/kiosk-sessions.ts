/**
 * A citizen who scans their ID card at a kiosk, then presses a service button: the scan is held
 * for the zone's dispensers for a short while and used by the next button press there.
 */
import { DEVICE_LIMITS } from '../../devices/limits.ts';

export interface KioskIdentity {
  citizenKey: string;
  priorityClassId?: string;
  /** false when the card's birth date could not be read: the citizen chooses any age priority. */
  ageKnown: boolean;
  expiresAt: number;
}

const HOLD_MS = DEVICE_LIMITS.kioskHoldMs;

export class KioskSessions {
  readonly #byZone = new Map<string, KioskIdentity>();

  constructor(readonly clock: () => number = Date.now) {}

  hold(zoneId: string | undefined, identity: Omit<KioskIdentity, 'expiresAt'>): KioskIdentity {
    const held = { ...identity, expiresAt: this.clock() + HOLD_MS };
    this.#byZone.set(zoneId ?? '', held);
    return held;
  }

  peek(zoneId: string | undefined): KioskIdentity | undefined {
    const held = this.#byZone.get(zoneId ?? '');
    if (held && held.expiresAt < this.clock()) {
      this.#byZone.delete(zoneId ?? '');
      return undefined;
    }
    return held;
  }

  clear(zoneId: string | undefined): void {
    this.#byZone.delete(zoneId ?? '');
  }
}
