import { Button, NativeSelect, Paper, Stack, Switch, Table, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';

import { can, ROLES, type Role } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { EmptyState } from '../../../shared/components/feedback';
import { countOf, FilterBar, ListFooter, ListStates, pageCount, pageParam } from '../../../shared/components/ListPage';
import { PageHeader } from '../../../shared/components/PageHeader';
import { roleLabel } from '../../../shared/lib/format';
import { useDebouncedInput, useUrlState } from '../../../shared/lib/useUrlState';
import { useUserList } from '../api/users';
import { InviteStaffModal } from '../components/InviteStaffModal';
import { StaffInvitations } from '../components/StaffInvitations';
import { UserRow } from '../components/UserRow';

const PAGE_SIZE = 25;

const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);

/** `/admin/users`: admins manage everyone (invite staff, roles, deactivation); vendor managers (de)activate vendor contacts. */
export function UsersPage() {
  const me = useCurrentUser();
  const admin = can(me.role, 'user.invite_staff');
  const [inviting, { open: openInvite, close: closeInvite }] = useDisclosure(false);
  const [state, setState] = useUrlState({ q: '', role: '', inactive: '', page: '1' });
  const [searchText, setSearchText, resetSearch] = useDebouncedInput(state.q, (q) => setState({ q }));

  const page = pageParam(state.page);
  const role = isRole(state.role) ? state.role : undefined;
  const inactiveShown = state.inactive === 'true';
  const users = useUserList({ q: state.q || undefined, role, includeInactive: inactiveShown || undefined, page, pageSize: PAGE_SIZE });
  const data = users.data;
  const totalPages = pageCount(data);
  const filtered = !!(state.q || role || inactiveShown);

  return (
    <>
      <PageHeader
        title="Users"
        testId="users-title"
        description={
          admin
            ? `Everyone who can sign in to ${me.organizationName}: staff and vendor contacts. Invite staff, change their roles, deactivate accounts.`
            : `Everyone who can sign in to ${me.organizationName}. You can deactivate and reactivate vendor contacts; an admin manages staff.`
        }
        actions={
          admin && (
            <Button onClick={openInvite} data-testid="staff-invite-button">
              + Invite staff
            </Button>
          )
        }
      />

      <FilterBar>
        <TextInput
          label="Search"
          placeholder="Name or e-mail"
          value={searchText}
          onChange={(e) => setSearchText(e.currentTarget.value)}
          w={260}
          type="search"
          data-testid="users-search"
        />
        <NativeSelect
          label="Role"
          data={[{ value: '', label: 'All roles' }, ...ROLES.map((r) => ({ value: r, label: roleLabel(r) }))]}
          value={role ?? ''}
          onChange={(e) => setState({ role: e.currentTarget.value })}
          data-testid="users-filter-role"
        />
        <Switch
          label="Show deactivated"
          checked={inactiveShown}
          onChange={(e) => setState({ inactive: e.currentTarget.checked ? 'true' : '' })}
          mb={8}
          data-testid="users-filter-inactive"
        />
        {filtered && (
          <Button
            variant="subtle"
            onClick={() => {
              resetSearch('');
              setState({ q: '', role: '', inactive: '' });
            }}
            data-testid="users-filter-clear"
          >
            Clear filters
          </Button>
        )}
      </FilterBar>

      <ListStates
        query={users}
        rows={8}
        isEmpty={(d) => d.items.length === 0}
        empty={
          <EmptyState title={filtered ? 'No users match these filters' : 'No users yet'} testId="users-empty">
            {filtered
              ? inactiveShown
                ? 'Try another search term or role, or clear the filters.'
                : 'Try another search term or role, clear the filters, or turn on “Show deactivated”.'
              : 'Invite your colleagues as staff, and vendor contacts from their vendor’s Contacts tab.'}
          </EmptyState>
        }
      >
        {(data) => (
          <Stack gap="sm">
            <Paper withBorder radius="md">
              <Table.ScrollContainer minWidth={900}>
                <Table verticalSpacing="sm" data-testid="users-table" style={{ opacity: users.isPlaceholderData ? 0.6 : 1 }}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Name and e-mail</Table.Th>
                      <Table.Th>Role</Table.Th>
                      <Table.Th>Vendor</Table.Th>
                      <Table.Th>Status</Table.Th>
                      <Table.Th style={{ whiteSpace: 'nowrap' }}>Last sign-in</Table.Th>
                      <Table.Th aria-label="Actions" />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.items.map((u) => (
                      <UserRow key={u.id} user={u} me={me} inactiveShown={inactiveShown} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Paper>
            <ListFooter
              summary=<>
                {countOf(data.total, 'user')}
                {inactiveShown ? '' : ' (active)'}
              </>
              summaryTestId="users-total"
              page={page}
              totalPages={totalPages}
              onPage={(p) => setState({ page: String(p) })}
              paginationTestId="users-pagination"
              paginationLabel="User list pages"
            />
          </Stack>
        )}
      </ListStates>

      {admin && (
        <Stack mt="xl">
          <StaffInvitations />
        </Stack>
      )}
      {admin && <InviteStaffModal opened={inviting} onClose={closeInvite} />}
    </>
  );
}
