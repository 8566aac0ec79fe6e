import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Code,
  Group,
  List,
  Modal,
  NativeSelect,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useBlocker, useNavigate } from 'react-router';

import { templateDocumentSchema, validateForPublish, type TemplateDetail, type TemplateQuestion } from '@bulwark/api-schema';

import { errorMessage, isApiError } from '../../../shared/api/client';
import { notifySuccess } from '../../../shared/lib/notify';
import { usePublishTemplate, useSaveTemplateDraft } from '../api/templates';
import {
  errorsUnder,
  keyFromText,
  keyProblem,
  mapIssues,
  moveItem,
  moveQuestionTo,
  newId,
  stepQuestion,
  toDocument,
  toDraft,
  uniqueKey,
  YES_NO_OPTIONS,
  type BuilderDraft,
  type FieldErrors,
  type MappedErrors,
  type SectionDraft,
} from '../lib/builder';
import { ConditionEditor } from './ConditionEditor';
import { ControlSuggestions, QuestionEditor, QuestionSummary } from './QuestionEditor';
import { VendorPreview } from './VendorPreview';

const EMPTY: MappedErrors = { document: {}, sections: {}, questions: {} };

function merge(...all: MappedErrors[]): MappedErrors {
  const out: MappedErrors = { document: {}, sections: {}, questions: {} };
  const into = (a: FieldErrors, b: FieldErrors) => {
    for (const [f, m] of Object.entries(b)) a[f] = [...new Set([...(a[f] ?? []), ...m])];
  };
  for (const e of all) {
    into(out.document, e.document);
    for (const [id, f] of Object.entries(e.sections)) into((out.sections[id] ??= {}), f);
    for (const [id, f] of Object.entries(e.questions)) into((out.questions[id] ??= {}), f);
  }
  return out;
}

const idsOf = (d: BuilderDraft) => ({
  sections: d.sections.map((s) => s.id),
  questions: d.sections.map((s) => s.questions.map((q) => q.id)),
});

/** A problem as a line: its path (as the API names it) and message. */
function ProblemList({ problems, testId }: { problems: { path: string; message: string }[]; testId: string }) {
  return (
    <List size="sm" spacing={2}>
      {problems.slice(0, 30).map((p, i) => (
        <List.Item key={i} data-testid={testId} data-path={p.path}>
          <Code>{p.path}</Code> {p.message}
        </List.Item>
      ))}
    </List>
  );
}

/**
 * The builder of a draft version: the document's name and description, its sections and questions (added,
 * edited, moved with buttons, removed), each question's options, condition and control mappings, a live
 * preview as the vendor, saving the whole document (`PUT`, with the revision it loaded) and publishing.
 * Errors, from the client's own check or from the API, are shown next to the field they name.
 */
