/**
 * The register map of our RS-485 LED counter display (docs/rs485-displays.md, for display makers).
 *
 *   0      mode: 0 blank (closed), 1 open idle, 2 paused, 3 called (blink + chime), 4 serving
 *   1      counter number
 *   2–5    ticket label: 8 ASCII characters, 2 per register, high byte first, space-padded
 *
 * Every write of mode 3 starts the blink and the chime, even when the display already shows 3:
 * a recall is the same write again.
 */
import type { CounterDisplay } from '../../protocol/messages.ts';

export const REG_MODE = 0;
export const REG_COUNTER_NUMBER = 1;
export const REG_LABEL = 2;
export const LABEL_CHARS = 8;
export const DISPLAY_REGISTER_COUNT = REG_LABEL + LABEL_CHARS / 2;

export const DISPLAY_MODES = ['blank', 'open', 'paused', 'called', 'serving'] as const;
export type DisplayMode = (typeof DISPLAY_MODES)[number];
/** Register 0 value of each mode. */
export const MODE_VALUE: Readonly<Record<DisplayMode, number>> = {
  blank: 0,
  open: 1,
  paused: 2,
  called: 3,
  serving: 4,
};

/** What `displayRegisters` needs of a counter display state (a whole `CounterDisplay` will do). */
export type CounterDisplayState = Pick<CounterDisplay, 'counterNumber' | 'label' | 'state' | 'blink'>;

/** What a display shows, read back from its registers. */
export interface ShownDisplay {
  mode: DisplayMode;
  counterNumber: number;
  /** Trimmed; null when all spaces. */
  label: string | null;
}

/**
 * The mode for a counter state. A `called` state chimes only when `blink` is set (a new call or a
 * recall); a `called` state sent again without `blink` (a refresh) shows the number steady, as
 * `serving` does, so the hall does not hear a chime for a call nobody made.
 */
export function displayMode(display: CounterDisplayState): DisplayMode {
  switch (display.state) {
    case 'closed':
      return 'blank';
    case 'called':
      return display.blink ? 'called' : 'serving';
    default:
      return display.state;
  }
}

/** Registers 0–5 for a counter display state. Throws RangeError for a label the display cannot show. */
export function displayRegisters(display: CounterDisplayState): number[] {
  const { counterNumber } = display;
  if (!Number.isInteger(counterNumber) || counterNumber < 0 || counterNumber > 0xffff) {
    throw new RangeError(`counter number must be 0–65535, got ${counterNumber}`);
  }
  const label = display.label ?? '';
  if (label.length > LABEL_CHARS || !/^[\x20-\x7e]*$/.test(label)) {
    throw new RangeError(`label must be up to ${LABEL_CHARS} printable ASCII characters, got "${label}"`);
  }
  const text = label.padEnd(LABEL_CHARS, ' ');
  const values = [MODE_VALUE[displayMode(display)], counterNumber];
  for (let i = 0; i < LABEL_CHARS; i += 2) values.push((text.charCodeAt(i) << 8) | text.charCodeAt(i + 1));
  return values;
}

/** The inverse of `displayRegisters` (for display firmware and the simulator). */
export function readDisplayRegisters(values: readonly number[]): ShownDisplay {
  if (values.length < DISPLAY_REGISTER_COUNT) {
    throw new RangeError(`need ${DISPLAY_REGISTER_COUNT} registers, got ${values.length}`);
  }
  const mode = DISPLAY_MODES[values[REG_MODE] as number];
  if (!mode) throw new RangeError(`unknown display mode ${values[REG_MODE]}`);
  let text = '';
  for (let i = 0; i < LABEL_CHARS / 2; i++) {
    const word = values[REG_LABEL + i] as number;
    text += String.fromCharCode(word >> 8, word & 0xff);
  }
  const label = text.replace(/[\0 ]+$/, '');
  return { mode, counterNumber: values[REG_COUNTER_NUMBER] as number, label: label === '' ? null : label };
}
