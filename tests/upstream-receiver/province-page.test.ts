/**
 * The province page in headless Chromium at the two screen sizes a province office uses, with a
 * province's worth of centres in every state: Vietnamese texts, nothing overflowing, the ranking
 * in order, and the page following changes without a reload. Screenshots: test-artifacts/screens/.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpstreamMessage } from '../../upstream/protocol/messages.ts';
import { upstreamTopic } from '../../upstream/protocol/topics.ts';
import { localDay } from '../../upstream/receiver/centre-state.ts';
import { type RunningReceiver, startReceiver } from '../../upstream/receiver/receiver.ts';
import { hasChromium, launchChromium, openPage, overflowing, screenshot } from '../helpers/browser.ts';
import { bytes, live, noShow, PREFIX, PROVINCE, status, unhappyVisit, visit } from './fixtures.ts';

const CENTRES = [
  'tt-phvhcc-quang-nam',
  'bpmc-tam-ky',
  'bpmc-hoi-an',
  'bpmc-dien-ban',
  'bpmc-dai-loc',
  'bpmc-duy-xuyen',
  'bpmc-nui-thanh',
  'bpmc-phu-ninh',
  'bpmc-que-son',
  'bpmc-bac-tra-my',
  'bpmc-nong-son',
];

describe.skipIf(!hasChromium())('province page', () => {
  let receiver: RunningReceiver;
  let browser: Browser;
  let url: string;
  const save = (m: UpstreamMessage, now = Date.now(), retained = false) =>
    receiver.store.save(m, bytes(m), {
      topic: upstreamTopic(
        PREFIX,
        PROVINCE,
        m.centreId,
        m.kind === 'daily' ? 'daily' : m.kind,
        m.kind === 'daily' ? m.day : undefined,
      ),
      retained,
      now,
    });

  beforeAll(async () => {
    receiver = await startReceiver({ memoryDatabase: true, httpPort: 0, mqttPort: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${receiver.httpPort}/`;
    const now = Date.now();
    const today = localDay(now, 'Asia/Ho_Chi_Minh');
    for (const [i, id] of CENTRES.entries()) {
      await save(status(id, 'online', now - 3 * 3_600_000));
      const waiting = (i * 3) % 9;
      // bpmc-bac-tra-my went quiet: its last snapshot came 5 minutes ago.
      const at = id === 'bpmc-bac-tra-my' ? now - 300_000 : now - 2_000;
      await save(
        live(id, at, today, {
          services: [
            { serviceId: 'dat-dai', waiting, longestWaitSeconds: 120 + i * 130, estimatedWaitMinutes: 4 + i },
          ],
          withinTarget: { met: 40 - i * 2, missed: i * 2, share: (40 - i * 2) / 40 },
          satisfaction: {
            visits: 40,
            rated: 30,
            notSatisfied: i % 4,
            rate766: (40 - (i % 4)) / 40,
            satisfiedShare: 0.9,
            byLevel: [20, 7, 2, 1],
          },
          backlog:
            i === 3
              ? { records: 128, oldestEndedAt: now - 2.5 * 3_600_000, lastAckedSeq: 400 }
              : { records: 0, oldestEndedAt: null, lastAckedSeq: 400 },
        }),
        at + 500,
      );
      // Visits of today: centre i waits a little longer than centre i-1, every fifth is unhappy.
      for (let seq = 1; seq <= 12; seq++) {
        const wait = (seq * (i + 2)) % 24;
        const r =
          seq === 12
            ? noShow(id, seq, today, 10 + i * 2)
            : seq % 5 === 0 && i % 3 === 0
              ? unhappyVisit(id, seq, today, wait)
              : visit(id, seq, today, {}, wait);
        await save(r);
      }
    }
    // One centre shut down (its last will).
    await save(status('bpmc-nong-son', 'offline', null));
    await receiver.store.deadLetter(
      `${PREFIX}/v2/${PROVINCE}/bpmc-hoi-an/visit`,
      'unsupported version 2',
      Buffer.from('{"v":2}'),
      now,
    );
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await receiver?.stop();
  });

  for (const viewport of [
    { width: 1920, height: 1080 },
    { width: 1366, height: 768 },
  ]) {
    it(`shows every centre's state and today's ranking at ${viewport.width}×${viewport.height}`, async () => {
      const { page, context, errors } = await openPage(browser, url, viewport);
      try {
        await page.evaluate('document.fonts.ready');
        const text = (await page.textContent('body')) ?? '';
        expect(text).toContain('Giám sát các trung tâm phục vụ hành chính công');
        expect(text).toContain('tỉnh Quảng Nam');
        expect(text).toContain('Tình trạng trực tiếp');
        expect(text).toContain('Xếp hạng hôm nay');
        expect(text).toContain('Đã kết nối máy chủ MQTT');
        const states = await page.$$eval('#live tr', (rows) =>
          rows.map((r) => [r.children[0]?.textContent?.trim(), r.children[1]?.textContent?.trim()]),
        );
        expect(states).toHaveLength(CENTRES.length);
        expect(Object.fromEntries(states)).toMatchObject({
          'tt-phvhcc-quang-nam': 'Trực tuyến',
          'bpmc-bac-tra-my': 'Mất tín hiệu',
          'bpmc-nong-son': 'Ngoại tuyến',
        });
        const backlog = await page.$$eval(
          '#live tr',
          (rows) =>
            rows.find((r) => r.children[0]?.textContent?.trim() === 'bpmc-dien-ban')?.children[6]
              ?.textContent,
        );
        expect(backlog).toMatch(/^128 \((2|3) giờ\)$/);
        const tiles = (await page.textContent('#tiles')) ?? '';
        expect(tiles).toContain(`Trung tâm trực tuyến9 / ${CENTRES.length}`);
        expect(tiles).toContain('Tin nhắn lỗi1');
        const ranks = await page.$$eval('#ranking tr', (rows) =>
          rows.map((r) => r.children[0]?.textContent?.trim()),
        );
        expect(ranks.slice(0, 3)).toEqual(['1', '2', '3']);
        expect(await overflowing(page)).toEqual([]);
        await screenshot(page, `province-page-${viewport.width}x${viewport.height}`);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it('follows a centre going offline without a reload', async () => {
    const { page, context, errors } = await openPage(browser, url, { width: 1366, height: 768 });
    try {
      const stateOf = () =>
        page.$$eval('#live tr', (rows) =>
          rows
            .find((r) => r.children[0]?.textContent?.trim() === 'bpmc-hoi-an')
            ?.children[1]?.textContent?.trim(),
        );
      expect(await stateOf()).toBe('Trực tuyến');
      await save(status('bpmc-hoi-an', 'offline', null));
      await expect.poll(stateOf, { timeout: 12_000 }).toBe('Ngoại tuyến');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 30_000);
});
