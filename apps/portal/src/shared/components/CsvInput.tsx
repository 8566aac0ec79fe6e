import { Group, Input, Text, Textarea } from '@mantine/core';
import type { Ref } from 'react';

import type { useCsvText } from '../lib/useCsvText';

/**
 * A CSV file picker ("CSV file") over a monospace "CSV text" area, both bound to `useCsvText`.
 * `onEdit` runs when the text is typed (e.g. to reset a previous result).
 */
export function CsvInput({
  csv: { csv, setCsv, fileName, setFileName, fileError, onFile },
  fileTestId,
  textTestId,
  fileRef,
  placeholder,
  minRows,
  maxRows,
  onEdit,
}: {
  csv: ReturnType<typeof useCsvText>;
  fileTestId: string;
  textTestId: string;
  fileRef?: Ref<HTMLInputElement>;
  placeholder?: string;
  minRows: number;
  maxRows: number;
  onEdit: () => void;
}) {
  return (
    <>
      <Input.Wrapper label="CSV file" description="Or paste the CSV text below" error={fileError ?? undefined}>
        <Group gap="sm" mt={4}>
          <input
            ref={fileRef}
            type="file"
            accept=".csv,text/csv,text/plain"
            onChange={onFile}
            data-testid={fileTestId}
            aria-label="CSV file"
            style={{ maxWidth: '100%' }}
          />
          {fileName && (
            <Text size="xs" c="dimmed">
              Loaded {fileName}
            </Text>
          )}
        </Group>
      </Input.Wrapper>
      <Textarea
        label="CSV text"
        placeholder={placeholder}
        autosize
        minRows={minRows}
        maxRows={maxRows}
        value={csv}
        onChange={(e) => {
          setCsv(e.currentTarget.value);
          setFileName(null);
          onEdit();
        }}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
        data-testid={textTestId}
      />
    </>
  );
}
