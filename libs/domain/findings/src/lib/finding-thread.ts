import { Injectable, type OnModuleInit } from '@nestjs/common';

import { ThreadTargets } from '@bulwark/platform';

/** A finding's discussion: the vendor and the organization on its plan and verification; internal notes stay internal. */
@Injectable()
export class FindingThreadTarget implements OnModuleInit {
  constructor(private readonly targets: ThreadTargets) {}

  onModuleInit(): void {
    this.targets.register({
      type: 'finding',
      resolve: async (m, id) => {
        const [f]: { organization_id: string; vendor_id: string; title: string; status: string }[] = await m.query(
          `SELECT organization_id, vendor_id, title, status FROM findings WHERE id = $1`,
          [id],
        );
        if (!f) return null;
        return {
          organizationId: f.organization_id,
          vendorId: f.vendor_id,
          title: `Finding: ${f.title}`,
          link: `/findings/${id}`,
          vendorLink: `/vendor-home/findings/${id}`,
          internalRecipients: { roles: ['vendor_manager'], vendorOwnerOf: f.vendor_id },
        };
      },
    });
  }
}
