// A row's delete button: the action runs only after the browser's confirmation says yes.
import { useSession } from '../app/session';

export function DeleteButton({ label, confirm, onDelete }: { label?: string; confirm: string; onDelete: () => void }) {
  const { t } = useSession();
  return (
    <button
      type="button"
      className="danger"
      aria-label={label}
      onClick={() => {
        if (window.confirm(confirm)) onDelete();
      }}
    >
      {t('common.delete')}
    </button>
  );
}