export function TemplateBuilder({
  t,
  onReload,
}: {
  t: TemplateDetail;
  /** Loads the draft as stored again (after a 409). */ onReload: () => void;
}) {
  const version = t.current.version;
  const [draft, setDraft] = useState<BuilderDraft>(() => toDraft(t.current.content));
  const [saved, setSaved] = useState(() => JSON.stringify(toDocument(toDraft(t.current.content))));
  const [revision, setRevision] = useState(t.current.revision);
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const [view, setView] = useState<'edit' | 'preview'>('edit');
  const [serverErrors, setServerErrors] = useState<MappedErrors>(EMPTY);
  const [refusal, setRefusal] = useState<{
    title: string;
    message: string;
    problems: { path: string; message: string }[];
    stale?: boolean;
  } | null>(null);
  const [showClientErrors, setShowClientErrors] = useState(false);
  const [confirmPublish, setConfirmPublish] = useState(false);
  const save = useSaveTemplateDraft(t.id);
  const publish = usePublishTemplate(t.id);
  const navigate = useNavigate();

  const doc = useMemo(() => toDocument(draft), [draft]);
  const json = useMemo(() => JSON.stringify(doc), [doc]);
  const dirty = json !== saved;
  const parsed = useMemo(() => templateDocumentSchema.safeParse(doc), [doc]);
  const schemaIssues = useMemo(
    () => (parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))),
    [parsed],
  );
  const publishProblems = useMemo(() => (parsed.success ? validateForPublish(parsed.data) : []), [parsed]);
  const ids = idsOf(draft);
  // Client checks: the schema's (shown once a save was tried, or as soon as a field is wrong for keys), and
  // what would refuse publishing (missing keys, cycles, duplicates), live.
  const clientErrors = useMemo(
    () =>
      merge(mapIssues(showClientErrors ? schemaIssues : [], ids.sections, ids.questions), {
        ...mapIssues(
          publishProblems.filter((p) => p.code !== 'duplicate_key'),
          ids.sections,
          ids.questions,
        ),
        document: {},
      }),
    [schemaIssues, publishProblems, showClientErrors, draft],
  );
  const errors = merge(clientErrors, serverErrors);

  // Leaving with unsaved changes asks first (in the app, and when the tab closes).
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const update = (f: (d: BuilderDraft) => BuilderDraft) => {
    setDraft((d) => f(d));
    setServerErrors(EMPTY);
  };
  const setSection = (id: string, f: (s: SectionDraft) => SectionDraft) =>
    update((d) => ({ ...d, sections: d.sections.map((s) => (s.id === id ? f(s) : s)) }));
  const allQuestionKeys = (except?: string) =>
    draft.sections.flatMap((s) => s.questions.filter((x) => x.id !== except).map((x) => x.q.key));
  const allSectionKeys = (except?: string) => draft.sections.filter((s) => s.id !== except).map((s) => s.section.key);

  const addSection = () => {
    const id = newId('s');
    update((d) => {
      const n = d.sections.length + 1;
      const title = `Section ${n}`;
      return {
        ...d,
        sections: [
          ...d.sections,
          {
            id,
            autoKey: true,
            section: {
              key: uniqueKey(
                keyFromText(title, 'section'),
                d.sections.map((s) => s.section.key),
              ),
              title,
            },
            questions: [],
          },
        ],
      };
    });
    focusLater(`[data-builder-id="${id}"] [data-testid="builder-section-title"]`);
  };

  const addQuestion = (sectionId: string) => {
    const id = newId('q');
    update((d) => {
      const taken = d.sections.flatMap((s) => s.questions.map((x) => x.q.key));
      const q: TemplateQuestion = {
        key: uniqueKey('question', taken),
        type: 'yes_no',
        text: '',
        required: false,
        weight: 1,
        options: YES_NO_OPTIONS.map((o) => ({ ...o })),
        controls: [],
      };
      return {
        ...d,
        sections: d.sections.map((s) => (s.id === sectionId ? { ...s, questions: [...s.questions, { id, autoKey: true, q }] } : s)),
      };
    });
    setOpen((o) => new Set(o).add(id));
    focusLater(`[data-builder-id="${id}"] textarea[data-testid="builder-question-text"]`);
  };

  const locate = (qid: string) => {
    for (const [si, s] of draft.sections.entries()) {
      const qi = s.questions.findIndex((x) => x.id === qid);
      if (qi >= 0) return { section: si, question: qi };
    }
    return null;
  };
  const stepQ = (qid: string, dir: -1 | 1) => {
    const at = locate(qid);
    const moved = at && stepQuestion(draft.sections, at, dir);
    if (!moved) return;
    update((d) => ({ ...d, sections: moved.sections }));
    focusLater(
      `[data-builder-id="${qid}"] [data-testid="builder-question-${dir === -1 ? 'up' : 'down'}"]`,
      `[data-builder-id="${qid}"] [data-testid="builder-question-toggle"]`,
    );
  };
  const moveQTo = (qid: string, sectionId: string) => {
    const at = locate(qid);
    const to = draft.sections.findIndex((s) => s.id === sectionId);
    const moved = at && moveQuestionTo(draft.sections, at, to);
    if (moved) update((d) => ({ ...d, sections: moved.sections }));
  };
  const stepS = (sid: string, dir: -1 | 1) => {
    const i = draft.sections.findIndex((s) => s.id === sid);
    update((d) => ({ ...d, sections: moveItem(d.sections, i, i + dir) }));
    focusLater(
      `[data-builder-id="${sid}"] [data-testid="builder-section-${dir === -1 ? 'up' : 'down'}"]`,
      `[data-builder-id="${sid}"] [data-testid="builder-section-title"]`,
    );
  };

  /** Saves the whole document; answers the new revision, or null when nothing was saved (errors shown). */
  const doSave = async (): Promise<number | null> => {
    if (!parsed.success) {
      setShowClientErrors(true);
      setRefusal({
        title: 'Not saved',
        message: `${schemaIssues.length} field${schemaIssues.length === 1 ? '' : 's'} to fix first (marked below).`,
        problems: schemaIssues,
      });
      return null;
    }
    const sent = idsOf(draft);
    try {
      const x = await save.mutateAsync({ version, revision, content: parsed.data });
      setRevision(x.current.revision);
      setSaved(json);
      setServerErrors(EMPTY);
      setRefusal(null);
      setShowClientErrors(false);
      return x.current.revision;
    } catch (e) {
      const fields = isApiError(e) ? e.fields : [];
      setServerErrors(mapIssues(fields, sent.sections, sent.questions));
      setRefusal({
        title: isApiError(e) && e.status === 409 ? 'Not saved: someone else saved this draft' : 'Not saved',
        message: errorMessage(e),
        problems: fields,
        stale: isApiError(e) && e.status === 409,
      });
      return null;
    }
  };

  const doPublish = async () => {
    setConfirmPublish(false);
    const rev = dirty ? await doSave() : revision;
    if (rev === null) return;
    const sent = idsOf(draft);
    try {
      const x = await publish.mutateAsync({ version, revision: rev });
      setSaved(json);
      notifySuccess(`Version ${version} is published and frozen (${x.current.contentHash.slice(0, 12)}…).`, 'Published');
      void navigate(`/questionnaires/${t.id}`);
    } catch (e) {
      const fields = isApiError(e) ? e.fields : [];
      setServerErrors(mapIssues(fields, sent.sections, sent.questions));
      setRefusal({ title: 'Not published', message: errorMessage(e), problems: fields });
    }
  };

  let n = 0;
  return (
    <Stack gap="md" data-testid="template-builder" data-dirty={dirty} data-revision={revision}>
      <ControlSuggestions />
      <Paper
        withBorder
        p="sm"
        radius="md"
        // Sticky while editing (the preview has its own sticky progress bar).
        style={view === 'edit' ? { position: 'sticky', top: 60, zIndex: 3, background: 'var(--mantine-color-body)' } : undefined}
        data-testid="builder-toolbar"
      >
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Group gap="sm">
            <SegmentedControl
              value={view}
              onChange={(x) => setView(x as 'edit' | 'preview')}
              data={[
                { value: 'edit', label: 'Edit' },
                { value: 'preview', label: 'Preview as the vendor' },
              ]}
              data-testid="builder-view"
            />
            {dirty ? (
              <Badge color="orange" variant="light" data-testid="builder-dirty">
                Unsaved changes
              </Badge>
            ) : (
              <Badge color="teal" variant="light" data-testid="builder-saved">
                Saved · revision {revision}
              </Badge>
            )}
            {publishProblems.length > 0 && (
              <Tooltip label="Publishing is refused until these are fixed (listed below)" withArrow>
                <Badge color="red" variant="light" data-testid="builder-problem-count">
                  {publishProblems.length} problem{publishProblems.length === 1 ? '' : 's'} to fix before publishing
                </Badge>
              </Tooltip>
            )}
          </Group>
          <Group gap="sm">
            <Button variant="default" onClick={() => void doSave()} loading={save.isPending} disabled={!dirty} data-testid="builder-save">
              Save draft
            </Button>
            <Button onClick={() => setConfirmPublish(true)} loading={publish.isPending} data-testid="builder-publish">
              Publish version {version}…
            </Button>
          </Group>
        </Group>
      </Paper>

      {refusal && (
        <Alert
          color="red"
          variant="light"
          title={refusal.title}
          withCloseButton
          onClose={() => setRefusal(null)}
          data-testid="builder-refusal"
        >
          <Text size="sm" mb={refusal.problems.length ? 'xs' : 0}>
            {refusal.message}
          </Text>
          <ProblemList problems={refusal.problems} testId="builder-refusal-problem" />
          {refusal.stale && (
            <Button size="compact-sm" color="red" variant="light" mt="xs" onClick={onReload} data-testid="builder-reload">
              Load the saved draft (your changes here are dropped)
            </Button>
          )}
        </Alert>
      )}
      {publishProblems.length > 0 && view === 'edit' && !refusal?.problems.length && (
        <Alert color="orange" variant="light" title="To fix before publishing" data-testid="builder-problems">
          <ProblemList problems={publishProblems} testId="builder-problem" />
        </Alert>
      )}

      {view === 'preview' ? (
        parsed.success ? (
          <VendorPreview doc={parsed.data} />
        ) : (
          <Alert color="orange" variant="light" title="The preview needs a valid document" data-testid="builder-preview-invalid">
            <ProblemList problems={schemaIssues} testId="builder-preview-problem" />
          </Alert>
        )
      ) : (
        <>
          <Paper withBorder p="md" radius="md">
            <Stack gap="sm">
              <TextInput
                label="Template name"
                required
                value={draft.name}
                onChange={(e) => {
                  const name = e.currentTarget.value;
                  update((d) => ({ ...d, name }));
                }}
                error={errors.document['name']?.join(' · ')}
                data-testid="builder-name"
              />
              <Textarea
                label="Description"
                autosize
                minRows={1}
                value={draft.description}
                onChange={(e) => {
                  const description = e.currentTarget.value;
                  update((d) => ({ ...d, description }));
                }}
                error={errors.document['description']?.join(' · ')}
                data-testid="builder-description"
              />
            </Stack>
          </Paper>
          {draft.sections.length === 0 && (
            <Paper withBorder p="lg" radius="md" data-testid="builder-empty">
              <Text c="dimmed" size="sm">
                No sections yet. Add a section, then its questions.
              </Text>
            </Paper>
          )}
          {draft.sections.map((s, si) => {
            const sErrors = errors.sections[s.id];
            const keyErr = keyProblem(s.section.key, allSectionKeys(s.id));
            const sectionOpen = open.has(s.id);
            return (
              <Paper
                key={s.id}
                withBorder
                p="md"
                radius="md"
                data-testid="builder-section"
                data-builder-id={s.id}
                data-section-key={s.section.key}
                aria-label={`Section ${si + 1}: ${s.section.title}`}
                component="section"
              >
                <Stack gap="sm">
                  <Group justify="space-between" align="flex-end" wrap="wrap" gap="xs">
                    <Group gap="xs" align="flex-start" wrap="wrap" style={{ flex: 1, minWidth: 300 }}>
                      <TextInput
                        label={`Section ${si + 1}`}
                        value={s.section.title}
                        onChange={(e) => {
                          const title = e.currentTarget.value;
                          setSection(s.id, (x) => ({
                            ...x,
                            section: {
                              ...x.section,
                              title,
                              ...(x.autoKey ? { key: uniqueKey(keyFromText(title, 'section'), allSectionKeys(s.id)) } : {}),
                            },
                          }));
                        }}
                        error={sErrors?.['title']?.join(' · ')}
                        style={{ flex: 1, minWidth: 220 }}
                        data-testid="builder-section-title"
                      />
                      <TextInput
                        label="Key"
                        value={s.section.key}
                        onChange={(e) => {
                          const key = e.currentTarget.value.trim();
                          setSection(s.id, (x) => ({ ...x, autoKey: false, section: { ...x.section, key } }));
                        }}
                        error={[...(keyErr ? [keyErr] : []), ...(sErrors?.['key'] ?? [])].join(' · ') || undefined}
                        w={200}
                        data-testid="builder-section-key"
                      />
                    </Group>
                    <Group gap={4} wrap="nowrap" mb={4}>
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        onClick={() => setOpen((o) => (o.has(s.id) ? new Set([...o].filter((x) => x !== s.id)) : new Set(o).add(s.id)))}
                        aria-expanded={sectionOpen}
                        data-testid="builder-section-more"
                      >
                        {sectionOpen ? 'Less' : 'Description, condition'}
                      </Button>
                      <ActionIcon
                        variant="default"
                        disabled={si === 0}
                        onClick={() => stepS(s.id, -1)}
                        aria-label={`Move section ${si + 1} up`}
                        data-testid="builder-section-up"
                      >
                        ↑
                      </ActionIcon>
                      <ActionIcon
                        variant="default"
                        disabled={si === draft.sections.length - 1}
                        onClick={() => stepS(s.id, 1)}
                        aria-label={`Move section ${si + 1} down`}
                        data-testid="builder-section-down"
                      >
                        ↓
                      </ActionIcon>
                      <RemoveButton
                        label={`Remove section ${si + 1}`}
                        confirm={
                          s.questions.length
                            ? `Remove the section “${s.section.title}” and its ${s.questions.length} question${s.questions.length === 1 ? '' : 's'}?`
                            : null
                        }
                        onRemove={() => update((d) => ({ ...d, sections: d.sections.filter((x) => x.id !== s.id) }))}
                        testId="builder-section-remove"
                      />
                    </Group>
                  </Group>
                  {sectionOpen && (
                    <Stack gap="sm">
                      <Textarea
                        label="Description"
                        autosize
                        minRows={1}
                        value={s.section.description ?? ''}
                        onChange={(e) => {
                          const description = e.currentTarget.value;
                          setSection(s.id, (x) => {
                            const { description: _d, ...rest } = x.section;
                            return { ...x, section: description ? { ...rest, description } : rest };
                          });
                        }}
                        data-testid="builder-section-description"
                      />
                      <Text size="sm" fw={600}>
                        Section condition
                      </Text>
                      <ConditionEditor
                        value={s.section.showWhen}
                        onChange={(c) =>
                          setSection(s.id, (x) => {
                            const { showWhen: _w, ...rest } = x.section;
                            return { ...x, section: c ? { ...rest, showWhen: c } : rest };
                          })
                        }
                        doc={doc}
                        selfKeys={s.questions.map((x) => x.q.key)}
                        errors={errorsUnder(sErrors, 'showWhen')}
                        testId="builder-section-condition"
                      />
                    </Stack>
                  )}
                  {!sectionOpen && s.section.showWhen && (
                    <ConditionEditor
                      value={s.section.showWhen}
                      onChange={() => undefined}
                      doc={doc}
                      selfKeys={[]}
                      errors={errorsUnder(sErrors, 'showWhen')}
                      testId="builder-section-condition-summary"
                      readOnly
                    />
                  )}
                  {Object.entries(sErrors ?? {})
                    .filter(([f]) => !/^(title|key|showWhen)(\.|$)/.test(f))
                    .map(([f, m]) => (
                      <Text key={f} size="xs" c="red">
                        {f || 'section'}: {m.join(' · ')}
                      </Text>
                    ))}
                  {s.questions.length === 0 && (
                    <Text size="sm" c="dimmed" data-testid="builder-section-empty">
                      No questions in this section yet.
                    </Text>
                  )}
                  {s.questions.map((x, qi) => {
                    const number = ++n;
                    const qErrors = errors.questions[x.id];
                    const isOpen = open.has(x.id);
                    const problemCount = Object.values(qErrors ?? {}).flat().length;
                    const others = allQuestionKeys(x.id);
                    const first = si === 0 && qi === 0;
                    const last = si === draft.sections.length - 1 && qi === s.questions.length - 1;
                    return (
                      <Paper
                        key={x.id}
                        withBorder
                        radius="sm"
                        p="xs"
                        bg={isOpen ? 'var(--mantine-color-gray-0)' : undefined}
                        data-testid="builder-question"
                        data-builder-id={x.id}
                        data-question-key={x.q.key}
                        data-errors={problemCount}
                      >
                        <Stack gap="xs">
                          <Group justify="space-between" wrap="nowrap" gap="xs">
                            <Button
                              variant="subtle"
                              color="dark"
                              size="compact-sm"
                              justify="flex-start"
                              style={{ flex: 1, minWidth: 0 }}
                              styles={{ label: { minWidth: 0, width: '100%' } }}
                              onClick={() =>
                                setOpen((o) => (o.has(x.id) ? new Set([...o].filter((y) => y !== x.id)) : new Set(o).add(x.id)))
                              }
                              aria-expanded={isOpen}
                              data-testid="builder-question-toggle"
                            >
                              <QuestionSummary q={x.q} n={number} />
                            </Button>
                            {problemCount > 0 && (
                              <Badge color="red" size="sm" variant="filled" data-testid="builder-question-error-count">
                                {problemCount}
                              </Badge>
                            )}
                            <Group gap={4} wrap="nowrap">
                              <NativeSelect
                                size="xs"
                                aria-label={`Move question ${number} to section`}
                                value={s.id}
                                data={draft.sections.map((y, i) => ({ value: y.id, label: `§${i + 1} ${y.section.title}`.slice(0, 40) }))}
                                onChange={(e) => moveQTo(x.id, e.currentTarget.value)}
                                w={150}
                                data-testid="builder-question-section"
                              />
                              <ActionIcon
                                variant="default"
                                disabled={first}
                                onClick={() => stepQ(x.id, -1)}
                                aria-label={`Move question ${number} up`}
                                data-testid="builder-question-up"
                              >
                                ↑
                              </ActionIcon>
                              <ActionIcon
                                variant="default"
                                disabled={last}
                                onClick={() => stepQ(x.id, 1)}
                                aria-label={`Move question ${number} down`}
                                data-testid="builder-question-down"
                              >
                                ↓
                              </ActionIcon>
                              <RemoveButton
                                label={`Remove question ${number}`}
                                confirm={null}
                                onRemove={() =>
                                  update((d) => ({
                                    ...d,
                                    sections: d.sections.map((y) => ({ ...y, questions: y.questions.filter((z) => z.id !== x.id) })),
                                  }))
                                }
                                testId="builder-question-remove"
                              />
                            </Group>
                          </Group>
                          {isOpen && (
                            <QuestionEditor
                              q={x.q}
                              autoKey={x.autoKey}
                              onChange={(q, autoKey) =>
                                setSection(s.id, (y) => ({
                                  ...y,
                                  questions: y.questions.map((z) => (z.id === x.id ? { ...z, q, autoKey: autoKey ?? z.autoKey } : z)),
                                }))
                              }
                              doc={doc}
                              otherKeys={others}
                              keyError={keyProblem(x.q.key, others)}
                              errors={qErrors}
                              testId="builder-question"
                            />
                          )}
                          {!isOpen && problemCount > 0 && (
                            <Text size="xs" c="red" data-testid="builder-question-errors">
                              {Object.entries(qErrors ?? {})
                                .map(([f, m]) => `${f || 'question'}: ${m.join(', ')}`)
                                .join(' · ')}
                            </Text>
                          )}
                        </Stack>
                      </Paper>
                    );
                  })}
                  <Group>
                    <Button size="compact-sm" variant="light" onClick={() => addQuestion(s.id)} data-testid="builder-add-question">
                      Add a question
                    </Button>
                  </Group>
                </Stack>
              </Paper>
            );
          })}
          <Group>
            <Button variant="light" onClick={addSection} data-testid="builder-add-section">
              Add a section
            </Button>
          </Group>
          {Object.keys(errors.document).length > 0 && (
            <Alert color="red" variant="light" title="Other problems" data-testid="builder-document-errors">
              <ProblemList
                problems={Object.entries(errors.document).flatMap(([path, m]) => m.map((message) => ({ path, message })))}
                testId="builder-document-error"
              />
            </Alert>
          )}
        </>
      )}

      <Modal opened={confirmPublish} onClose={() => setConfirmPublish(false)} title={`Publish version ${version}?`} centered>
        <Stack gap="sm">
          <Text size="sm">
            Publishing <b>freezes</b> version {version}: its content is hashed and can never change again, and it can be sent to vendors.
            Later changes go into a new draft.
          </Text>
          {dirty && (
            <Text size="sm" data-testid="builder-publish-saves">
              Your unsaved changes are saved first.
            </Text>
          )}
          {publishProblems.length > 0 && (
            <Alert color="orange" variant="light" p="xs">
              <Text size="sm">
                {publishProblems.length} problem{publishProblems.length === 1 ? '' : 's'} listed on the page will make the server refuse it.
              </Text>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmPublish(false)}>
              Cancel
            </Button>
            <Button onClick={() => void doPublish()} data-testid="builder-publish-confirm">
              Publish and freeze
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal opened={blocker.state === 'blocked'} onClose={() => blocker.reset?.()} title="Leave without saving?" centered>
        <Text size="sm" mb="md">
          This draft has unsaved changes. They are lost if you leave now.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => blocker.reset?.()} data-testid="builder-leave-stay">
            Stay
          </Button>
          <Button color="red" onClick={() => blocker.proceed?.()} data-testid="builder-leave-confirm">
            Leave
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}

