// `npm run docs:plugins`: rewrites the README's plugin list from the plugins' own definitions.
import { readFileSync, writeFileSync } from 'node:fs';

import { pluginTable } from '@bulwark/plugin-sdk';

import { awsHealthPlugin } from '../plugins/aws-health/src/index';
import { azureStatusPlugin } from '../plugins/azure-status/src/index';
import { entityStatusPlugin } from '../plugins/entity-status/src/index';
import { gcpStatusPlugin } from '../plugins/gcp-status/src/index';
import { secEdgarPlugin } from '../plugins/sec-edgar/src/index';
import { statuspagePlugin } from '../plugins/statuspage/src/index';
import { webhookIngestPlugin } from '../plugins/webhook-ingest/src/index';

const file = new URL('../README.md', import.meta.url);
const readme = readFileSync(file, 'utf8');
const table = pluginTable([
  statuspagePlugin,
  gcpStatusPlugin,
  awsHealthPlugin,
  azureStatusPlugin,
  secEdgarPlugin,
  entityStatusPlugin,
  webhookIngestPlugin,
]);
if (!readme.includes('<!-- plugins:start -->')) throw new Error('README has no <!-- plugins:start --> marker');
writeFileSync(
  file,
  readme.replace(/<!-- plugins:start -->[\s\S]*<!-- plugins:end -->/, `<!-- plugins:start -->\n${table}\n<!-- plugins:end -->`),
);
console.log('README plugin list updated');
