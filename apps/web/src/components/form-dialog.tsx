// A dialog around one form: Cancel and a submit button in the footer wired to the form, and the mutation's error
// under the fields. Every create/edit dialog of the console is one of these.
import type { FormEvent, ReactNode } from 'react';
import { useId } from 'react';
import { Button } from './button';
import { Dialog } from './dialog';
import { FormError } from './states';

type FormDialogProps = {
  isOpen: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  size?: 'md' | 'lg';
  /** The form's id (the submit button sits outside the form, in the footer); a generated one when absent. */
  formId?: string;
  submitLabel: ReactNode;
  submitVariant?: 'primary' | 'danger';
  isBusy: boolean;
  isSubmitDisabled?: boolean;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
  /** The failed mutation, shown under the fields. */
  error?: unknown;
  children: ReactNode;
};

export function FormDialog({
  isOpen,
  onClose,
  title,
  description,
  size,
  formId,
  submitLabel,
  submitVariant = 'primary',
  isBusy,
  isSubmitDisabled,
  onSubmit,
  error,
  children,
}: FormDialogProps) {
  const generatedId = useId();
  const id = formId ?? generatedId;
  return (
    <Dialog
      isOpen={isOpen}
      onClose={onClose}
      title={title}
      description={description}
      size={size}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form={id} variant={submitVariant} isBusy={isBusy} disabled={isSubmitDisabled}>
            {submitLabel}
          </Button>
        </>
      }
    >
      <form id={id} onSubmit={onSubmit} className="space-y-4" noValidate>
        {children}
        {error ? <FormError error={error} /> : null}
      </form>
    </Dialog>
  );
}
