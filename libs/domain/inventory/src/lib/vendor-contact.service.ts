import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import type { contactSchema, ContactView, Input } from '@bulwark/api-schema';
import { AuditLogService, changes, Conflict, findScoped, Invalid, scoped } from '@bulwark/platform';

import { VendorContact } from './vendor-contact.entity.js';
import { Vendor } from './vendor.entity.js';
import { contactView } from './views.js';

/** A vendor's contacts (the people on file at the vendor): added, changed and removed with their audit entries. */
@Injectable()
export class VendorContactService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
  ) {}

  async addContact(vendorId: string, input: Input<typeof contactSchema>): Promise<ContactView> {
    return this.dataSource.transaction(async (m) => {
      const v = await findScoped(m, Vendor, vendorId, 'vendor');
      const email = input.email.toLowerCase();
      const dup = await scoped(m, VendorContact, 'c').andWhere('c.vendorId = :v AND c.email = :e', { v: v.id, e: email }).getOne();
      if (dup) throw new Conflict('contact.duplicate', `${email} is already a contact of ${v.name}`);
      if (input.isPrimary) await m.update(VendorContact, { vendorId: v.id, organizationId: v.organizationId }, { isPrimary: false });
      const c = await m.save(
        m.create(VendorContact, {
          vendorId: v.id,
          name: input.name,
          email,
          title: input.title ?? null,
          phone: input.phone ?? null,
          isPrimary: input.isPrimary,
        }),
      );
      await this.audit.append(m, {
        action: 'contact.created',
        entityType: 'vendor_contact',
        entityId: c.id,
        diff: { vendorId: v.id, name: c.name, email },
      });
      return contactView(c, await this.hasAccount(m, email, v.id));
    });
  }

  async updateContact(vendorId: string, contactId: string, input: Partial<Input<typeof contactSchema>>): Promise<ContactView> {
    return this.dataSource.transaction(async (m) => {
      const c = await findScoped(m, VendorContact, contactId, 'contact', { lock: true });
      if (c.vendorId !== vendorId) throw new Invalid('contact.vendor_mismatch', 'This contact belongs to another vendor');
      const before = { ...c };
      if (input.isPrimary) await m.update(VendorContact, { vendorId: c.vendorId, organizationId: c.organizationId }, { isPrimary: false });
      Object.assign(c, {
        ...(input.name !== undefined && { name: input.name }),
        ...(input.email !== undefined && { email: input.email.toLowerCase() }),
        ...(input.title !== undefined && { title: input.title }),
        ...(input.phone !== undefined && { phone: input.phone }),
        ...(input.isPrimary !== undefined && { isPrimary: input.isPrimary }),
      });
      await m.save(c);
      await this.audit.append(m, {
        action: 'contact.updated',
        entityType: 'vendor_contact',
        entityId: c.id,
        diff: changes(before, { ...c }),
      });
      return contactView(c, await this.hasAccount(m, c.email, c.vendorId));
    });
  }

  async removeContact(vendorId: string, contactId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const c = await findScoped(m, VendorContact, contactId, 'contact', { lock: true });
      if (c.vendorId !== vendorId) throw new Invalid('contact.vendor_mismatch', 'This contact belongs to another vendor');
      await m.remove(c);
      await this.audit.append(m, {
        action: 'contact.deleted',
        entityType: 'vendor_contact',
        entityId: contactId,
        diff: { vendorId, name: c.name, email: c.email },
      });
    });
  }

  private async hasAccount(m: EntityManager, email: string, vendorId: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM users WHERE email = $1 AND vendor_id = $2 AND active`, [email, vendorId]);
    return rows.length > 0;
  }
}
