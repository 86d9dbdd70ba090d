/** Username and password, for managers. */
import { useState } from 'preact/hooks';
import { ApiError, errorSaid } from '../shared/api.ts';
import { useLang } from '../shared/i18n.ts';
import { LangSwitch } from '../shared/LangSwitch.tsx';

export function SignIn({ onLogin }: { onLogin: (username: string, password: string) => Promise<void> }) {
  const { t } = useLang();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onLogin(username.trim(), password);
    } catch (err) {
      const wrong = err instanceof ApiError && err.status === 401;
      setError(
        wrong
          ? t('Sai tên đăng nhập hoặc mật khẩu.', 'Wrong username or password.')
          : `${t('Không đăng nhập được', 'Could not sign in')}: ${errorSaid(err, t)}`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="mg-signin">
      <form class="mg-signin-form" onSubmit={submit} data-testid="signin-form">
        <h1>{t('Bảng điều hành', 'Manager dashboard')}</h1>
        <p class="mg-muted">{t('Đăng nhập bằng tài khoản quản lý.', 'Sign in with a manager account.')}</p>
        <label>
          {t('Tên đăng nhập', 'Username')}
          <input
            name="username"
            autocomplete="username"
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
            required
          />
        </label>
        <label>
          {t('Mật khẩu', 'Password')}
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            required
          />
        </label>
        {error && (
          <p class="mg-error" role="alert">
            {error}
          </p>
        )}
        <div class="mg-row">
          <button type="submit" class="mg-primary" disabled={busy}>
            {t('Đăng nhập', 'Sign in')}
          </button>
          <LangSwitch />
        </div>
      </form>
    </main>
  );
}
