import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import {
  checkAnswerValue,
  type AnswerValue,
  type QuestionnaireRequestDetail,
  type StaleAnswer,
  type TemplateQuestion,
} from '@bulwark/api-schema';

import { api, errorMessage, isApiError } from '../../../shared/api/client';
import { refreshRequest, requestKeys } from '../api/requests';

/** Where one answer stands on this page. */
export type SaveState = 'saved' | 'dirty' | 'saving' | 'conflict' | 'error';

export interface LocalAnswer {
  value: AnswerValue;
  comment: string | null;
  /** The server version these edits start from (sent with the save). */
  base: number;
  state: SaveState;
  /** A stale save: what the server holds now (someone else's answer). */
  conflict?: StaleAnswer;
  message?: string;
}

/** An edit kept in the browser until the server confirms it: a closed tab or a crash loses nothing. */
interface Draft {
  value: AnswerValue;
  comment: string | null;
  base: number;
}

const DEBOUNCE_MS = 800;
const RETRY_MS = 5000;

function same(a: AnswerValue | undefined, b: AnswerValue | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function readDrafts(key: string): Record<string, Draft> {
  try {
    const raw = window.localStorage.getItem(key);
    const parsed = raw ? (JSON.parse(raw) as unknown) : null;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, Draft>) : {};
  } catch {
    return {};
  }
}

function writeDraft(storageKey: string, questionKey: string, draft: Draft | null): void {
  try {
    const drafts = readDrafts(storageKey);
    if (draft) drafts[questionKey] = draft;
    else delete drafts[questionKey];
    if (Object.keys(drafts).length) window.localStorage.setItem(storageKey, JSON.stringify(drafts));
    else window.localStorage.removeItem(storageKey);
  } catch {
    // Storage full or disabled: the autosave still runs, only the offline copy is missing.
  }
}

/**
 * Autosave per answer with optimistic concurrency. Each change is kept in localStorage at once and saved after a
 * short pause (or at once on blur) with the answer's version; the server's 409 becomes a conflict the person
 * resolves (keep theirs, or overwrite with mine). Drafts left by a closed page are restored on the next visit:
 * saved if nobody changed the answer meanwhile, else shown as a conflict.
 */
