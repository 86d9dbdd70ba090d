/** What a counter can do right now, and the keys that do it. */
import type { CounterView } from '../shared/types.ts';

export type Action = 'next' | 'recall' | 'start' | 'skip' | 'finish' | 'transfer' | 'pause' | 'resume';

/** Single keys, as printed on the buttons. */
export const SHORTCUTS: Record<string, Action> = {
  n: 'next',
  r: 'recall',
  s: 'start',
  k: 'skip',
  f: 'finish',
  t: 'transfer',
  p: 'pause',
  u: 'resume',
};

export function actionsFor(counter: CounterView): Set<Action> {
  const actions = new Set<Action>();
  const current = counter.current;
  if (counter.status === 'paused') actions.add('resume');
  if (counter.status !== 'open') return actions;
  actions.add('next');
  if (!current) actions.add('pause');
  if (current) {
    actions.add('recall');
    actions.add('finish');
    actions.add('transfer');
  }
  if (current?.status === 'called') {
    actions.add('start');
    actions.add('skip');
  }
  return actions;
}
