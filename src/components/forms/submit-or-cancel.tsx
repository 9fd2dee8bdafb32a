// The buttons that end a form shown on demand: submit (busy while it runs) and Cancel (idle while it runs).
import { Button, type ButtonVariant } from "@/components/ui/button";

export function SubmitOrCancel({
  label,
  pendingLabel,
  pending,
  onCancel,
  variant = "primary",
}: {
  label: string;
  pendingLabel: string;
  pending: boolean;
  onCancel: () => void;
  variant?: ButtonVariant;
}) {
  return (
    <div className="flex flex-wrap gap-2">
      <Button type="submit" variant={variant} pending={pending}>
        {pending ? pendingLabel : label}
      </Button>
      <Button variant="secondary" disabled={pending} onClick={onCancel}>
        Cancel
      </Button>
    </div>
  );
}
