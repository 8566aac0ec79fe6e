import { Badge, Group, Paper, Table, Text, Title } from '@mantine/core';

import type { InvitationView } from '@bulwark/api-schema';

import { ConfirmButton } from '../../../shared/components/ConfirmButton';
import { ErrorAlert, TableSkeleton } from '../../../shared/components/feedback';
import { formatDateTime } from '../../../shared/lib/format';
import { notifyError, notifySuccess } from '../../../shared/lib/notify';
import { timeAgo } from '../../signals/lib/signals';
import { useStaffInvitationAction, useStaffInvitations } from '../api/users';
import { RoleBadge } from './roles';

const STATUS_COLORS: Record<InvitationView['status'], string> = { pending: 'blue', accepted: 'teal', revoked: 'gray', expired: 'orange' };

/** Admins only: staff invitations still waiting for the invitee (pending, or expired and worth re-sending). */
export function StaffInvitations() {
  const invitations = useStaffInvitations();
  const action = useStaffInvitationAction();
  const open = (invitations.data ?? []).filter((i) => i.status === 'pending' || i.status === 'expired');

  const run = (i: InvitationView, act: 'resend' | 'revoke') =>
    action.mutateAsync({ id: i.id, action: act }).then(
      () =>
        act === 'resend'
          ? notifySuccess(`A new invitation e-mail was sent to ${i.email}; the previous link no longer works.`, 'Invitation resent')
          : notifySuccess(`The invitation for ${i.email} was revoked.`, 'Invitation revoked'),
      (e: unknown) => notifyError(e, act === 'resend' ? 'Could not resend the invitation' : 'Could not revoke the invitation'),
    );

  return (
    <Paper withBorder p="lg" radius="md" data-testid="staff-invitations">
      <Title order={3} size="h4" mb="sm">
        Pending staff invitations
      </Title>
      {invitations.isPending ? (
        <TableSkeleton rows={2} />
      ) : invitations.isError ? (
        <ErrorAlert error={invitations.error} onRetry={() => void invitations.refetch()} />
      ) : open.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="staff-invitations-empty">
          No invitation is waiting for an answer. Use “Invite staff” to add a colleague.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="xs" data-testid="staff-invitation-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name and e-mail</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Sent</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th aria-label="Actions" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {open.map((i) => (
                <Table.Tr
                  key={i.id}
                  data-testid="staff-invitation-row"
                  data-status={i.status}
                  data-email={i.email}
                  data-invitation-id={i.id}
                >
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {i.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {i.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <RoleBadge role={i.role} />
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      color={STATUS_COLORS[i.status]}
                      variant="light"
                      size="sm"
                      data-testid="staff-invitation-status"
                      style={{ minWidth: 'max-content' }}
                    >
                      {i.status}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" title={formatDateTime(i.createdAt)} style={{ whiteSpace: 'nowrap' }}>
                      {timeAgo(i.createdAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text
                      size="sm"
                      c={i.status === 'expired' ? 'orange' : undefined}
                      style={{ whiteSpace: 'nowrap' }}
                      data-testid="staff-invitation-expires"
                    >
                      {formatDateTime(i.expiresAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <ConfirmButton
                        title={`Resend the invitation to ${i.name}?`}
                        message={`A new link is e-mailed to ${i.email} and the previous one stops working.`}
                        confirmLabel="Resend"
                        color="blue"
                        loading={action.isPending && action.variables?.id === i.id && action.variables.action === 'resend'}
                        testId="staff-invitation-resend"
                        onConfirm={() => run(i, 'resend')}
                      >
                        Resend
                      </ConfirmButton>
                      {i.status === 'pending' && (
                        <ConfirmButton
                          title={`Revoke the invitation for ${i.name}?`}
                          message={`The link sent to ${i.email} will stop working.`}
                          confirmLabel="Revoke"
                          loading={action.isPending && action.variables?.id === i.id && action.variables.action === 'revoke'}
                          testId="staff-invitation-revoke"
                          onConfirm={() => run(i, 'revoke')}
                        >
                          Revoke
                        </ConfirmButton>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
