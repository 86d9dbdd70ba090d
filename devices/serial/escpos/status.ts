/**
 * The printer's one-byte answers to DLE EOT n (n = 1–4), per the Epson ESC/POS reference. Every
 * answer has bits 1 and 4 set and bits 0 and 7 clear; a byte that does not is something else on the
 * line (noise, an echo, an automatic status back message) and is rejected.
 */
import type { DeviceState } from '../../protocol/messages.ts';

export type StatusQuery = 1 | 2 | 3 | 4;

export interface EscPosStatus {
  /** n = 1, bit 3 clear. The printer goes offline with the cover open or the paper out, too. */
  online: boolean;
  /** n = 1, bit 2: level of pin 3 of the drawer kick-out connector. */
  drawerPin3High: boolean;
  /** n = 2, bit 2. */
  coverOpen: boolean;
  /** n = 2, bit 3: paper is being fed with the feed button. */
  feedButton: boolean;
  /** n = 2, bit 5: printing stopped because the paper ran out. */
  paperEndStop: boolean;
  /** n = 2, bit 6. */
  errorOccurred: boolean;
  /** n = 3, bit 2 (a mechanical error on older models). */
  recoverableError: boolean;
  /** n = 3, bit 3. */
  autocutterError: boolean;
  /** n = 3, bit 5. */
  unrecoverableError: boolean;
  /** n = 3, bit 6 (e.g. head overheated). */
  autoRecoverableError: boolean;
  /** n = 4, bits 2–3 (the near-end sensor). */
  paperNearEnd: boolean;
  /** n = 4, bits 5–6 (the paper-end sensor). */
  paperEnd: boolean;
}

export type PrinterState = NonNullable<DeviceState['printer']>;

const FIXED_MASK = 0b1001_0011;
const FIXED_VALUE = 0b0001_0010;

/** True when `byte` has the fixed bits of a DLE EOT answer (bits 1, 4 set; bits 0, 7 clear). */
export function isStatusByte(byte: number): boolean {
  return Number.isInteger(byte) && byte >= 0 && byte <= 0xff && (byte & FIXED_MASK) === FIXED_VALUE;
}

const bit = (byte: number, n: number): boolean => (byte & (1 << n)) !== 0;

/**
 * What one answer says, or null when `byte` is not a status byte. Epson sets the two bits of the
 * near-end (2–3) and paper-end (5–6) sensors together; either one counts, as some compatible
 * printers set only one.
 */
export function parseStatusByte(query: StatusQuery, byte: number): Partial<EscPosStatus> | null {
  if (!isStatusByte(byte)) return null;
  switch (query) {
    case 1:
      return { online: !bit(byte, 3), drawerPin3High: bit(byte, 2) };
    case 2:
      return {
        coverOpen: bit(byte, 2),
        feedButton: bit(byte, 3),
        paperEndStop: bit(byte, 5),
        errorOccurred: bit(byte, 6),
      };
    case 3:
      return {
        recoverableError: bit(byte, 2),
        autocutterError: bit(byte, 3),
        unrecoverableError: bit(byte, 5),
        autoRecoverableError: bit(byte, 6),
      };
    case 4:
      return { paperNearEnd: bit(byte, 2) || bit(byte, 3), paperEnd: bit(byte, 5) || bit(byte, 6) };
    default:
      return null;
  }
}

/** The printer as the dispenser reports it in its retained state (`DeviceState['printer']`). */
export function toPrinterState(status: {
  online: boolean;
  coverOpen: boolean;
  paperNearEnd: boolean;
  paperEnd: boolean;
}): PrinterState {
  return {
    paper: status.paperEnd ? 'out' : status.paperNearEnd ? 'low' : 'ok',
    cover: status.coverOpen ? 'open' : 'closed',
    online: status.online,
  };
}
