import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';

import {
  addHolidaysSchema,
  updateOrganizationSchema,
  type HolidayView,
  type OrganizationView,
  type RequestBody,
} from '@bulwark/api-schema';

import { api } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

/** Query keys of the organization's settings and holiday calendar. */
export const organizationKeys = {
  settings: ['organization'] as const,
  holidays: (year: number | null) => ['organization', 'holidays', year] as const,
};

export type OrganizationUpdate = RequestBody<typeof updateOrganizationSchema>;
export type HolidaysAdd = RequestBody<typeof addHolidaysSchema>;

/** Settings and holidays feed the right-to-audit entitlement: what was computed from them is stale too. */
function refresh(qc: QueryClient): Promise<void> {
  return Promise.all(
    [organizationKeys.settings, ['audits', 'entitlement'], keys.audit].map((queryKey) => qc.invalidateQueries({ queryKey })),
  ).then(() => undefined);
}

export function useOrganization() {
  return useQuery({
    queryKey: organizationKeys.settings,
    queryFn: ({ signal }) => api.get<OrganizationView>('/organization', undefined, signal),
  });
}

/** PATCH /api/organization (the time zone; admins). */
export function useUpdateOrganization() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: OrganizationUpdate) => api.patch<OrganizationView>('/organization', body),
    onSuccess: (o) => {
      qc.setQueryData(organizationKeys.settings, o);
      void refresh(qc);
    },
  });
}

export function useHolidays(year: number | null) {
  return useQuery({
    queryKey: organizationKeys.holidays(year),
    queryFn: ({ signal }) =>
      api.get<{ items: HolidayView[] }>('/organization/holidays', year === null ? undefined : { year }, signal).then((r) => r.items),
  });
}

/** POST /api/organization/holidays: one or many (a pasted year), all or none. */
export function useAddHolidays() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: HolidaysAdd) => api.post<{ items: HolidayView[] }>('/organization/holidays', body),
    onSuccess: () => void refresh(qc),
  });
}

export function useRemoveHoliday() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/organization/holidays/${encodeURIComponent(id)}`),
    onSuccess: () => void refresh(qc),
  });
}
