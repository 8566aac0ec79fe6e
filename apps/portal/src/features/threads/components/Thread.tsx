import { Anchor, Badge, Button, Group, Loader, MultiSelect, Paper, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';

import { can, threadCommentSchema, type ThreadAudience, type ThreadCommentView, type ThreadView } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { ErrorAlert, FormErrorAlert } from '../../../shared/components/feedback';
import { formatDateTime } from '../../../shared/lib/format';
import { fieldBinder, pickError, useFieldErrors, validateBody } from '../../../shared/lib/forms';
import { notifySuccess } from '../../../shared/lib/notify';
import { EvidencePicker } from '../../evidence/components/EvidencePicker';
import { EvidenceRef } from '../../evidence/components/EvidenceRef';
import { usePostComment, useThread, useThreadPeople } from '../api/threads';

const AUDIENCE_LABEL: Record<ThreadAudience, string> = { vendor: 'Visible to the vendor', internal: 'Internal note' };

export interface ThreadProps {
  targetType: string;
  targetId: string;
  title?: string;
  /** Under the title: what this thread is for. */
  description?: ReactNode;
  /** Shown when there is no comment yet (after "No comments yet."). */
  emptyHint?: string;
  /** The submit button's label for the vendor's contacts (e.g. "Dispute the breach"). */
  vendorSubmitLabel?: string;
  /** Offer a field for web links (one http(s) URL per line). */
  withLinks?: boolean;
  /** After a comment is posted (e.g. refresh the target: a breach disputed by it). */
  onPosted?: () => Promise<unknown> | void;
}

/**
 * A comment thread on any workflow object (`GET /api/threads/:targetType/:targetId`): the comments the user may
 * see, oldest first, and a composer. Internal users choose the audience ("Visible to the vendor" / "Internal
 * note"); vendor contacts only ever see and write comments visible to the vendor (enforced by the API).
 */
export function Thread({
  targetType,
  targetId,
  title = 'Comments',
  description,
  emptyHint,
  vendorSubmitLabel,
  withLinks,
  onPosted,
}: ThreadProps) {
  const thread = useThread(targetType, targetId);
  return (
    <Paper withBorder p="lg" radius="md" data-testid="thread" data-target-type={targetType}>
      <Title order={3} size="h4" mb={description ? 4 : 'sm'}>
        {title}
      </Title>
      {description && (
        <Text size="sm" c="dimmed" mb="sm">
          {description}
        </Text>
      )}
      {thread.isPending ? (
        <Loader size="sm" aria-label="Loading comments" />
      ) : thread.isError ? (
        <ErrorAlert error={thread.error} onRetry={() => void thread.refetch()} />
      ) : (
        <ThreadBody
          thread={thread.data}
          emptyHint={emptyHint}
          vendorSubmitLabel={vendorSubmitLabel}
          withLinks={withLinks}
          onPosted={onPosted}
        />
      )}
    </Paper>
  );
}

function ThreadBody({
  thread: th,
  emptyHint,
  vendorSubmitLabel,
  withLinks,
  onPosted,
}: { thread: ThreadView } & Pick<ThreadProps, 'emptyHint' | 'vendorSubmitLabel' | 'withLinks' | 'onPosted'>) {
  const user = useCurrentUser();
  const vendor = user.role === 'vendor_contact';
  return (
    <Stack gap="sm">
      {th.comments.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="thread-empty">
          No comments yet.{emptyHint ? ` ${emptyHint}` : ''}
        </Text>
      ) : (
        <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Comments, oldest first">
          {th.comments.map((c) => (
            <Comment key={c.id} comment={c} showAudience={!vendor} />
          ))}
        </Stack>
      )}
      {th.closedReason ? (
        <Text size="sm" c="dimmed" data-testid="thread-closed">
          {th.closedReason}
        </Text>
      ) : (
        th.canPost &&
        can(user.role, 'thread.comment') && (
          <Composer
            thread={th}
            vendor={vendor}
            submitLabel={vendor && vendorSubmitLabel ? vendorSubmitLabel : undefined}
            withLinks={withLinks}
            onPosted={onPosted}
          />
        )
      )}
    </Stack>
  );
}

