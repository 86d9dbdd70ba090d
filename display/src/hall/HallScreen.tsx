/**
 * The hall display: /hall?zone=<zone id> (without a zone, the whole centre). Everything shown comes
 * from queue:state, so a reconnect rebuilds the screen; calls to announce come from queue:events.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { callKey, type HallCall, hallCalls, missedCalls } from '../../../controller/voice/hall-calls.ts';
import { announcementScript, zoneToName } from '../../../controller/voice/phrases.ts';
import { api } from '../shared/api.ts';
import { ConnectionBanner } from '../shared/ConnectionBanner.tsx';
import { useLang } from '../shared/i18n.ts';
import { useConnected, useQueue, useQueueEvents } from '../shared/live.ts';
import type { CentreView, QueueEvent, QueueView } from '../shared/types.ts';
import { ClipPlayer } from './announcer/clip-player.ts';
import { useAnnouncer, usePlayerStatus } from './announcer/useAnnouncer.ts';
import { AnnouncerBar } from './components/AnnouncerBar.tsx';
import { CurrentCall } from './components/CurrentCall.tsx';
import { HallHeader } from './components/HallHeader.tsx';
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
  const lastSeq = useRef(0);
  viewRef.current = view;
  zonesRef.current = centre?.zones ?? [];
  // A controller started on a new data folder counts from 1 again.
  if (view && view.seq < lastSeq.current) lastSeq.current = view.seq;

  // Calls announced (ticket + time of call), so a reconnection can tell which ones it missed.
  const announced = useRef(new Set<string>());
  const say = useCallback(
    (call: HallCall, id: string) => {
      announced.current.add(callKey(call));
      const script = announcementScript({
        label: call.label,
        counterNumber: call.counterNumber,
        zone: zoneToName(zonesRef.current, call.zoneId),
      });
      announce({ id, queuedAt: Date.now(), ...script });
    },
    [announce],
  );

  const onEvents = useCallback(
    (events: QueueEvent[]) => {
      const current = viewRef.current;
      if (!current) return;
      for (const call of hallCalls(events, current, zone, lastSeq.current)) say(call, `${call.seq}`);
      for (const e of events) lastSeq.current = Math.max(lastSeq.current, e.seq);
    },
    [zone, say],
  );
  useQueueEvents(onEvents);

  // Events are not replayed after a lost link: the first state sent after it tells which calls were
  // missed. `lastBeforeDown` is the state held when the link went (null: the link is up).
  const lastBeforeDown = useRef<QueueView | null>(null);
  useEffect(() => {
    if (!connected && viewRef.current) lastBeforeDown.current ??= viewRef.current;
  }, [connected]);
  useEffect(() => {
    if (!view || !connected || !lastBeforeDown.current || view === lastBeforeDown.current) return;
    lastBeforeDown.current = null;
    for (const call of missedCalls(view, zone, announced.current, view.now)) {
      say(call, `missed:${callKey(call)}`);
    }
    lastSeq.current = Math.max(lastSeq.current, view.seq);
  }, [view, connected, zone, say]);

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
              <CurrentCall call={shown.calls[0]} />
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
