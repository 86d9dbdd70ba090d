/**
 * The last call a hall display has received (the journal seq of its event), kept in localStorage
 * per zone, so a reloaded page announces only calls made after it: a call is said once per screen.
 */

const key = (zone: string | null) => `hall:last-call:${zone ?? '*'}`;

export function loadCursor(zone: string | null): number | null {
  try {
    const value = Number(localStorage.getItem(key(zone)));
    return localStorage.getItem(key(zone)) !== null && Number.isInteger(value) && value >= 0 ? value : null;
  } catch {
    return null; // storage disabled: the page remembers for as long as it stays open
  }
}

export function saveCursor(zone: string | null, seq: number): void {
  try {
    localStorage.setItem(key(zone), String(seq));
  } catch {
    // storage full or disabled: nothing to do
  }
}
