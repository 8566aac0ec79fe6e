import { InputBase } from '@mantine/core';

export interface ServiceOption {
  id: string;
  name: string;
  /** Extra text after the name, e.g. the kind. */
  detail?: string;
}

/**
 * A native multiple `<select>` of services (value = service ids). Ctrl/⌘-click or Shift-click picks
 * several; tests use `page.select(testId, id1, id2)`.
 */
export function ServiceMultiSelect({
  label,
  description,
  services,
  value,
  onChange,
  error,
  testId,
  required,
  disabled,
  placeholder = 'No services',
}: {
  label: string;
  description?: string;
  services: ServiceOption[];
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string;
  testId: string;
  required?: boolean;
  disabled?: boolean;
  placeholder?: string;
}) {
  const sorted = [...services].sort((a, b) => a.name.localeCompare(b.name));
  // Keep ids that are selected but no longer offered visible (e.g. a service removed from the vendor).
  const missing = value.filter((id) => !services.some((s) => s.id === id));
  const rows = Math.min(8, Math.max(3, sorted.length + missing.length));
  return (
    <InputBase
      component="select"
      multiple
      multiline
      label={label}
      description={description ?? 'Ctrl/⌘-click to choose several'}
      required={required}
      disabled={disabled || (sorted.length === 0 && missing.length === 0)}
      error={error}
      value={value}
      onChange={(e: React.ChangeEvent<HTMLSelectElement>) => onChange(Array.from(e.currentTarget.selectedOptions, (o) => o.value))}
      styles={{ input: { paddingBlock: 4, height: `calc(${rows} * 1.45rem + 10px)`, overflowY: 'auto' } }}
      data-testid={testId}
    >
      {sorted.length === 0 && missing.length === 0 && (
        <option value="" disabled>
          {placeholder}
        </option>
      )}
      {sorted.map((s) => (
        <option key={s.id} value={s.id}>
          {s.detail ? `${s.name} (${s.detail})` : s.name}
        </option>
      ))}
      {missing.map((id) => (
        <option key={id} value={id}>
          {id}
        </option>
      ))}
    </InputBase>
  );
}
