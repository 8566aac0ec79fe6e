import { Button, Modal } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';

import { can, type TemplateDetail } from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { SendRequestForm } from './SendRequestForm';

/** "Send to a vendor" on a template's page: for a template with a published version, to those who send requests. */
export function SendTemplateButton({ t }: { t: TemplateDetail }) {
  const user = useCurrentUser();
  const [opened, modal] = useDisclosure(false);
  if (!can(user.role, 'questionnaire_request.write') || t.status === 'archived' || t.latestPublishedVersion === null) return null;
  return (
    <>
      <Button variant="light" onClick={modal.open} data-testid="template-send">
        Send to a vendor
      </Button>
      <Modal opened={opened} onClose={modal.close} title={`Send “${t.name}”`} size="lg" centered>
        <SendRequestForm templateId={t.id} onDone={modal.close} />
      </Modal>
    </>
  );
}
