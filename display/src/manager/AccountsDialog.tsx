/**
 * Staff and manager accounts: who may sign in, a new account, a new PIN or password for someone who
 * forgot theirs, removing an account. Passwords go to the controller once and are kept only hashed.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AccountInfo } from '../../../controller/accounts/account-store.ts';
import { api, errorSaid } from '../shared/api.ts';
import { useLang } from '../shared/i18n.ts';
import type { CentreView } from '../shared/types.ts';

interface Draft {
  username: string;
  name: string;
  role: 'staff' | 'manager';
  staffId: string;
  password: string;
}

const EMPTY: Draft = { username: '', name: '', role: 'staff', staffId: '', password: '' };

export function AccountsDialog(props: { me: string; onClose: () => void }) {
  const { t } = useLang();
  const dialog = useRef<HTMLDialogElement>(null);
  const [accounts, setAccounts] = useState<AccountInfo[]>([]);
  const [staff, setStaff] = useState<CentreView['staff']>([]);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = () =>
    api<{ accounts: AccountInfo[] }>('GET', '/accounts')
      .then((r) => setAccounts(r.accounts.sort((a, b) => a.username.localeCompare(b.username))))
      .catch((e: Error) => setMessage({ ok: false, text: errorSaid(e, t) }));

  useEffect(() => {
    dialog.current?.showModal();
    void reload();
    void api<CentreView>('GET', '/centre').then((c) => setStaff(c.staff));
  }, []);

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const act = async (done: string, call: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await call();
      setMessage({ ok: true, text: done });
      await reload();
      return true;
    } catch (e) {
      setMessage({ ok: false, text: `${t('Không thực hiện được', 'Not done')}: ${errorSaid(e, t)}` });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const { username, password, ...rest } = draft;
    const body = { ...rest, password, ...(rest.staffId ? {} : { staffId: undefined }) };
    const ok = await act(t(`Đã lưu tài khoản ${username}`, `Account ${username} saved`), () =>
      api('PUT', `/accounts/${encodeURIComponent(username)}`, body),
    );
    if (ok) setDraft(EMPTY);
  };

  return (
    <dialog ref={dialog} class="mg-dialog mg-accounts" onClose={props.onClose} data-testid="accounts-dialog">
      <h2>{t('Tài khoản', 'Accounts')}</h2>
      <div class="mg-audit-list" data-scrolls>
        <table>
          <thead>
            <tr>
              <th>{t('Tên đăng nhập', 'User name')}</th>
              <th>{t('Họ tên', 'Name')}</th>
              <th>{t('Vai trò', 'Role')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.username} data-testid="account-row" data-username={a.username}>
                <td>{a.username}</td>
                <td>{a.name}</td>
                <td>{a.role === 'manager' ? t('Quản lý', 'Manager') : t('Cán bộ', 'Staff')}</td>
                <td class="mg-end">
                  <button
                    type="button"
                    onClick={() =>
                      setDraft({
                        ...EMPTY,
                        username: a.username,
                        name: a.name,
                        role: a.role,
                        staffId: a.staffId ?? '',
                      })
                    }
                  >
                    {t('Đặt lại mật khẩu', 'New password')}
                  </button>
                  {a.username !== props.me && (
                    <button
                      type="button"
                      class="mg-danger"
                      data-testid={`remove-${a.username}`}
                      onClick={() =>
                        void act(t(`Đã xoá tài khoản ${a.username}`, `Account ${a.username} removed`), () =>
                          api('DELETE', `/accounts/${encodeURIComponent(a.username)}`),
                        )
                      }
                    >
                      {t('Xoá', 'Remove')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form class="mg-account-form" onSubmit={save} data-testid="account-form">
        <label>
          {t('Tên đăng nhập', 'User name')}
          <input
            name="username"
            required
            pattern="[a-z0-9][a-z0-9._\\-]{1,39}"
            value={draft.username}
            onInput={(e) => set({ username: e.currentTarget.value })}
          />
        </label>
        <label>
          {t('Vai trò', 'Role')}
          <select
            name="role"
            value={draft.role}
            onChange={(e) => set({ role: e.currentTarget.value as Draft['role'] })}
          >
            <option value="staff">{t('Cán bộ', 'Staff')}</option>
            <option value="manager">{t('Quản lý', 'Manager')}</option>
          </select>
        </label>
        <label>
          {t('Cán bộ trong danh sách', 'Staff member')}
          <select
            name="staffId"
            required={draft.role === 'staff'}
            value={draft.staffId}
            onChange={(e) => {
              const id = e.currentTarget.value;
              set({ staffId: id, name: draft.name || (staff.find((s) => s.id === id)?.name ?? '') });
            }}
          >
            <option value="">—</option>
            {staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('Họ tên', 'Name')}
          <input
            name="name"
            required
            value={draft.name}
            onInput={(e) => set({ name: e.currentTarget.value })}
          />
        </label>
        <label>
          {draft.role === 'manager'
            ? t('Mật khẩu (≥ 8 ký tự)', 'Password (≥ 8)')
            : t('Mã PIN (≥ 6 số)', 'PIN (≥ 6 digits)')}
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            required
            value={draft.password}
            onInput={(e) => set({ password: e.currentTarget.value })}
          />
        </label>
        <div class="mg-row mg-end">
          <button type="submit" class="mg-primary" disabled={busy}>
            {t('Lưu tài khoản', 'Save account')}
          </button>
        </div>
      </form>
      {message && (
        <p class={message.ok ? 'mg-ok' : 'mg-error'} role="status" data-testid="accounts-message">
          {message.text}
        </p>
      )}
      <div class="mg-row mg-end">
        <button type="button" onClick={props.onClose}>
          {t('Đóng', 'Close')}
        </button>
      </div>
    </dialog>
  );
}
