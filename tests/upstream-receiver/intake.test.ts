import { describe, expect, it } from 'vitest';
import { upstreamTopic } from '../../upstream/protocol/topics.ts';
import { classify } from '../../upstream/receiver/intake.ts';
import { bytes, daily, live, PREFIX, PROVINCE, status, visit } from './fixtures.ts';

const DAY = '2026-12-05';
const topic = (centre: string, kind: 'visit' | 'live' | 'status' | 'daily', day?: string) =>
  upstreamTopic(PREFIX, PROVINCE, centre, kind, day);
const reasonOf = (t: string, payload: Buffer) => {
  const r = classify(PREFIX, PROVINCE, t, payload);
  return r.ok ? 'ok' : r.reason;
};

describe('upstream message intake', () => {
  it('accepts every kind of valid v1 message, with its idempotency key', () => {
    const v = visit('tt-a', 3, DAY);
    expect(classify(PREFIX, PROVINCE, topic('tt-a', 'visit'), bytes(v))).toEqual({
      ok: true,
      message: v,
      id: v.id,
    });
    expect(reasonOf(topic('tt-a', 'live'), bytes(live('tt-a', 1_000, DAY)))).toBe('ok');
    expect(reasonOf(topic('tt-a', 'status'), bytes(status('tt-a', 'offline', null)))).toBe('ok');
    const d = daily('tt-a', DAY, 2, { visits: 3, served: 2, within: 2, over: 1, notSatisfied: 0 });
    expect(classify(PREFIX, PROVINCE, topic('tt-a', 'daily', DAY), bytes(d))).toMatchObject({
      ok: true,
      id: `tt-a/daily/${DAY}/2`,
    });
  });

  it('parks future versions, on the topic or in the message', () => {
    const v = visit('tt-a', 3, DAY);
    expect(reasonOf(`${PREFIX}/v2/${PROVINCE}/tt-a/visit`, bytes(v))).toBe('unsupported version 2');
    expect(reasonOf(topic('tt-a', 'visit'), bytes({ ...v, v: 2 }))).toBe('unsupported version 2');
  });

  it('gives the schema issues of an invalid message as the reason', () => {
    const v = visit('tt-a', 3, DAY);
    expect(reasonOf(topic('tt-a', 'visit'), bytes({ ...v, waitSeconds: -5 }))).toMatch(
      /^invalid visit message: waitSeconds: /,
    );
    // A name is not a field of the contract: strict schemas refuse it.
    expect(reasonOf(topic('tt-a', 'visit'), bytes({ ...v, citizenName: 'Nguyễn Văn A' }))).toMatch(
      /citizenName/,
    );
    expect(reasonOf(topic('tt-a', 'live'), bytes(v))).toMatch(/^invalid live message: kind: /);
  });

  it('refuses what is not JSON, not an object, too big, or on a topic that contradicts it', () => {
    expect(reasonOf(topic('tt-a', 'visit'), Buffer.from('{"kind":'))).toMatch(/^not UTF-8 JSON/);
    expect(reasonOf(topic('tt-a', 'visit'), Buffer.from([0xff, 0xfe, 0x7b]))).toMatch(/^not UTF-8 JSON/);
    expect(reasonOf(topic('tt-a', 'visit'), Buffer.from('[1,2]'))).toBe('not a JSON object');
    expect(reasonOf(topic('tt-a', 'visit'), Buffer.alloc(300 * 1024, 0x20))).toMatch(/more than 262144/);
    expect(reasonOf(topic('tt-b', 'visit'), bytes(visit('tt-a', 3, DAY)))).toBe(
      'centreId tt-a on the topic of tt-b',
    );
    const d = daily('tt-a', DAY, 1, { visits: 0, served: 0, within: 0, over: 0, notSatisfied: 0 });
    expect(reasonOf(topic('tt-a', 'daily', '2026-12-04'), bytes(d))).toBe(
      `daily summary of ${DAY} on the topic of 2026-12-04`,
    );
    expect(reasonOf(`${PREFIX}/v1/${PROVINCE}/tt-a/gossip`, bytes({}))).toBe('unknown message kind gossip');
    expect(reasonOf(`${PREFIX}/v1/da-nang/tt-a/visit`, bytes({}))).toBe(
      'topic of province da-nang, not quang-nam',
    );
    expect(reasonOf(`${PREFIX}/v1/${PROVINCE}/tt-a`, bytes({}))).toMatch(
      /^topic is not in the upstream tree/,
    );
  });
});
