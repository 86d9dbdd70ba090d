/** The manager dashboard: a sign-in gate, then the live figures, alerts, charts and actions. */
import { ConnectionBanner } from '../shared/ConnectionBanner.tsx';
import { useLang } from '../shared/i18n.ts';
import { useSession } from '../shared/session.ts';
import { Dashboard } from './Dashboard.tsx';
import { SignIn } from './SignIn.tsx';

export function App() {
  const session = useSession();
  const { t } = useLang();
  return (
    <>
      <ConnectionBanner />
      {session.loading ? (
        <p class="mg-loading">{t('Đang tải…', 'Loading…')}</p>
      ) : session.user ? (
        <Dashboard user={session.user} onLogout={session.logout} />
      ) : (
        <SignIn onLogin={session.login} />
      )}
    </>
  );
}
