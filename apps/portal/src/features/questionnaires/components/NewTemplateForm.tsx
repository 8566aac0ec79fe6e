import { Alert, Button, Group, Stack, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';

import { errorMessage, fieldErrorMap } from '../../../shared/api/client';
import { notifySuccess } from '../../../shared/lib/notify';
import { useCreateTemplate } from '../api/templates';

/** A new, empty template (version 1, a draft): then the builder opens on it. */
export function NewTemplateForm({ onCancel }: { onCancel: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [missing, setMissing] = useState(false);
  const create = useCreateTemplate();
  const navigate = useNavigate();
  const fields = fieldErrorMap(create.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setMissing(true);
      return;
    }
    create.mutate(
      { name: name.trim(), description: description.trim(), sections: [] },
      {
        onSuccess: (t) => {
          notifySuccess(`${t.name}: draft version 1 created. Add its sections and questions.`, 'Template created');
          void navigate(`/questionnaires/${t.id}/edit`);
        },
      },
    );
  };

  const other = create.error && !fields['name'] && !fields['description'];
  return (
    <form onSubmit={submit} data-testid="template-new-form" noValidate>
      <Stack gap="md">
        <TextInput
          label="Name"
          required
          data-autofocus
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            setMissing(false);
          }}
          error={missing ? 'A template needs a name.' : fields['name']}
          maxLength={200}
          data-testid="template-new-name"
        />
        <Textarea
          label="Description"
          description="What the questionnaire is for, shown to your colleagues"
          autosize
          minRows={2}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={fields['description']}
          data-testid="template-new-description"
        />
        {other && (
          <Alert color="red" variant="light" title="Not created" data-testid="template-new-error">
            {errorMessage(create.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending} data-testid="template-new-submit">
            Create and edit
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
