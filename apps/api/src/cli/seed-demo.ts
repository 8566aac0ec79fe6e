import 'reflect-metadata';

import { ConfigError, loadConfig } from '@bulwark/platform';

import { createApp, migrate, openDatabase } from '../bootstrap.js';
import { seedDemoIfMissing } from '../demo/seed.js';

/** `npm run demo:seed`: creates the demo organization if it does not exist (the only way in production). */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config);
  if (db.embedded) await migrate(db.url);
  const app = await createApp(config, db.url, { logger: false });
  try {
    console.log(
      (await seedDemoIfMissing(app))
        ? 'Created the demo organization "Demo Org".'
        : 'The demo organization already exists; nothing changed.',
    );
  } finally {
    await app.close();
    await db.embedded?.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
