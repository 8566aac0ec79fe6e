import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';

/**
 * List state (filters, sort, page) kept in the URL so it survives reloads and can be shared.
 * Setting any key other than `page` resets the page to 1.
 */
export function useUrlState<K extends string>(defaults: Record<K, string>) {
  const [params, setParams] = useSearchParams();
  const defaultsRef = useRef(defaults);
  const values = {} as Record<K, string>;
  for (const k of Object.keys(defaults) as K[]) values[k] = params.get(k) ?? defaults[k];

  const set = useCallback(
    (patch: Partial<Record<K, string>>) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch) as [K, string | undefined][]) {
            if (v === undefined || v === '' || v === defaultsRef.current[k]) next.delete(k);
            else next.set(k, v);
          }
          if (!('page' in patch)) next.delete('page');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return [values, set] as const;
}

/**
 * A text box whose value is committed (e.g. to the URL) after the user stops typing.
 * External resets go through the returned setter so they are not undone by a late debounce.
 */
export function useDebouncedInput(initial: string, onCommit: (value: string) => void, wait = 300) {
  const [text, setText] = useState(initial);
  const [debounced] = useDebouncedValue(text, wait);
  const last = useRef(debounced);
  const commit = useRef(onCommit);
  commit.current = onCommit;
  useEffect(() => {
    if (last.current === debounced) return;
    last.current = debounced;
    commit.current(debounced.trim());
  }, [debounced]);
  const reset = useCallback((value: string) => {
    last.current = value;
    setText(value);
  }, []);
  return [text, setText, reset] as const;
}
