import { useState, type ChangeEvent } from 'react';

const MAX_BYTES = 5 * 1024 * 1024;

/**
 * CSV text that can be typed, pasted or loaded from a file (read in the browser, at most 5 MB).
 * `onLoaded` runs after a file is read, e.g. to reset a previous result.
 */
export function useCsvText(onLoaded?: () => void) {
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);

  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.currentTarget.files?.[0];
    setFileError(null);
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setFileError('The file is larger than 5 MB. Split it into smaller files.');
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      setCsv(typeof reader.result === 'string' ? reader.result : '');
      setFileName(file.name);
      onLoaded?.();
    };
    reader.onerror = () => setFileError('The file could not be read.');
    reader.readAsText(file);
  };

  return { csv, setCsv, fileName, setFileName, fileError, onFile };
}
