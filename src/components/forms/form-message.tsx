import { Notice } from "@/components/ui/notice";
import type { FormMessage } from "@/components/forms/use-form-state";

export function FormMessageNotice({ message }: { message: FormMessage }) {
  return message ? <Notice tone={message.tone}>{message.text}</Notice> : null;
}
