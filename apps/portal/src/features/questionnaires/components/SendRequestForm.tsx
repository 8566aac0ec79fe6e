import { Alert, Anchor, Button, Group, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';

import { fieldErrorMap, isApiError } from '../../../shared/api/client';
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
  const [inviting, setInviting] = useState(false);
  const [inviteName, setInviteName] = useState('');
  const [inviteEmail, setInviteEmail] = useState('');
  const templates = useTemplates({ status: 'active', pageSize: 100 });
  const detail = useTemplate(template);
  const vendors = useAllVendors(!vendorId);
  const send = useSendRequest();
  const published = (detail.data?.versions ?? []).filter((v) => v.status === 'published');
  const [version, setVersion] = useState('');
  const versionId = version || published[0]?.id || '';
  const errors = fieldErrorMap(send.error);
  /** Refused for want of a portal contact: answered by the invitation fields, not an error to show. */
  const noRecipient = isApiError(send.error) && send.error.code === 'questionnaire_request.no_recipient';

  const submit = async () => {
    try {
      const r = await send.mutateAsync({
        templateVersionId: versionId,
        vendorId: vendor,
        dueDate,
        ...(message.trim() ? { message: message.trim() } : {}),
        ...(inviting ? { invite: { name: inviteName.trim(), email: inviteEmail.trim() } } : {}),
      });
      const to = [...r.recipients.map((p) => p.name), ...(inviting ? [`${inviteName.trim()}, invited`] : [])];
      notifySuccess(`Sent to ${r.vendorName} (${to.join(', ')}).`, 'Questionnaire sent');
      onDone();
      void navigate(`/questionnaire-requests/${r.id}`);
    } catch (e) {
      // Shown in the form; a vendor without a portal contact: offer to invite one with the questionnaire.
      if (isApiError(e) && e.code === 'questionnaire_request.no_recipient') setInviting(true);
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
      {errors['recipientIds'] && !inviting && (
        <Alert color="orange" title="Nobody to send it to" data-testid="send-no-recipient">
          {errors['recipientIds']}
        </Alert>
      )}
      {inviting ? (
        <Stack gap="xs" data-testid="send-invite">
          <Text size="sm" fw={600}>
            {noRecipient
              ? 'The vendor has no portal contact yet: invite a person with the questionnaire'
              : 'Invite a person of the vendor with it'}
          </Text>
          <Text size="xs" c="dimmed">
            They get one e-mail: the invitation to the portal, saying the questionnaire waits for them. If it does not arrive, re-send the
            invitation from the vendor’s contacts.
          </Text>
          <Group grow align="flex-start">
            <TextInput
              label="Name"
              value={inviteName}
              onChange={(e) => setInviteName(e.currentTarget.value)}
              error={errors['invite.name']}
              data-testid="send-invite-name"
            />
            <TextInput
              label="E-mail"
              type="email"
              value={inviteEmail}
              onChange={(e) => setInviteEmail(e.currentTarget.value)}
              error={errors['invite.email'] ?? errors['email']}
              data-testid="send-invite-email"
            />
          </Group>
        </Stack>
      ) : (
        <Anchor
          component="button"
          type="button"
          size="xs"
          w="fit-content"
          onClick={() => setInviting(true)}
          data-testid="send-invite-toggle"
        >
          Also invite a person of the vendor to the portal
        </Anchor>
      )}
      <FormErrorAlert
        error={noRecipient ? undefined : send.error}
        shownFields={['templateVersionId', 'vendorId', 'dueDate', 'message', 'recipientIds', 'invite', 'email']}
      />
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
          disabled={!versionId || !vendor || !dueDate || (inviting && (!inviteName.trim() || !inviteEmail.trim()))}
          data-testid="send-submit"
        >
          {inviting ? 'Invite and send' : 'Send the questionnaire'}
        </Button>
      </Group>
    </Stack>
  );
}
