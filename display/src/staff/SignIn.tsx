/** Sign in to a counter: your name, your PIN or password, the counter you sit at. */
import { useState } from 'preact/hooks';
import { ApiError } from '../shared/api.ts';
import { useLang } from '../shared/i18n.ts';
import type { CentreView } from '../shared/types.ts';

export function SignIn(props: {
  centre: CentreView;
  onSignIn: (username: string, password: string, counterId: string) => Promise<void>;
}) {
  const { lang, t } = useLang();
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
      setError(signInError(err, lang));
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

function signInError(err: unknown, lang: 'vi' | 'en'): string {
  if (!(err instanceof ApiError)) return String(err);
  // The controller's own Vietnamese text (wrong password, counter taken, too many attempts…).
  return err.said(lang);
}
