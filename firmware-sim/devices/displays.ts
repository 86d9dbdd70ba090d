/** Counter call display and hall display: they show what the controller retains for them. */
import type { CounterDisplay, HallDisplay } from '../../devices/protocol/messages.ts';
import { SimDevice } from '../sim-device.ts';

export class SimCallDisplay extends SimDevice {
  readonly type = 'callDisplay' as const;
  shown: CounterDisplay | null = null;
  /** Every number it blinked for (new calls and recalls). */
  readonly blinks: string[] = [];

  protected override onDisplay(payload: unknown): void {
    const display = payload as CounterDisplay;
    if (this.shown && display.version < this.shown.version) return; // an older state arriving late
    this.shown = display;
    if (display.blink && display.label) this.blinks.push(display.label);
  }

  protected override capabilities(): string[] {
    return ['led-4-digit', 'chime'];
  }
}

export class SimHallDisplay extends SimDevice {
  readonly type = 'hallDisplay' as const;
  shown: HallDisplay | null = null;

  protected override onDisplay(payload: unknown): void {
    const display = payload as HallDisplay;
    if (this.shown && display.version < this.shown.version) return;
    this.shown = display;
  }

  protected override capabilities(): string[] {
    return ['led-board'];
  }
}
