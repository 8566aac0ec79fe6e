import { useParams } from 'react-router';

import { SlaDetail } from '../components/SlaDetail';

/** `/slas/:id` for internal users. */
export function SlaPage() {
  const { id = '' } = useParams();
  return <SlaDetail key={id} id={id} variant="internal" />;
}

/** `/vendor-home/slas/:id`: the same SLA, read-only, inside the vendor contact's layout. */
export function VendorSlaPage() {
  const { id = '' } = useParams();
  return <SlaDetail key={id} id={id} variant="vendor" />;
}
