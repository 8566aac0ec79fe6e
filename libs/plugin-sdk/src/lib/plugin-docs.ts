import { configJsonSchema, secretKeys, type PluginDefinition } from './plugin.js';

interface PropertySchema {
  type?: string | string[];
  default?: unknown;
  description?: string;
  enum?: unknown[];
  writeOnly?: boolean;
}

/** Markdown describing each plugin and its settings, generated from the definitions (README). */
export function pluginTable(plugins: PluginDefinition[]): string {
  return plugins
    .map((p) => {
      const schema = configJsonSchema(p.configSchema) as { properties?: Record<string, PropertySchema>; required?: string[] };
      const secrets = new Set(secretKeys(p.configSchema));
      const required = new Set(schema.required ?? []);
      const rows = Object.entries(schema.properties ?? {}).map(([name, prop]) => {
        const flags = [required.has(name) && prop.default === undefined ? 'required' : null, secrets.has(name) ? 'secret' : null]
          .filter(Boolean)
          .join(', ');
        const def = prop.default === undefined ? '' : `\`${JSON.stringify(prop.default)}\``;
        const text = (prop.description ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
        return `| \`${name}\` | ${flags} | ${def} | ${text} |`;
      });
      const schedule = p.push ? 'push only (webhook / CSV upload)' : `every ${p.defaultSchedule.everySeconds} s`;
      return [
        `#### ${p.displayName} (\`${p.id}\`, ${p.kind})`,
        '',
        `${p.description} Default schedule: ${schedule}.`,
        '',
        '| setting | | default | meaning |',
        '|---|---|---|---|',
        ...rows,
      ].join('\n');
    })
    .join('\n\n');
}
