import { Anchor, Badge, Button, Collapse, Group, NativeSelect, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';

import {
  can,
  canWriteEvidenceKind,
  EVIDENCE_KINDS,
  EVIDENCE_STATUSES,
  type EvidenceKind,
  type EvidenceStatus,
  type EvidenceView,
} from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { errorMessage } from '../../../shared/api/client';
import { EmptyState, ErrorAlert, TableSkeleton } from '../../../shared/components/feedback';
import { formatBytes, formatDate, formatDateTime } from '../../../shared/lib/format';
import { notifyError } from '../../../shared/lib/notify';
import { useContracts } from '../../agreements/api/contracts';
import { evidenceDownloadUrl, useEvidenceList, useLinkEvidence, useUnlinkEvidence } from '../api/evidence';
import { ExpiryBadge, IntegrityBadge, KIND_LABELS, ScanBadge } from './evidenceLabels';
import { EvidenceUploadForm, RevisionUploadForm } from './EvidenceUploadForm';

const STATUS_LABELS: Record<EvidenceStatus, string> = { valid: 'Valid', expiring: 'Expiring', expired: 'Expired', no_expiry: 'No expiry' };

/**
 * A vendor's evidence library: upload (drag and drop, progress), each item with its validity, scan
 * status, revisions (downloadable, newest first) and links. The same component on the vendor's home and
 * on the internal vendor page.
 */
export function EvidenceLibrary({ vendorId }: { vendorId: string }) {
  const { role } = useCurrentUser();
  const canWrite = can(role, 'evidence.write');
  const [uploadOpen, uploadToggle] = useDisclosure(false);
  const [kind, setKind] = useState<EvidenceKind | ''>('');
  const [status, setStatus] = useState<EvidenceStatus | ''>('');
  const list = useEvidenceList({ vendorId, kind: kind || undefined, status: status || undefined, pageSize: 100 });

  return (
    <Stack gap="md" data-testid="evidence-library">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Group gap="sm" align="flex-end">
          <NativeSelect
            label="Kind"
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as EvidenceKind | '')}
            data={[{ value: '', label: 'All kinds' }, ...EVIDENCE_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))]}
            data-testid="evidence-filter-kind"
          />
          <NativeSelect
            label="Validity"
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value as EvidenceStatus | '')}
            data={[{ value: '', label: 'Any' }, ...EVIDENCE_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))]}
            data-testid="evidence-filter-status"
          />
        </Group>
        {canWrite && (
          <Button
            onClick={uploadToggle.toggle}
            variant={uploadOpen ? 'default' : 'filled'}
            data-testid="evidence-upload-toggle"
            aria-expanded={uploadOpen}
          >
            {uploadOpen ? 'Close upload' : 'Upload evidence'}
          </Button>
        )}
      </Group>
      {canWrite && (
        <Collapse expanded={uploadOpen}>
          <Paper withBorder p="md" radius="md">
            <Title order={3} size="h5" mb="sm">
              Upload evidence
            </Title>
            <EvidenceUploadForm vendorId={vendorId} onDone={uploadToggle.close} />
          </Paper>
        </Collapse>
      )}
      {list.isError && !list.data ? (
        <ErrorAlert error={list.error} title="Could not load the evidence" onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <TableSkeleton rows={3} />
      ) : list.data.items.length === 0 ? (
        <EmptyState title={kind || status ? 'No evidence matches' : 'No evidence yet'} testId="evidence-empty">
          {kind || status
            ? 'Change the filters to see more.'
            : 'Reports, certificates, plans and policies uploaded here are kept with every revision, checked against their SHA-256 on download, and reminded before they expire.'}
        </EmptyState>
      ) : (
        // Contract documents (kind `contract`) are changed only by those who write contracts.
        list.data.items.map((e) => <EvidenceCard key={e.id} evidence={e} canWrite={canWrite && canWriteEvidenceKind(role, e.kind)} />)
      )}
    </Stack>
  );
}

