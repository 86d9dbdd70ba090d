/** Send the citizen at the counter to another service or counter (they keep their arrival time). */
import { useState } from 'preact/hooks';
import { localName, useLang } from '../shared/i18n.ts';
import type { CentreView } from '../shared/types.ts';

type Target = { serviceId: string } | { counterId: string };

export function TransferDialog(props: {
  centre: CentreView;
  counterId: string;
  onCancel: () => void;
  onTransfer: (to: Target) => void;
}) {
  const { t, lang } = useLang();
  const [value, setValue] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    const [kind, id] = value.split(':') as [string, string];
    props.onTransfer(kind === 'service' ? { serviceId: id } : { counterId: id });
  };
  return (
    <div class="dialog-backdrop">
      <form class="dialog" onSubmit={submit} data-testid="transfer-dialog">
        <h2>{t('Chuyển công dân', 'Transfer the citizen')}</h2>
        <select
          required
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          data-testid="transfer-to"
        >
          <option value="">{t('— Chọn nơi chuyển đến —', '— Choose where to —')}</option>
          <optgroup label={t('Lĩnh vực', 'Service')}>
            {props.centre.services.map((s) => (
              <option key={s.id} value={`service:${s.id}`}>
                {localName(lang, s)}
              </option>
            ))}
          </optgroup>
          <optgroup label={t('Quầy', 'Counter')}>
            {props.centre.counters
              .filter((c) => c.id !== props.counterId)
              .map((c) => (
                <option key={c.id} value={`counter:${c.id}`}>
                  {c.name}
                </option>
              ))}
          </optgroup>
        </select>
        <div class="dialog-buttons">
          <button type="button" class="secondary" onClick={props.onCancel}>
            {t('Huỷ', 'Cancel')}
          </button>
          <button type="submit" class="primary" data-testid="transfer-submit">
            {t('Chuyển', 'Transfer')}
          </button>
        </div>
      </form>
    </div>
  );
}
