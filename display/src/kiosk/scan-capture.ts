/**
 * A keyboard-mode scanner "types" the code it read, much faster than any hand, and ends it with
 * Enter. The kiosk page has no text field for it: every key press on the page is fed here, and a
 * fast burst ending in Enter is a scanned code. Pure (the time of each key is passed in).
 */

export interface ScanCaptureOptions {
  /** Longest pause between two keys of one scan; a slower key starts a new burst. */
  maxGapMs: number;
  /** Shortest code taken as a scan (shorter bursts ending in Enter are ignored). */
  minLength: number;
  /** Longest code kept; anything beyond is not a code this centre reads. */
  maxLength: number;
}

export const DEFAULT_SCAN_CAPTURE: ScanCaptureOptions = { maxGapMs: 60, minLength: 6, maxLength: 1000 };

export interface KeyResult {
  /** The scanned code, when this key (Enter) ended a burst. */
  code: string | null;
  /** The key is part of what a scanner types (a character or Enter): keep it from the page's buttons. */
  consumed: boolean;
}

export class ScanCapture {
  readonly #options: ScanCaptureOptions;
  #buffer = '';
  #overflow = false;
  #lastAt = Number.NEGATIVE_INFINITY;

  constructor(options: Partial<ScanCaptureOptions> = {}) {
    this.#options = { ...DEFAULT_SCAN_CAPTURE, ...options };
  }

  /** One key press: `key` as in KeyboardEvent.key, `at` in ms. */
  key(key: string, at: number): KeyResult {
    if (at - this.#lastAt > this.#options.maxGapMs) this.#reset();
    this.#lastAt = at;
    if (key === 'Enter') {
      const code = this.#buffer.trim();
      const taken = !this.#overflow && code.length >= this.#options.minLength ? code : null;
      this.#reset();
      return { code: taken, consumed: true };
    }
    // One character (Vietnamese letters may come as two UTF-16 units); Shift, Alt and the like are not.
    if ([...key].length !== 1) return { code: null, consumed: false };
    if (this.#buffer.length >= this.#options.maxLength) this.#overflow = true;
    else this.#buffer += key;
    return { code: null, consumed: true };
  }

  #reset(): void {
    this.#buffer = '';
    this.#overflow = false;
  }
}