function Comment({ comment: c, showAudience }: { comment: ThreadCommentView; showAudience: boolean }) {
  const user = useCurrentUser();
  const internal = c.audience === 'internal';
  return (
    <Paper
      component="li"
      withBorder
      p="sm"
      radius="sm"
      bg={
        internal
          ? 'var(--mantine-color-yellow-0)'
          : c.authorSide === 'vendor'
            ? 'var(--mantine-color-orange-0)'
            : 'var(--mantine-color-blue-0)'
      }
      data-testid="thread-comment"
      data-audience={c.audience}
      data-side={c.authorSide}
    >
      <Group justify="space-between" mb={4} wrap="nowrap">
        <Group gap={6}>
          <Badge size="sm" variant="light" color={c.authorSide === 'vendor' ? 'orange' : 'blue'}>
            {c.authorSide === 'vendor' ? 'Vendor' : user.organizationName}
          </Badge>
          <Text size="sm" fw={600}>
            {c.authorName ?? 'Former user'}
          </Text>
          {showAudience && (
            <Badge
              size="sm"
              variant={internal ? 'filled' : 'outline'}
              color={internal ? 'yellow' : 'gray'}
              data-testid="thread-comment-audience"
            >
              {AUDIENCE_LABEL[c.audience]}
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {formatDateTime(c.createdAt)}
        </Text>
      </Group>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="thread-comment-body">
        {c.body}
      </Text>
      {c.mentions.length > 0 && (
        <Text size="xs" c="dimmed" mt={4} data-testid="thread-comment-mentions">
          Mentioned: {c.mentions.map((m) => `@${m.name ?? 'former user'}`).join(', ')}
        </Text>
      )}
      {c.evidenceIds.length > 0 && (
        <Stack gap={0} mt={4} data-testid="thread-comment-evidence">
          {c.evidenceIds.map((id) => (
            <EvidenceRef key={id} id={id} />
          ))}
        </Stack>
      )}
      {c.links.length > 0 && (
        <Stack gap={0} mt={4}>
          {c.links.map((l) => (
            <Anchor key={l} href={l} target="_blank" rel="noopener noreferrer" size="sm" data-testid="thread-comment-link">
              {l}
            </Anchor>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

function Composer({
  thread: th,
  vendor,
  submitLabel,
  withLinks,
  onPosted,
}: { thread: ThreadView; vendor: boolean; submitLabel?: string } & Pick<ThreadProps, 'withLinks' | 'onPosted'>) {
  const user = useCurrentUser();
  // Internal users start on the internal note: sharing with the vendor is a deliberate choice.
  const [audience, setAudience] = useState<ThreadAudience>(th.audiences.includes('internal') ? 'internal' : 'vendor');
  const [body, setBody] = useState('');
  const [mentions, setMentions] = useState<string[]>([]);
  const [links, setLinks] = useState('');
  const [evidence, setEvidence] = useState<string[]>([]);
  const people = useThreadPeople(th.targetType, th.targetId, audience, true);
  const post = usePostComment(th.targetType, th.targetId, onPosted);
  const { errors, clientErrors, check } = useFieldErrors(post.error);
  const field = fieldBinder(errors);
  const options = (people.data ?? [])
    .filter((p) => p.id !== user.id)
    .map((p) => ({ value: p.id, label: p.side === 'vendor' ? `${p.name} (vendor)` : p.name }));

  const chooseAudience = (value: string) => {
    setAudience(value as ThreadAudience);
    // Nobody who cannot read an internal note stays mentioned in one.
    if (value === 'internal') setMentions((ms) => ms.filter((id) => people.data?.some((p) => p.id === id && p.side === 'customer')));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const linkList = links
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const v = validateBody(threadCommentSchema, {
      body,
      audience,
      mentions,
      evidenceIds: evidence,
      ...(withLinks ? { links: linkList } : {}),
    });
    if (!check(v)) return;
    post.mutate(v.body, {
      onSuccess: () => {
        setBody('');
        setMentions([]);
        setLinks('');
        setEvidence([]);
        notifySuccess(audience === 'internal' ? 'Your internal note was added.' : 'Your comment was added.', 'Comment added');
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate data-testid="thread-form">
      <Stack gap="sm" mt="xs">
        {th.audiences.length > 1 && (
          <Stack gap={4}>
            <Text size="sm" fw={500} id={`thread-audience-${th.targetId}`}>
              Who sees it
            </Text>
            <SegmentedControl
              aria-labelledby={`thread-audience-${th.targetId}`}
              value={audience}
              onChange={chooseAudience}
              data={th.audiences.map((a) => ({ value: a, label: AUDIENCE_LABEL[a] }))}
              data-testid="thread-audience"
              maw={420}
            />
          </Stack>
        )}
        <Textarea
          label={audience === 'internal' ? 'Internal note' : 'Comment'}
          description={
            vendor
              ? `${user.organizationName} and your colleagues see it.`
              : audience === 'internal'
                ? `Only people of ${user.organizationName} see it, never the vendor.`
                : 'The vendor’s contacts see it and are told.'
          }
          required
          autosize
          minRows={3}
          {...field('body', body, setBody, 'thread-body')}
        />
        <MultiSelect
          label="Mention"
          description="People who can read this comment; each is told once."
          placeholder={mentions.length ? undefined : 'Type a name'}
          searchable
          clearable
          data={options}
          value={mentions}
          onChange={setMentions}
          nothingFoundMessage="Nobody by that name can read this comment"
          error={pickError(errors, 'mentions')}
          data-testid="thread-mentions"
          maw={520}
        />
        {th.vendorId && (
          <EvidencePicker
            vendorId={th.vendorId}
            label="Attach evidence"
            description="Items of the vendor's evidence library; whoever reads the comment can download them."
            value={evidence}
            onChange={setEvidence}
            error={pickError(errors, 'evidenceIds')}
            testId="thread-evidence"
            max={10}
          />
        )}
        {withLinks && (
          <Textarea
            label="Links"
            description="One http(s) URL per line (status pages, incident reports, your monitoring)"
            autosize
            minRows={2}
            {...field('links', links, setLinks, 'thread-links')}
          />
        )}
        <FormErrorAlert
          clientErrors={clientErrors}
          error={post.error}
          shownFields={['body', 'mentions', 'links', 'audience', 'evidenceIds']}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={post.isPending} data-testid="thread-submit">
            {submitLabel ?? (vendor ? 'Add comment' : audience === 'internal' ? 'Add internal note' : 'Send to the vendor')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
