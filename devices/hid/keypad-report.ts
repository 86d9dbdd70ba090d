/**
 * A USB HID rating keypad in vendor mode (its own HID interface, not a keyboard): each press sends
 * an input report whose first non-zero byte after the report id is the key's code, and the release
 * sends a report of zeros. The centre's configuration (`hid.keys`) says which code is which level:
 * `keys[0]` is level 1 (the best, as in `ratings.scale`), `keys[1]` level 2, and so on.
 *
 * Cheap keypads repeat a report while a key is held, and contacts bounce: an identical report
 * within the debounce window of the previous one counts once (the window slides while the repeats
 * go on, so a key held down rates once). Nothing here throws.
 */
import { reportBytes } from './pos-scanner-report.ts';

/** Keys 1…5 send codes 1…5: the usual vendor-mode numbering (see docs/usb-hid.md). */
export const DEFAULT_KEYPAD_KEYS: readonly number[] = [1, 2, 3, 4, 5];

export interface KeypadReport {
  /** The key's code, or null for a release (all zeros). */
  key: number | null;
}

/**
 * One keypad report, or null when it is not one (not bytes, or nothing after the report id).
 * `skipBytes`: bytes before the data; 1, the report id (or a keyboard-style modifier byte).
 */
export function parseKeypadReport(report: unknown, skipBytes = 1): KeypadReport | null {
  const bytes = reportBytes(report);
  if (!bytes || bytes.length <= skipBytes) return null;
  const key = bytes.subarray(skipBytes).find((b) => b !== 0);
  return { key: key ?? null };
}

export interface KeypadDecoderOptions {
  /** Identical reports closer together than this count once. */
  debounceMs?: number;
  skipBytes?: number;
  clock?: () => number;
  /** A report that is not a keypad report, or a key that `keys` does not map. */
  onReject?: (kind: 'malformed', detail: string) => void;
}

/** Turns one keypad's reports into rating levels; one decoder per opened keypad. */
export class KeypadDecoder {
  readonly #keys: readonly number[];
  readonly #debounceMs: number;
  readonly #skipBytes: number;
  readonly #clock: () => number;
  readonly #onReject: (kind: 'malformed', detail: string) => void;
  #last: { signature: string; at: number } | null = null;

  constructor(keys: readonly number[], options: KeypadDecoderOptions = {}) {
    this.#keys = keys;
    this.#debounceMs = options.debounceMs ?? 500;
    this.#skipBytes = options.skipBytes ?? 1;
    this.#clock = options.clock ?? Date.now;
    this.#onReject = options.onReject ?? (() => undefined);
  }

  /** The rating level this report presses, or null (a release, a repeat, or refused). */
  push(report: unknown): number | null {
    const parsed = parseKeypadReport(report, this.#skipBytes);
    if (!parsed) {
      this.#onReject('malformed', 'not a keypad report: nothing after the report id');
      return null;
    }
    if (parsed.key === null) return null;
    const now = this.#clock();
    const signature = Buffer.from(reportBytes(report) as Uint8Array).toString('hex');
    const last = this.#last;
    this.#last = { signature, at: now };
    if (last && last.signature === signature && now - last.at < this.#debounceMs) return null;
    const index = this.#keys.indexOf(parsed.key);
    if (index < 0) {
      const code = `0x${parsed.key.toString(16).padStart(2, '0')}`;
      this.#onReject('malformed', `key code ${code} is not one of hid.keys [${this.#keys.join(', ')}]`);
      return null;
    }
    return index + 1;
  }
}
