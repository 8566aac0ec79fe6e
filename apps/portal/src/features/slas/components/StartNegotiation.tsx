import { Modal, NativeSelect, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';

import type { ContractView, SlaView } from '@bulwark/api-schema';

import { TableSkeleton } from '../../../shared/components/feedback';
import { humanize } from '../../../shared/lib/format';
import { notifySuccess } from '../../../shared/lib/notify';
import { useContract, useContracts } from '../../agreements/api/contracts';
import { firstOfNextMonth } from '../../agreements/lib/agreements';
import { useServices } from '../../inventory/api/services';
import { useCreateNegotiation, type NegotiationCreate } from '../api/negotiations';
import type { SlaCreate, SlaVersionCreate } from '../api/slas';
import { SlaForm } from './SlaForm';

/**
 * "Start negotiation": proposes round 1 to the vendor. With `sla`, renegotiates that SLA (prefilled
 * with its current terms; a new version when signed off); otherwise a new SLA on `contract`, or on a
 * contract chosen here (`negotiation-contract`). The form is the SLA form (`negotiation-form`).
 */
export function StartNegotiationModal({
  opened,
  onClose,
  contract,
  sla,
}: {
  opened: boolean;
  onClose: () => void;
  contract?: ContractView;
  sla?: SlaView;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={sla ? `Renegotiate ${sla.name}` : contract ? `Negotiate a new SLA on ${contract.title}` : 'Start a negotiation'}
      size="xl"
    >
      {opened && <StartNegotiationBody onClose={onClose} contract={contract} sla={sla} />}
    </Modal>
  );
}

function StartNegotiationBody({ onClose, contract, sla }: { onClose: () => void; contract?: ContractView; sla?: SlaView }) {
  const [chosen, setChosen] = useState('');
  const contracts = useContracts({ pageSize: 200 }, !contract && !sla);
  const contractId = contract?.id ?? sla?.contractId ?? chosen;
  const loaded = useContract(!contract && contractId ? contractId : null);
  const c = contract ?? loaded.data;
  const vendorId = sla?.vendorId ?? c?.vendorId;
  const services = useServices({ vendorId, pageSize: 200 });
  const vendorServices = (services.data?.items ?? [])
    .filter((s) => s.vendorId === vendorId)
    .map((s) => ({ id: s.id, name: s.name, detail: humanize(s.kind) }));
  const create = useCreateNegotiation();
  const navigate = useNavigate();

  const submit = (body: NegotiationCreate) =>
    create.mutate(body, {
      onSuccess: (n) => {
        onClose();
        notifySuccess(`Round 1 of “${n.slaName}” was sent to ${n.vendorName}.`, 'Negotiation started');
        void navigate(`/negotiations/${n.id}`);
      },
    });

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {sla
          ? `These are the current terms of ${sla.name}. Change what you want to renegotiate; the vendor accepts or counters each term. When both sides sign off, the terms become a new version.`
          : 'Propose the terms of a new SLA. The vendor accepts or counters each term; when both sides sign off, the SLA is created.'}
      </Text>
      {!contract && !sla && (
        <NativeSelect
          label="Contract"
          required
          data={[
            { value: '', label: 'Choose a contract…' },
            ...(contracts.data?.items ?? []).map((x) => ({ value: x.id, label: `${x.title} — ${x.vendorName}` })),
          ]}
          value={chosen}
          onChange={(e) => setChosen(e.currentTarget.value)}
          data-testid="negotiation-contract"
        />
      )}
      {contractId && !c && !sla ? (
        <TableSkeleton rows={4} />
      ) : sla ? (
        <SlaForm
          initial={sla.versions[0] ?? sla.current}
          services={vendorServices}
          defaultEffectiveFrom={firstOfNextMonth() > (sla.versions[0] ?? sla.current).effectiveFrom ? firstOfNextMonth() : ''}
          submitLabel="Propose to the vendor"
          pending={create.isPending}
          error={create.error}
          onCancel={onClose}
          onSubmit={(body: SlaVersionCreate) => submit({ ...body, contractId: sla.contractId, slaId: sla.id })}
          formTestId="negotiation-form"
          submitTestId="negotiation-submit"
        />
      ) : c ? (
        <SlaForm
          key={c.id}
          contractId={c.id}
          services={vendorServices}
          defaultServiceIds={c.services.map((s) => s.id)}
          submitLabel="Propose to the vendor"
          pending={create.isPending}
          error={create.error}
          onCancel={onClose}
          onSubmit={(body: SlaCreate) => submit(body)}
          formTestId="negotiation-form"
          submitTestId="negotiation-submit"
        />
      ) : null}
    </Stack>
  );
}
