/** Call pad: each key is the engine command of the same name, at the pad's counter. */

import type { CALL_PAD_KEYS } from '../../../devices/protocol/messages.ts';
import type { PauseReason } from '../../centre/schema.ts';
import type { Command } from '../../core/commands.ts';
import { type Answer, type DeviceContext, type HandledEvent, refused, run } from './context.ts';

type Key = (typeof CALL_PAD_KEYS)[number];

export async function onKey(
  ctx: DeviceContext,
  { device, requestId }: HandledEvent,
  event: {
    key: Key;
    reason?: PauseReason;
    to?: { serviceId?: string; counterId?: string; staffId?: string };
  },
): Promise<Answer> {
  const counterId = device.counterId;
  if (!counterId) return refused('notHere', `call pad ${device.id} has no counter`);
  const meta = { counterId, requestId, by: device.id };
  let command: Command;
  switch (event.key) {
    case 'next':
      command = { type: 'callNext', ...meta };
      break;
    case 'recall':
      command = { type: 'recall', ...meta };
      break;
    case 'skip':
      command = { type: 'skip', ...meta };
      break;
    case 'start':
      command = { type: 'startService', ...meta };
      break;
    case 'finish':
      command = { type: 'finishService', ...meta };
      break;
    case 'pause':
      command = { type: 'pauseCounter', ...meta, reason: event.reason ?? 'other' };
      break;
    case 'resume':
      command = { type: 'resumeCounter', ...meta };
      break;
    case 'transfer':
      if (!event.to || !(event.to.serviceId || event.to.counterId || event.to.staffId)) {
        return refused('invalid', 'transfer needs "to"');
      }
      command = { type: 'transfer', ...meta, to: event.to };
      break;
  }
  const { answer, ticket, outcome } = await run(ctx, command);
  if (answer.status === 'ok' && event.key === 'next' && !ticket && !outcome?.error) {
    return { status: 'ok', data: { label: null, message: 'Không có công dân đang chờ' } };
  }
  return answer;
}
