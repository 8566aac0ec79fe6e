import {
  Alert,
  Anchor,
  Button,
  Code,
  CopyButton,
  Group,
  Input,
  Paper,
  Progress,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { Link } from 'react-router';

import type { ContractDocumentView } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { errorMessage, isApiError } from '../../../shared/api/client';
import { EmptyState, ErrorAlert, TableSkeleton } from '../../../shared/components/feedback';
import { formatBytes, formatDateTime } from '../../../shared/lib/format';
import { notifySuccess } from '../../../shared/lib/notify';
import { IntegrityBadge, ScanBadge } from '../../evidence/components/evidenceLabels';
import { documentDownloadUrl, useContractDocuments, useUploadContractDocument } from '../api/documents';

/** What the vault accepts, judged by content on the server; the picker only suggests. */
const ACCEPT = '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx,.zip,.txt,.csv';

/** First and last characters of a hex digest: enough to compare by eye. */
function shortHash(sha256: string): string {
  return sha256.length > 16 ? `${sha256.slice(0, 10)}…${sha256.slice(-6)}` : sha256;
}

/** The upload failure in words: too large, empty, refused type and infected files get their own titles. */
function uploadErrorTitle(error: unknown): string {
  if (isApiError(error)) {
    if (error.status === 413) return 'File too large';
    if (error.status === 400 && error.code === 'file.empty') return 'Empty file';
    if (error.code === 'evidence.type_not_allowed') return 'File type not accepted';
    if (error.code === 'evidence.infected') return 'File refused by the malware scanner';
  }
  return 'Could not upload the file';
}

/**
 * Contract documents: evidence of kind "contract" linked to the contract, listed with their integrity hash and
 * download link; admin / procurement upload. They are also in the vendor's evidence library.
 */
export function ContractDocumentsSection({
  contractId,
  vendorId,
  canUpload,
}: {
  contractId: string;
  vendorId: string;
  canUpload: boolean;
}) {
  const docs = useContractDocuments(contractId);
  const { role } = useCurrentUser();
  const library = role === 'vendor_contact' ? '/vendor-home/evidence' : `/vendors/${encodeURIComponent(vendorId)}/evidence`;
  return (
    <Paper
      withBorder
      p="lg"
      radius="md"
      mb="lg"
      component="section"
      aria-labelledby="contract-documents-heading"
      data-testid="contract-documents"
    >
      <Title order={3} size="h4" mb="xs" id="contract-documents-heading">
        Documents
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Signed copies and annexes, kept as contract evidence in the vendor&apos;s{' '}
        <Anchor component={Link} to={library} size="sm" data-testid="documents-library-link">
          evidence library
        </Anchor>
        . Files are judged by their content, stored with their SHA-256 and checked against it before every download.
      </Text>
      {canUpload && <UploadForm contractId={contractId} />}
      {docs.isError && !docs.data ? (
        <ErrorAlert error={docs.error} title="Could not load the documents" onRetry={() => void docs.refetch()} />
      ) : !docs.data ? (
        <TableSkeleton rows={2} />
      ) : docs.data.length === 0 ? (
        <EmptyState title="No documents yet" testId="documents-empty">
          {canUpload
            ? 'Upload the signed contract and its annexes to keep them with the record.'
            : 'Procurement has not attached any file to this contract.'}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="sm" data-testid="document-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Document</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Size</Table.Th>
                <Table.Th>SHA-256</Table.Th>
                <Table.Th>Uploaded</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Download</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {docs.data.map((d) => (
                <DocumentRow key={d.id} contractId={contractId} doc={d} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

function DocumentRow({ contractId, doc: d }: { contractId: string; doc: ContractDocumentView }) {
  return (
    <Table.Tr data-testid="document-row" data-document-id={d.id}>
      <Table.Td style={{ overflowWrap: 'anywhere' }}>
        <Text size="sm" fw={600} data-testid="document-title">
          {d.title}
        </Text>
        <Text size="xs" c="dimmed" data-testid="document-name">
          {d.fileName}
        </Text>
        <Group gap={4} mt={2}>
          <ScanBadge scan={d.scan} />
          <IntegrityBadge integrity={d.integrity} />
        </Group>
      </Table.Td>
      <Table.Td data-testid="document-type">
        <Text size="xs" className="mono">
          {d.contentType}
        </Text>
      </Table.Td>
      <Table.Td data-testid="document-size" title={`${d.sizeBytes.toLocaleString()} bytes`} style={{ whiteSpace: 'nowrap' }}>
        {formatBytes(d.sizeBytes)}
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Tooltip label={d.sha256} multiline w={300} withArrow style={{ overflowWrap: 'anywhere' }}>
            <Code data-testid="document-sha256" data-sha256={d.sha256} title={d.sha256} aria-label={`SHA-256 ${d.sha256}`} tabIndex={0}>
              {shortHash(d.sha256)}
            </Code>
          </Tooltip>
          <CopyButton value={d.sha256}>
            {({ copied, copy }) => (
              <Button
                size="compact-xs"
                variant={copied ? 'filled' : 'light'}
                color={copied ? 'teal' : undefined}
                onClick={copy}
                aria-label={`Copy the SHA-256 of ${d.fileName}`}
                data-testid="document-sha256-copy"
              >
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Table.Td>
      <Table.Td data-testid="document-uploaded-at" style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm">{formatDateTime(d.uploadedAt)}</Text>
        {d.uploadedBy && (
          <Text size="xs" c="dimmed" data-testid="document-uploaded-by">
            by {d.uploadedBy.name}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Anchor
          href={documentDownloadUrl(contractId, d.id)}
          download={d.fileName}
          aria-label={`Download ${d.fileName}`}
          data-testid="document-download"
        >
          Download
        </Anchor>
      </Table.Td>
    </Table.Tr>
  );
}

function UploadForm({ contractId }: { contractId: string }) {
  const upload = useUploadContractDocument(contractId);
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [clientError, setClientError] = useState<string | null>(null);

  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    upload.reset();
    setClientError(null);
    setFile(e.currentTarget.files?.[0] ?? null);
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const chosen = file ?? input.current?.files?.[0] ?? null;
    if (!chosen) {
      setClientError('Choose a file to upload.');
      return;
    }
    setClientError(null);
    setFile(chosen);
    upload.mutate(chosen, {
      onSuccess: (doc) => {
        notifySuccess(`${doc.fileName} (${formatBytes(doc.sizeBytes)}) was added to the contract.`, 'Document uploaded');
        setFile(null);
        if (input.current) input.current.value = '';
      },
    });
  };

  return (
    <form onSubmit={onSubmit} noValidate data-testid="document-upload-form" aria-busy={upload.isPending}>
      <Stack gap="xs" mb="md">
        <Input.Wrapper
          label="Upload a document"
          description="PDF, PNG, JPEG, Word, Excel, PowerPoint, ZIP, plain text or CSV; titled after its file name."
          error={clientError ?? undefined}
        >
          <Group gap="sm" mt={4} wrap="wrap">
            <input
              ref={input}
              type="file"
              accept={ACCEPT}
              onChange={onFile}
              disabled={upload.isPending}
              data-testid="document-upload-input"
              aria-label="Document file"
              style={{ maxWidth: '100%' }}
            />
            <Button type="submit" loading={upload.isPending} data-testid="document-upload-submit">
              Upload
            </Button>
          </Group>
        </Input.Wrapper>
        {upload.isPending && file && (
          <Stack gap={4} data-testid="document-upload-progress" role="status">
            <Text size="xs" c="dimmed">
              Uploading {file.name} ({formatBytes(file.size)})…
            </Text>
            <Progress value={100} animated striped size="sm" aria-label={`Uploading ${file.name}`} />
          </Stack>
        )}
        {upload.isError && (
          <Alert color="red" variant="light" title={uploadErrorTitle(upload.error)} role="alert" data-testid="document-upload-error">
            {errorMessage(upload.error)}
          </Alert>
        )}
      </Stack>
    </form>
  );
}
