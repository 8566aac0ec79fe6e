import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provenance of a signal's current state (feeds.md §8 `rawRef`): the fetch URL, fetch time, SHA-256
 * and JSON pointer (or guid) of the raw body it was read from. The body itself is in the file storage,
 * content-addressed by the SHA-256. Null for signals stored before provenance was recorded.
 */
export class SignalRawRef1763940000010 implements MigrationInterface {
  name = 'SignalRawRef1763940000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE signals ADD COLUMN raw_ref jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE signals DROP COLUMN raw_ref`);
  }
}
