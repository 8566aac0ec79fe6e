import { Alert, Button, Group, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';

import { fieldErrorMap } from '../../../shared/api/client';
import { FormErrorAlert } from '../../../shared/components/feedback';
import { notifySuccess } from '../../../shared/lib/notify';
import { useAllVendors } from '../../inventory/api/vendors';
import { useSendRequest } from '../api/requests';
import { useTemplate, useTemplates } from '../api/templates';

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Sends a published template version to a vendor: from the template's page (template fixed), the vendor's page
 * (vendor fixed) or the requests list (both chosen). Recipients are the vendor's portal contacts.
 */
export function SendRequestForm({ templateId, vendorId, onDone }: { templateId?: string; vendorId?: string; onDone: () => void }) {
  const navigate = useNavigate();
  const [template, setTemplate] = useState(templateId ?? '');
  const [vendor, setVendor] = useState(vendorId ?? '');
  const [dueDate, setDueDate] = useState(inDays(30));
  const [message, setMessage] = useState('');
  const templates = useTemplates({ status: 'active', pageSize: 100 });
  const detail = useTemplate(template);
  const vendors = useAllVendors(!vendorId);
  const send = useSendRequest();
  const published = (detail.data?.versions ?? []).filter((v) => v.status === 'published');
  const [version, setVersion] = useState('');
  const versionId = version || published[0]?.id || '';
  const errors = fieldErrorMap(send.error);

  const submit = async () => {
    try {
      const r = await send.mutateAsync({
        templateVersionId: versionId,
        vendorId: vendor,
        dueDate,
        ...(message.trim() ? { message: message.trim() } : {}),
      });
      notifySuccess(`Sent to ${r.vendorName} (${r.recipients.map((p) => p.name).join(', ')}).`, 'Questionnaire sent');
      onDone();
      void navigate(`/questionnaire-requests/${r.id}`);
    } catch {
      // Shown in the form.
    }
  };

  return (
    <Stack>
      {!templateId && (
        <Select
          label="Template"
          placeholder="Choose a template"
          searchable
          data={(templates.data?.items ?? []).filter((t) => t.latestPublishedVersion !== null).map((t) => ({ value: t.id, label: t.name }))}
          value={template || null}
          onChange={(v) => {
            setTemplate(v ?? '');
            setVersion('');
          }}
          data-testid="send-template"
          comboboxProps={{ withinPortal: true }}
        />
      )}
      {template && (
        <Select
          label="Version"
          data={published.map((v) => ({
            value: v.id,
            label: `Version ${v.version} (published ${v.publishedAt?.slice(0, 10) ?? ''}, ${v.questionCount} questions)`,
          }))}
          value={versionId || null}
          onChange={(v) => setVersion(v ?? '')}
          error={errors['templateVersionId']}
          allowDeselect={false}
          data-testid="send-version"
          comboboxProps={{ withinPortal: true }}
        />
      )}
      {template && detail.data && !published.length && (
        <Alert color="orange">This template has no published version yet: publish it first.</Alert>
      )}
      {!vendorId && (
        <Select
          label="Vendor"
          placeholder="Choose a vendor"
          searchable
          data={(vendors.data ?? []).map((v) => ({ value: v.id, label: v.name }))}
          value={vendor || null}
          onChange={(v) => setVendor(v ?? '')}
          error={errors['vendorId']}
          data-testid="send-vendor"
          comboboxProps={{ withinPortal: true }}
        />
      )}
      <TextInput
        type="date"
        label="Due date"
        value={dueDate}
        onChange={(e) => setDueDate(e.currentTarget.value)}
        error={errors['dueDate']}
        data-testid="send-due"
      />
      <Textarea
        label="Message to the vendor (optional)"
        autosize
        minRows={2}
        value={message}
        onChange={(e) => setMessage(e.currentTarget.value)}
        error={errors['message']}
        data-testid="send-message"
      />
      {errors['recipientIds'] && (
        <Alert color="orange" title="Nobody to send it to" data-testid="send-no-recipient">
          {errors['recipientIds']}
        </Alert>
      )}
      <FormErrorAlert error={send.error} shownFields={['templateVersionId', 'vendorId', 'dueDate', 'message', 'recipientIds']} />
      <Text size="xs" c="dimmed">
        The vendor’s contacts with a portal account receive it and are reminded before the due date.
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
        <Button
          onClick={() => void submit()}
          loading={send.isPending}
          disabled={!versionId || !vendor || !dueDate}
          data-testid="send-submit"
        >
          Send the questionnaire
        </Button>
      </Group>
    </Stack>
  );
}
