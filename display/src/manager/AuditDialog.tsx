/** The audit log: what managers did and who signed in, newest first (GET /api/audit). */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AuditEntry } from '../../../controller/accounts/audit-log.ts';
import { api } from '../shared/api.ts';
import { clockTime } from '../shared/format.ts';
import { useLang } from '../shared/i18n.ts';

const LIMIT = 100;

export function AuditDialog(props: { onClose: () => void }) {
  const { t } = useLang();
  const dialog = useRef<HTMLDialogElement>(null);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    dialog.current?.showModal();
    api<{ entries: AuditEntry[] }>('GET', `/audit?limit=${LIMIT}`)
      .then((r) => setEntries(r.entries))
      .catch((e: Error) => setError(e.message));
  }, []);

  return (
    <dialog ref={dialog} class="mg-dialog mg-audit" onClose={props.onClose} data-testid="audit-dialog">
      <h2>{t('Nhật ký thao tác', 'Audit log')}</h2>
      <p class="mg-muted mg-small">
        {t(
          `Các thao tác của quản lý và các lần đăng nhập, mới nhất trước (${LIMIT} mục gần nhất).`,
          `Managers' actions and sign-ins, newest first (latest ${LIMIT}).`,
        )}
      </p>
      {error && <p class="mg-error">{error}</p>}
      <div class="mg-audit-list" data-scrolls>
        <table>
          <thead>
            <tr>
              <th>{t('Lúc', 'At')}</th>
              <th>{t('Tài khoản', 'Account')}</th>
              <th>{t('Thao tác', 'Action')}</th>
              <th>{t('Kết quả', 'Result')}</th>
            </tr>
          </thead>
          <tbody>
            {entries?.map((e) => (
              <tr key={`${e.at}-${e.action}`} data-testid="audit-entry">
                <td>{clockTime(Date.parse(e.at), true)}</td>
                <td>{e.by}</td>
                <td class="mg-audit-action">{e.action}</td>
                <td class={e.status < 400 ? 'ok' : 'bad'}>{e.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {entries?.length === 0 && <p class="mg-muted">{t('Chưa có mục nào.', 'Nothing yet.')}</p>}
      </div>
      <div class="mg-row mg-end">
        <button type="button" onClick={props.onClose}>
          {t('Đóng', 'Close')}
        </button>
      </div>
    </dialog>
  );
}
