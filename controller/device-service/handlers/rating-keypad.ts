/** Rating keypad: a press rates the visit just finished at the keypad's counter. */
import { type Answer, type DeviceContext, type HandledEvent, refused, run } from './context.ts';

export async function onRate(
  ctx: DeviceContext,
  { device, requestId }: HandledEvent,
  event: { level: number },
): Promise<Answer> {
  if (!device.counterId) return refused('notHere', `keypad ${device.id} has no counter`);
  const { answer } = await run(ctx, {
    type: 'rateVisit',
    counterId: device.counterId,
    level: event.level,
    requestId,
    by: device.id,
  });
  if (answer.status === 'ok')
    return { status: 'ok', data: { ...answer.data, message: 'Xin cảm ơn ý kiến của Ông/Bà!' } };
  return answer;
}