function RemoveButton({
  label,
  confirm,
  onRemove,
  testId,
}: {
  label: string;
  confirm: string | null;
  onRemove: () => void;
  testId: string;
}) {
  const [asking, setAsking] = useState(false);
  return (
    <>
      <ActionIcon
        variant="subtle"
        color="red"
        onClick={() => (confirm ? setAsking(true) : onRemove())}
        aria-label={label}
        data-testid={testId}
      >
        ✕
      </ActionIcon>
      {confirm && (
        <Modal opened={asking} onClose={() => setAsking(false)} title={label} centered>
          <Text size="sm" mb="md">
            {confirm}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsking(false)}>
              Cancel
            </Button>
            <Button
              color="red"
              onClick={() => {
                setAsking(false);
                onRemove();
              }}
              data-testid={`${testId}-confirm`}
            >
              Remove
            </Button>
          </Group>
        </Modal>
      )}
    </>
  );
}

/** Moves focus after React has rendered the change (a moved item keeps the keyboard on its button). */
function focusLater(selector: string, fallback?: string): void {
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      const el = document.querySelector<HTMLElement>(selector);
      const target =
        el && !el.hasAttribute('disabled') && el.getAttribute('data-disabled') !== 'true'
          ? el
          : fallback
            ? document.querySelector<HTMLElement>(fallback)
            : null;
      target?.focus();
    }),
  );
}
