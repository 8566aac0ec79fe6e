// `npm run docs:config`: rewrites the README's configuration table from the config schema.
import { readFileSync, writeFileSync } from 'node:fs';

import { configTable } from '../libs/platform/src/lib/config/config.schema';

const file = new URL('../README.md', import.meta.url);
const readme = readFileSync(file, 'utf8');
const next = readme.replace(
  /<!-- config:start -->[\s\S]*<!-- config:end -->/,
  `<!-- config:start -->\n${configTable()}\n<!-- config:end -->`,
);
if (next === readme && !readme.includes('<!-- config:start -->')) throw new Error('README has no <!-- config:start --> marker');
writeFileSync(file, next);
console.log('README configuration table updated');
