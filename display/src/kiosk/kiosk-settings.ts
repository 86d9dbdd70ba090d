/**
 * How long the kiosk waits before it returns to its start for the next citizen, and how its
 * scanner is told from a hand on a keyboard. All can be set in the page's URL (the tests shorten
 * them): `idle` and `ticketIdle` in seconds, `scanGap` in ms. Pure.
 */
import { DEFAULT_SCAN_CAPTURE } from './scan-capture.ts';

export interface KioskSettings {
  dispenserId: string | null;
  /** No touch for this long, anywhere but the ticket: back to the start. */
  idleMs: number;
  /** The ticket stays on screen this long after the last touch. */
  ticketIdleMs: number;
  /** Longest pause between two keys of one scanned code. */
  scanGapMs: number;
}

export const DEFAULT_SETTINGS = { idleMs: 60_000, ticketIdleMs: 30_000 } as const;

function seconds(value: string | null, fallbackMs: number): number {
  const n = value === null ? Number.NaN : Number(value);
  return Number.isFinite(n) && n > 0 ? Math.round(n * 1000) : fallbackMs;
}

export function readSettings(search: string): KioskSettings {
  const params = new URLSearchParams(search);
  const gap = Number(params.get('scanGap'));
  return {
    dispenserId: params.get('dispenser')?.trim() || null,
    idleMs: seconds(params.get('idle'), DEFAULT_SETTINGS.idleMs),
    ticketIdleMs: seconds(params.get('ticketIdle'), DEFAULT_SETTINGS.ticketIdleMs),
    scanGapMs: Number.isFinite(gap) && gap > 0 ? gap : DEFAULT_SCAN_CAPTURE.maxGapMs,
  };
}

/**
 * When the page should go back to its start: `atRest` is a page already there (nothing chosen,
 * nothing shown); the ticket screen has its own, shorter wait. Null: nothing to reset.
 */
export function resetAt(
  view: { onTicket: boolean; atRest: boolean; lastActivityAt: number },
  settings: Pick<KioskSettings, 'idleMs' | 'ticketIdleMs'>,
): number | null {
  if (view.onTicket) return view.lastActivityAt + settings.ticketIdleMs;
  if (view.atRest) return null;
  return view.lastActivityAt + settings.idleMs;
}