function EvidenceCard({ evidence: e, canWrite }: { evidence: EvidenceView; canWrite: boolean }) {
  const [revOpen, rev] = useDisclosure(false);
  return (
    <Paper withBorder p="md" radius="md" data-testid="evidence-item" data-evidence-id={e.id}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Stack gap={2}>
          <Title order={3} size="h5" data-testid="evidence-title-text">
            {e.title}
          </Title>
          <Text size="sm" c="dimmed">
            {KIND_LABELS[e.kind]} ·{' '}
            {e.confidentiality === 'confidential' ? 'Confidential' : e.confidentiality === 'restricted' ? 'Restricted' : 'Public'}
            {e.owner ? ` · owner ${e.owner.name}` : ''}
          </Text>
        </Stack>
        <Group gap="xs">
          <ExpiryBadge evidence={e} />
          <IntegrityBadge integrity={e.integrity} />
        </Group>
      </Group>
      <Text size="sm" mt="xs" data-testid="evidence-validity">
        {e.current.validFrom || e.current.validUntil
          ? `Valid ${e.current.validFrom ? `from ${formatDate(e.current.validFrom)} ` : ''}${e.current.validUntil ? `until ${formatDate(e.current.validUntil)}` : '(no end date)'}`
          : 'No validity period given'}
        {e.current.effectiveDate ? ` · effective ${formatDate(e.current.effectiveDate)}` : ''}
      </Text>
      <Table.ScrollContainer minWidth={640} mt="sm">
        <Table verticalSpacing={6} data-testid="evidence-revisions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Revision</Table.Th>
              <Table.Th>File</Table.Th>
              <Table.Th>Size</Table.Th>
              <Table.Th>Scan</Table.Th>
              <Table.Th>Uploaded</Table.Th>
              <Table.Th>
                <VisuallyHidden>Download</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {e.revisions.map((r) => (
              <Table.Tr key={r.id} data-testid="evidence-revision" data-superseded={r.superseded}>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Text size="sm">#{r.number}</Text>
                    {r.superseded ? (
                      <Badge size="xs" color="gray" variant="light">
                        superseded
                      </Badge>
                    ) : (
                      <Badge size="xs" variant="light">
                        current
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>
                  <Text size="sm" fw={500}>
                    {r.fileName}
                  </Text>
                  <Text size="xs" c="dimmed" className="mono" title={`SHA-256 ${r.sha256}`}>
                    {r.mediaType} · {r.sha256.slice(0, 12)}…
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatBytes(r.sizeBytes)}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <ScanBadge scan={r.scan} />
                    <IntegrityBadge integrity={r.integrity} />
                  </Group>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm">{formatDateTime(r.uploadedAt)}</Text>
                  {r.uploadedBy && (
                    <Text size="xs" c="dimmed">
                      by {r.uploadedBy.name}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Anchor
                    href={evidenceDownloadUrl(e.id, r.id)}
                    download={r.fileName}
                    aria-label={`Download ${r.fileName} (revision ${r.number})`}
                    data-testid="evidence-download"
                  >
                    Download
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Links evidence={e} canWrite={canWrite} />
      {canWrite && (
        <>
          <Button size="xs" variant="subtle" mt="xs" onClick={rev.toggle} aria-expanded={revOpen} data-testid="revision-upload-toggle">
            {revOpen ? 'Cancel new revision' : 'Upload a new revision'}
          </Button>
          <Collapse expanded={revOpen}>
            <Paper withBorder p="sm" radius="md" mt="xs">
              <RevisionUploadForm evidence={e} onDone={rev.close} />
            </Paper>
          </Collapse>
        </>
      )}
    </Paper>
  );
}

/** What the evidence is linked to (contracts now), with link and unlink for writers. */
function Links({ evidence: e, canWrite }: { evidence: EvidenceView; canWrite: boolean }) {
  const contracts = useContracts({ vendorId: e.vendorId, pageSize: 100 }, canWrite);
  const link = useLinkEvidence(e.id);
  const unlink = useUnlinkEvidence(e.id);
  const [target, setTarget] = useState('');
  const linkedIds = new Set(e.links.filter((l) => l.revisionId === e.current.id).map((l) => l.targetId));
  const options = (contracts.data?.items ?? []).filter((c) => !linkedIds.has(c.id));
  return (
    <Stack gap={4} mt="sm" data-testid="evidence-links">
      <Text size="sm" fw={500}>
        Linked to
      </Text>
      {e.links.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="evidence-links-empty">
          Not linked to anything yet. Upload once, link many: the same file can serve several contracts and requests.
        </Text>
      ) : (
        <Group gap="xs">
          {e.links.map((l) => (
            <Badge
              key={l.id}
              variant="outline"
              size="lg"
              data-testid="evidence-link"
              rightSection={
                canWrite ? (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    aria-label={`Unlink ${l.targetLabel}`}
                    onClick={() => unlink.mutate(l.id, { onError: (err) => notifyError(err, 'Could not unlink') })}
                  >
                    ×
                  </Button>
                ) : undefined
              }
            >
              {l.targetType === 'contract' ? 'Contract' : l.targetType}: {l.targetLabel}
              {e.revisions.length > 1 ? ` (rev. ${e.revisions.find((r) => r.id === l.revisionId)?.number ?? '?'})` : ''}
            </Badge>
          ))}
        </Group>
      )}
      {canWrite && options.length > 0 && (
        <Group gap="xs" align="flex-end">
          <NativeSelect
            label="Link the current revision to a contract"
            size="xs"
            value={target}
            onChange={(ev) => setTarget(ev.currentTarget.value)}
            data={[{ value: '', label: 'Choose a contract…' }, ...options.map((c) => ({ value: c.id, label: c.title }))]}
            data-testid="evidence-link-target"
          />
          <Button
            size="xs"
            disabled={!target}
            loading={link.isPending}
            data-testid="evidence-link-submit"
            onClick={() =>
              link.mutate(
                { targetType: 'contract', targetId: target },
                { onSuccess: () => setTarget(''), onError: (err) => notifyError(err, 'Could not link') },
              )
            }
          >
            Link
          </Button>
        </Group>
      )}
      {link.isError && (
        <Text size="xs" c="red" role="alert">
          {errorMessage(link.error)}
        </Text>
      )}
    </Stack>
  );
}
