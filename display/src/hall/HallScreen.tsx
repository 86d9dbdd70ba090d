/**
 * The hall display: /hall?zone=<zone id> (without a zone, the whole centre). Everything shown comes
 * from queue:state, so a reconnect rebuilds the screen; calls to announce come from queue:events.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { cursorBefore, type HallCall, hallCalls, missedCalls } from '../../../controller/voice/hall-calls.ts';
import { announcementScript, zoneToName } from '../../../controller/voice/phrases.ts';
import { api } from '../shared/api.ts';
import { ConnectionBanner } from '../shared/ConnectionBanner.tsx';
import { useLang } from '../shared/i18n.ts';
import { useConnected, useQueue, useQueueEvents } from '../shared/live.ts';
import type { CentreView, QueueEvent, QueueView } from '../shared/types.ts';
import { ClipPlayer } from './announcer/clip-player.ts';
import { useAnnouncer, usePlayerStatus } from './announcer/useAnnouncer.ts';
import { loadCursor, saveCursor } from './call-cursor.ts';
import { AnnouncerBar } from './components/AnnouncerBar.tsx';
import { CurrentCall } from './components/CurrentCall.tsx';
import { HallHeader } from './components/HallHeader.tsx';
import { NowServing } from './components/NowServing.tsx';
import { RecentCalls } from './components/RecentCalls.tsx';
import { ServiceWaits } from './components/ServiceWaits.tsx';
import { SoundGate } from './components/SoundGate.tsx';
import { hallView } from './hall-view.ts';

/** The big number plus the five before it. */
const CALLS_SHOWN = 6;

function zoneParam(): string | null {
  return new URLSearchParams(location.search).get('zone') || null;
}

/** Zone names (for the header and the voice), fetched again after a reconnect until it works. */
function useCentre(connected: boolean): CentreView | null {
  const [centre, setCentre] = useState<CentreView | null>(null);
  useEffect(() => {
    if (!connected || centre) return;
    api<CentreView>('GET', '/centre')
      .then(setCentre)
      .catch((error: unknown) => console.warn('centre configuration not loaded', error));
  }, [connected, centre]);
  return centre;
}

export function HallScreen() {
  const { t } = useLang();
  const zone = useMemo(zoneParam, []);
  const view = useQueue();
  const connected = useConnected();
  const centre = useCentre(connected);
  const player = useMemo(() => new ClipPlayer(), []);
  const status = usePlayerStatus(player);
  const { state, announce } = useAnnouncer(player, status);

  useEffect(() => {
    void player.load();
  }, [player]);

  // The handler reads the latest view and zones through refs, so it is registered once.
  const viewRef = useRef<QueueView | null>(null);
  const zonesRef = useRef<CentreView['zones']>([]);
  viewRef.current = view;
  zonesRef.current = centre?.zones ?? [];

  // The last call received (its event's seq), remembered across reloads: a call is announced once
  // per screen, whether it came as an event or was found in a state after a lost link or a reload.
  const received = useRef<number | null>(null);
  const loaded = useRef(false);
  if (!loaded.current) {
    loaded.current = true;
    received.current = loadCursor(zone);
  }
  const receive = useCallback(
    (seq: number) => {
      received.current = Math.max(received.current ?? 0, seq);
      saveCursor(zone, received.current);
    },
    [zone],
  );

  const say = useCallback(
    (call: HallCall) => {
      const script = announcementScript({
        label: call.label,
        counterNumber: call.counterNumber,
        zone: zoneToName(zonesRef.current, call.zoneId),
      });
      announce({ id: `${call.seq}`, queuedAt: Date.now(), ...script });
    },
    [announce],
  );

  const onEvents = useCallback(
    (events: QueueEvent[]) => {
      const current = viewRef.current;
      // Before the first state the page cannot tell where a counter is: the state brings them.
      if (!current || received.current === null) return;
      for (const call of hallCalls(events, current, zone, received.current)) say(call);
      for (const e of events) receive(e.seq);
    },
    [zone, say, receive],
  );
  useQueueEvents(onEvents);

  // Every state (on each connection, and after each change) brings the calls not received as
  // events: those made while the link was down or the page was loading.
  useEffect(() => {
    if (!view) return;
    const after = cursorBefore(received.current, view.seq);
    if (after !== null) for (const call of missedCalls(view, zone, after, view.now)) say(call);
    received.current = after;
    receive(view.seq);
  }, [view, zone, say, receive]);

  const zoneInfo = zone && centre ? centre.zones.find((z) => z.id === zone) : undefined;
  const unknownZone = zone && centre && !zoneInfo ? zone : null;
  const shown = view ? hallView(view, zone, CALLS_SHOWN) : null;

  return (
    <>
      <ConnectionBanner />
      <main class="hall" data-zone={zone ?? ''}>
        <HallHeader
          centreName={view?.centre.name ?? centre?.centre.name ?? ''}
          zoneName={zoneInfo?.name ?? null}
          unknownZone={unknownZone}
        />
        {shown ? (
          <>
            <div class="hall-calls">
              <CurrentCall call={shown.current} />
              <NowServing counters={shown.counters} />
              <RecentCalls calls={shown.calls} />
            </div>
            <ServiceWaits services={shown.services} />
          </>
        ) : (
          <p class="hall-loading">{t('Đang kết nối…', 'Connecting…')}</p>
        )}
        <AnnouncerBar state={state} status={status} />
      </main>
      {status.blocked && <SoundGate onEnable={() => void player.resume()} />}
    </>
  );
}
