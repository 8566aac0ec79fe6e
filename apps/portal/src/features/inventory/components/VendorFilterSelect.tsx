import { NativeSelect } from '@mantine/core';

import { useAllVendors } from '../api/vendors';

/** The "Vendor" filter of list pages: every vendor of the organization, empty value = all. */
export function VendorFilterSelect({ value, onChange, testId }: { value: string; onChange: (vendorId: string) => void; testId: string }) {
  const vendors = useAllVendors();
  return (
    <NativeSelect
      label="Vendor"
      data={[{ value: '', label: 'All vendors' }, ...(vendors.data ?? []).map((v) => ({ value: v.id, label: v.name }))]}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      w={240}
      data-testid={testId}
    />
  );
}
