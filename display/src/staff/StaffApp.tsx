/**
 * The staff console at a counter: sign in to the counter, then work it — the current citizen, the
 * waiting list in call order, and the actions (also on the keyboard). A hardware call pad on the same
 * counter works alongside: both act on the same engine, and this page follows the live state.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.ts';
import { ConnectionBanner } from '../shared/ConnectionBanner.tsx';
import { useLang } from '../shared/i18n.ts';
import { LangSwitch } from '../shared/LangSwitch.tsx';
import { useQueue } from '../shared/live.ts';
import { useSession } from '../shared/session.ts';
import type { CentreView } from '../shared/types.ts';
import { CounterConsole } from './CounterConsole.tsx';
import { SignIn } from './SignIn.tsx';

export function StaffApp() {
  const session = useSession();
  const queue = useQueue();
  const { t } = useLang();
  const [centre, setCentre] = useState<CentreView | null>(null);
  useEffect(() => {
    void api<CentreView>('GET', '/centre').then(setCentre);
  }, []);

  const counterId = session.user?.counterId ?? null;
  return (
    <div class="staff">
      <ConnectionBanner />
      <header class="staff-header">
        <h1>{centre?.centre.shortName ?? centre?.centre.name ?? t('Quầy giao dịch', 'Counter')}</h1>
        <div class="staff-header-right">
          {session.user && (
            <>
              <span data-testid="signed-in-as">{session.user.name}</span>
              <button
                type="button"
                class="secondary"
                data-testid="logout"
                onClick={() => void session.logout()}
              >
                {t('Đăng xuất', 'Sign out')}
              </button>
            </>
          )}
          <LangSwitch />
        </div>
      </header>
      {session.loading || !centre ? (
        <p class="staff-loading">{t('Đang tải…', 'Loading…')}</p>
      ) : session.user && counterId ? (
        queue ? (
          <CounterConsole centre={centre} queue={queue} counterId={counterId} />
        ) : (
          // Signed in, the live state not here yet: never the sign-in form meanwhile.
          <p class="staff-loading" data-testid="console-loading">
            {t('Đang tải dữ liệu quầy…', 'Loading the counter…')}
          </p>
        )
      ) : session.user && !counterId ? (
        <p class="staff-loading">
          {t(
            'Tài khoản này không ngồi quầy. Bảng điều hành ở trang /manager.',
            'This account does not sit at a counter. The dashboard is at /manager.',
          )}
        </p>
      ) : (
        <SignIn centre={centre} onSignIn={session.login} />
      )}
    </div>
  );
}