export function useAnswerAutosave(request: QuestionnaireRequestDetail, userId: string, questions: Map<string, TemplateQuestion>) {
  const qc = useQueryClient();
  const storageKey = `bulwark.questionnaire-draft.${request.id}.${userId}`;
  const server = useMemo(() => new Map(request.answers.map((a) => [a.questionKey, a])), [request.answers]);
  const [local, setLocal] = useState<Record<string, LocalAnswer>>(() => {
    const out: Record<string, LocalAnswer> = {};
    for (const [key, d] of Object.entries(readDrafts(storageKey))) {
      const a = server.get(key);
      if (a && !a.editable) continue;
      const version = a?.version ?? 0;
      // Saved after all (by the page as it closed): nothing to restore.
      if (a && same(a.value, d.value) && (a.comment ?? null) === d.comment) {
        writeDraft(storageKey, key, null);
        continue;
      }
      if (d.base === version) out[key] = { value: d.value, comment: d.comment, base: d.base, state: 'dirty' };
      else
        out[key] = {
          value: d.value,
          comment: d.comment,
          base: d.base,
          state: 'conflict',
          conflict: {
            value: a?.value ?? null,
            comment: a?.comment ?? null,
            version,
            updatedByName: a?.updatedByName ?? null,
            updatedAt: a?.updatedAt ?? null,
          },
        };
    }
    return out;
  });
  // What the callbacks read: updated at once with every change (a state updater may run only at the next render,
  // too late for a save that starts right after a change).
  const localRef = useRef(local);
  const timers = useRef(new Map<string, number>());
  const inflight = useRef(new Map<string, Promise<void>>());

  const update = useCallback((key: string, next: LocalAnswer | null) => {
    const out = { ...localRef.current };
    if (next) out[key] = next;
    else delete out[key];
    localRef.current = out;
    setLocal(out);
  }, []);

  const save = useCallback(
    async (key: string): Promise<void> => {
      const running = inflight.current.get(key);
      if (running) {
        await running;
        return save(key);
      }
      const e = localRef.current[key];
      if (!e || (e.state !== 'dirty' && e.state !== 'error')) return;
      const q = questions.get(key);
      if (q) {
        const checked = checkAnswerValue(q, e.value);
        if (!checked.ok) {
          update(key, { ...e, state: 'error', message: `Not saved: ${checked.message}` });
          return;
        }
      }
      const sent = { value: e.value, comment: e.comment };
      update(key, { ...e, state: 'saving', message: undefined });
      const run = (async () => {
        try {
          const r = await api.put<QuestionnaireRequestDetail>(
            `/questionnaire-requests/${encodeURIComponent(request.id)}/answers/${encodeURIComponent(key)}`,
            { value: sent.value, version: e.base, comment: sent.comment },
          );
          const saved = r.answers.find((a) => a.questionKey === key);
          const version = saved?.version ?? e.base + 1;
          const cur = localRef.current[key];
          if (cur && same(cur.value, sent.value) && cur.comment === sent.comment) {
            writeDraft(storageKey, key, null);
            update(key, { value: cur.value, comment: cur.comment, base: version, state: 'saved' });
          } else if (cur) {
            // Typed on while it saved: the rest goes next, on top of the version just written.
            writeDraft(storageKey, key, { value: cur.value, comment: cur.comment, base: version });
            update(key, { ...cur, base: version, state: 'dirty' });
            schedule(key, 0);
          }
          qc.setQueryData(requestKeys.detail(r.id), r);
        } catch (err) {
          const cur = localRef.current[key] ?? e;
          if (isApiError(err) && err.code === 'questionnaire_answer.stale') {
            const current = (err.payload as { error?: { details?: { current?: StaleAnswer } } } | undefined)?.error?.details?.current;
            if (current && same(current.value, cur.value) && (current.comment ?? null) === cur.comment) {
              // The server already holds exactly this (this page's own earlier write): nothing to resolve.
              writeDraft(storageKey, key, null);
              update(key, { value: cur.value, comment: cur.comment, base: current.version, state: 'saved' });
            } else update(key, { ...cur, state: 'conflict', conflict: current });
          } else if (isApiError(err) && err.status === 0) {
            update(key, { ...cur, state: 'error', message: 'Not saved yet: no connection. Kept in this browser; retrying…' });
            schedule(key, RETRY_MS);
          } else {
            update(key, { ...cur, state: 'error', message: `Not saved: ${errorMessage(err)}` });
            if (isApiError(err) && err.status === 409) void qc.invalidateQueries({ queryKey: requestKeys.detail(request.id) });
          }
        }
      })();
      inflight.current.set(key, run);
      try {
        await run;
      } finally {
        inflight.current.delete(key);
      }
    },
    [request.id, storageKey, questions, qc, update],
  );

  const schedule = useCallback(
    (key: string, ms: number) => {
      const t = timers.current.get(key);
      if (t) window.clearTimeout(t);
      timers.current.set(
        key,
        window.setTimeout(() => {
          timers.current.delete(key);
          void save(key);
        }, ms),
      );
    },
    [save],
  );

  /** A change: kept in the browser at once, saved after a pause. */
  const change = useCallback(
    (key: string, patch: { value?: AnswerValue; comment?: string | null }) => {
      const cur = localRef.current[key];
      const a = server.get(key);
      const base = cur?.base ?? a?.version ?? 0;
      const next: LocalAnswer = {
        value: patch.value !== undefined ? patch.value : (cur?.value ?? a?.value ?? null),
        comment: patch.comment !== undefined ? patch.comment : (cur?.comment ?? a?.comment ?? null),
        base,
        state: cur?.state === 'conflict' ? 'conflict' : 'dirty',
        conflict: cur?.state === 'conflict' ? cur.conflict : undefined,
      };
      writeDraft(storageKey, key, { value: next.value, comment: next.comment, base });
      update(key, next);
      if (next.state === 'dirty') schedule(key, DEBOUNCE_MS);
    },
    [server, storageKey, update, schedule],
  );

  /** Leaving a field saves it at once. */
  const flush = useCallback(
    (key: string) => {
      const t = timers.current.get(key);
      if (t) window.clearTimeout(t);
      timers.current.delete(key);
      return save(key);
    },
    [save],
  );

  /** Saves everything pending; answers whether everything is saved. */
  const flushAll = useCallback(async () => {
    await Promise.all(Object.keys(localRef.current).map((k) => flush(k)));
    await Promise.all([...inflight.current.values()]);
    return Object.values(localRef.current).every((e) => e.state === 'saved');
  }, [flush]);

  const keepTheirs = useCallback(
    (key: string) => {
      const e = localRef.current[key];
      if (!e?.conflict) return;
      writeDraft(storageKey, key, null);
      update(key, { value: e.conflict.value, comment: e.conflict.comment, base: e.conflict.version, state: 'saved' });
      void refreshRequest(qc);
      void qc.invalidateQueries({ queryKey: requestKeys.detail(request.id) });
    },
    [storageKey, update, qc, request.id],
  );

  const overwrite = useCallback(
    (key: string) => {
      const e = localRef.current[key];
      if (!e?.conflict) return;
      const next: LocalAnswer = { value: e.value, comment: e.comment, base: e.conflict.version, state: 'dirty' };
      writeDraft(storageKey, key, { value: next.value, comment: next.comment, base: next.base });
      update(key, next);
      void flush(key);
    },
    [storageKey, update, flush],
  );

  // Answers saved elsewhere (another person, a refetch) replace what this page holds only where it holds no edit.
  useEffect(() => {
    for (const [key, e] of Object.entries(localRef.current)) {
      const a = server.get(key);
      if (e.state === 'saved' && a && a.version !== e.base) update(key, null);
    }
  }, [server, update]);

  // A page being closed: send what is pending (best effort; the drafts stay in the browser until confirmed).
  useEffect(() => {
    const onHide = () => {
      for (const [key, e] of Object.entries(localRef.current)) {
        if (e.state !== 'dirty') continue;
        void fetch(`/api/questionnaire-requests/${encodeURIComponent(request.id)}/answers/${encodeURIComponent(key)}`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ value: e.value, version: e.base, comment: e.comment }),
          credentials: 'same-origin',
          keepalive: true,
        }).catch(() => undefined);
      }
    };
    window.addEventListener('pagehide', onHide);
    return () => window.removeEventListener('pagehide', onHide);
  }, [request.id]);

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((t) => window.clearTimeout(t));
  }, []);

  /** The value shown: this page's edit, else the server's. */
  const valueOf = useCallback(
    (key: string): AnswerValue => (key in local ? local[key]!.value : (server.get(key)?.value ?? null)),
    [local, server],
  );
  const commentOf = useCallback(
    (key: string): string | null => (key in local ? local[key]!.comment : (server.get(key)?.comment ?? null)),
    [local, server],
  );

  const states = Object.values(local).map((e) => e.state);
  const overall: SaveState = states.includes('conflict')
    ? 'conflict'
    : states.includes('error')
      ? 'error'
      : states.includes('saving')
        ? 'saving'
        : states.includes('dirty')
          ? 'dirty'
          : 'saved';

  return { local, valueOf, commentOf, change, flush, flushAll, keepTheirs, overwrite, overall };
}
