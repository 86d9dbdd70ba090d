/** What sits on a counter besides the display: the staff call pad and the citizen rating keypad. */

import type { PauseReason } from '../../controller/centre/schema.ts';
import type { CALL_PAD_KEYS, CommandReply, DeviceCommand } from '../../devices/protocol/messages.ts';
import { SimDevice } from '../sim-device.ts';

export class SimCallPad extends SimDevice {
  readonly type = 'callPad' as const;

  press(
    key: (typeof CALL_PAD_KEYS)[number],
    extra: { reason?: PauseReason; to?: { serviceId?: string; counterId?: string; staffId?: string } } = {},
  ) {
    return this.send({ type: 'key', key, ...extra });
  }

  protected override capabilities(): string[] {
    return ['keys-8'];
  }
}

export class SimRatingKeypad extends SimDevice {
  readonly type = 'ratingKeypad' as const;
  scale: string[] = [];
  /** The visit it is waiting to rate (lit up), if any. */
  prompt: { ticketLabel: string; expiresAt: number } | null = null;

  press(level: number) {
    return this.send({ type: 'rate', level });
  }

  protected override async handleCommand(command: DeviceCommand): Promise<Omit<CommandReply, 'tx'>> {
    if (command.type === 'setup') {
      this.scale = command.ratingScale;
      return { status: 'ok' };
    }
    if (command.type === 'ratePrompt') {
      this.prompt = { ticketLabel: command.ticketLabel, expiresAt: command.expiresAt };
      return { status: 'ok' };
    }
    return super.handleCommand(command);
  }

  protected override capabilities(): string[] {
    return ['keys-4'];
  }
}
