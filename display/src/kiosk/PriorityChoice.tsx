/** Self-declared priority (elderly, disability, pregnancy…): staff check it at the counter. */
import { localName, useLang } from '../shared/i18n.ts';
import type { PriorityClass } from './centre-info.ts';

export function PriorityChoice(props: {
  classes: PriorityClass[];
  chosen: string | null;
  onChoose: (id: string | null) => void;
}) {
  const { lang, t } = useLang();
  const chip = (id: string | null, label: string) => (
    <button
      type="button"
      key={id ?? 'none'}
      class={`priority-chip${props.chosen === id ? ' chosen' : ''}`}
      aria-pressed={props.chosen === id}
      data-testid={`priority-${id ?? 'none'}`}
      onClick={() => props.onChoose(id)}
    >
      {label}
    </button>
  );
  return (
    <section class="kiosk-priority" aria-labelledby="priority-title">
      <h2 id="priority-title">
        {t('Đối tượng ưu tiên', 'Priority')}
        <small>
          {t('Tự khai báo — cán bộ sẽ kiểm tra tại quầy', 'Self-declared — checked at the counter')}
        </small>
      </h2>
      <div class="priority-chips">
        {chip(null, t('Không ưu tiên', 'No priority'))}
        {props.classes.map((p) => chip(p.id, localName(lang, p)))}
      </div>
    </section>
  );
}
