/** The controller's front page: where each screen is, for whoever sets up the hall's TVs and PCs. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../shared/base.css';
import './index.css';
import { api } from '../shared/api.ts';
import { ConnectionBanner } from '../shared/ConnectionBanner.tsx';
import { useLang } from '../shared/i18n.ts';
import { LangSwitch } from '../shared/LangSwitch.tsx';
import type { CentreView } from '../shared/types.ts';

function Index() {
  const { t } = useLang();
  const [centre, setCentre] = useState<CentreView | null>(null);
  useEffect(() => {
    void api<CentreView>('GET', '/centre').then(setCentre);
  }, []);
  if (!centre) return <p class="index">{t('Đang tải…', 'Loading…')}</p>;
  return (
    <main class="index">
      <header>
        <h1>{centre.centre.name}</h1>
        <LangSwitch />
      </header>
      <section>
        <h2>{t('Màn hình sảnh chờ (TV)', 'Hall displays (TV)')}</h2>
        <ul>
          {centre.zones.map((z) => (
            <li key={z.id}>
              <a href={`/hall?zone=${encodeURIComponent(z.id)}`}>{z.name}</a>
            </li>
          ))}
          <li>
            <a href="/hall">{t('Tất cả các khu', 'All zones')}</a>
          </li>
        </ul>
      </section>
      <section>
        <h2>{t('Ki-ốt lấy số', 'Ticket kiosks')}</h2>
        <KioskLinks centre={centre} />
      </section>
      <section>
        <h2>{t('Cán bộ và quản lý', 'Staff and managers')}</h2>
        <ul>
          <li>
            <a href="/staff">{t('Quầy giao dịch (đăng nhập cán bộ)', 'Counter console (staff sign-in)')}</a>
          </li>
          <li>
            <a href="/manager">{t('Bảng điều hành (quản lý)', 'Manager dashboard')}</a>
          </li>
        </ul>
      </section>
    </main>
  );
}

/** Kiosks are pages bound to a dispenser (its printer prints the tickets). */
function KioskLinks({ centre }: { centre: CentreView }) {
  const { t } = useLang();
  const [dispensers, setDispensers] = useState<{ id: string; zoneId: string | null }[] | null>(null);
  useEffect(() => {
    void api<{ dispensers: { id: string; zoneId: string | null }[] }>('GET', '/kiosks')
      .then((r) => setDispensers(r.dispensers))
      .catch(() => setDispensers([]));
  }, []);
  if (!dispensers) return null;
  return (
    <ul>
      {dispensers.map((d) => (
        <li key={d.id}>
          <a href={`/kiosk?dispenser=${encodeURIComponent(d.id)}`}>
            {d.id}
            {d.zoneId ? ` — ${centre.zones.find((z) => z.id === d.zoneId)?.name ?? d.zoneId}` : ''}
          </a>
        </li>
      ))}
      {dispensers.length === 0 && <li>{t('Chưa cấu hình máy lấy số.', 'No dispensers configured.')}</li>}
    </ul>
  );
}

render(
  <>
    <ConnectionBanner />
    <Index />
  </>,
  document.getElementById('app') as HTMLElement,
);
