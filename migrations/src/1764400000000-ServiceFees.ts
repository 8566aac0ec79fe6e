import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A fee per covered service of a contract (per year, in the contract's currency): the credit base of an SLA
 * window is the fees of the services the SLA covers, never the whole contract's value. Every credit amount
 * stored so far was computed on the whole contract, so it is cleared (credit base unknown) and a breach
 * records how its amount was computed (`credit_basis`); the recompute fills both in again once the fees of
 * the covered services are recorded.
 */
export class ServiceFees1764400000000 implements MigrationInterface {
  name = 'ServiceFees1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE contract_services ADD COLUMN annual_fee numeric(16,2) CHECK (annual_fee >= 0)`);
    await q.query(`ALTER TABLE sla_breaches ADD COLUMN credit_basis jsonb`);
    await q.query(`UPDATE sla_breaches SET credit_amount = NULL`);
    await q.query(`UPDATE sla_attainment SET credit_amount = NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sla_breaches DROP COLUMN IF EXISTS credit_basis`);
    await q.query(`ALTER TABLE contract_services DROP COLUMN IF EXISTS annual_fee`);
  }
}
