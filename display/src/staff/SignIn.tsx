/** Sign in to a counter: your name, your PIN or password, the counter you sit at. */
import { useState } from 'preact/hooks';
import { ApiError } from '../shared/api.ts';
import { useLang } from '../shared/i18n.ts';
import type { CentreView } from '../shared/types.ts';

export function SignIn(props: {
  centre: CentreView;
  onSignIn: (username: string, password: string, counterId: string) => Promise<void>;
}) {
  const { t } = useLang();
  const fromUrl = new URLSearchParams(location.search).get('counter') ?? '';
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [counterId, setCounterId] = useState(fromUrl);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.onSignIn(username, password, counterId);
    } catch (err) {
      setError(signInError(err, t));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="sign-in" onSubmit={submit} data-testid="sign-in">
      <h2>{t('Đăng nhập quầy', 'Sign in to a counter')}</h2>
      <label>
        {t('Cán bộ', 'Staff member')}
        <select
          required
          value={username}
          onChange={(e) => setUsername(e.currentTarget.value)}
          data-testid="username"
        >
          <option value="">{t('— Chọn tên —', '— Choose your name —')}</option>
          {props.centre.staff.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('Mã PIN hoặc mật khẩu', 'PIN or password')}
        <input
          type="password"
          required
          autoComplete="current-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          data-testid="password"
        />
      </label>
      <label>
        {t('Quầy', 'Counter')}
        <select
          required
          value={counterId}
          onChange={(e) => setCounterId(e.currentTarget.value)}
          data-testid="counter"
        >
          <option value="">{t('— Chọn quầy —', '— Choose the counter —')}</option>
          {props.centre.counters.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p class="error" role="alert" data-testid="sign-in-error">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy} data-testid="sign-in-submit">
        {t('Đăng nhập', 'Sign in')}
      </button>
    </form>
  );
}

function signInError(err: unknown, t: (vi: string, en: string) => string): string {
  if (!(err instanceof ApiError)) return String(err);
  if (err.code === 'badCredentials') return t('Sai tên hoặc mật khẩu.', 'Wrong name or password.');
  if (err.code === 'tooManyAttempts')
    return t(`Nhập sai quá nhiều lần. ${err.message}`, `Too many wrong attempts: ${err.message}`);
  if (err.code === 'conflict')
    return t(`Không nhận được quầy: ${err.message}`, `Cannot take the counter: ${err.message}`);
  return err.message;
}
