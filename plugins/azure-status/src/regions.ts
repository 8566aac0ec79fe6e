/**
 * Azure region display names as the status page writes them. Matched longest first so that
 * "East US 2" wins over "East US" and "Australia Central 2" over "Australia Central".
 */
export const AZURE_REGIONS: readonly string[] = [
  // Americas
  'East US',
  'East US 2',
  'East US 3',
  'Central US',
  'North Central US',
  'South Central US',
  'West Central US',
  'West US',
  'West US 2',
  'West US 3',
  'Canada Central',
  'Canada East',
  'Brazil South',
  'Brazil Southeast',
  'Mexico Central',
  'Chile Central',
  'US Gov Virginia',
  'US Gov Arizona',
  'US Gov Texas',
  'US Gov Iowa',
  'US DoD East',
  'US DoD Central',
  'US Sec East',
  'US Sec West',
  'US Sec West Central',
  // Europe
  'North Europe',
  'West Europe',
  'UK South',
  'UK West',
  'France Central',
  'France South',
  'Germany West Central',
  'Germany North',
  'Germany Central',
  'Germany Northeast',
  'Switzerland North',
  'Switzerland West',
  'Norway East',
  'Norway West',
  'Sweden Central',
  'Sweden South',
  'Poland Central',
  'Italy North',
  'Spain Central',
  'Austria East',
  'Belgium Central',
  'Denmark East',
  'Finland Central',
  'Greece Central',
  // Middle East & Africa
  'UAE North',
  'UAE Central',
  'Qatar Central',
  'Israel Central',
  'Saudi Arabia East',
  'Kuwait Central',
  'South Africa North',
  'South Africa West',
  // Asia Pacific
  'East Asia',
  'Southeast Asia',
  'Japan East',
  'Japan West',
  'Korea Central',
  'Korea South',
  'Central India',
  'South India',
  'West India',
  'Jio India West',
  'Jio India Central',
  'Australia East',
  'Australia Southeast',
  'Australia Central',
  'Australia Central 2',
  'New Zealand North',
  'Indonesia Central',
  'Malaysia West',
  'Malaysia South',
  'Taiwan North',
  'Taiwan Northwest',
  'China East',
  'China East 2',
  'China East 3',
  'China North',
  'China North 2',
  'China North 3',
];

/** Names that mean "not one region". Global ones map to `global`; the rest are kept as written. */
const GLOBAL_NAMES = ['Global', 'Non-Regional', 'Non-regional', 'Worldwide'];
const MULTI_NAMES = ['Multiple Regions', 'Multi-region', 'Multiple regions'];

/** The canonical value for a region name or alias, or null if it is not one. */
export function canonicalRegion(name: string): string | null {
  const n = name.trim().toLowerCase();
  if (GLOBAL_NAMES.some((g) => g.toLowerCase() === n)) return 'global';
  if (MULTI_NAMES.some((g) => g.toLowerCase() === n)) return 'Multiple Regions';
  return AZURE_REGIONS.find((r) => r.toLowerCase() === n) ?? null;
}

const BY_LENGTH = [...AZURE_REGIONS, ...GLOBAL_NAMES, ...MULTI_NAMES].sort((a, b) => b.length - a.length || a.localeCompare(b));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PATTERNS = BY_LENGTH.map((name) => ({ name, re: new RegExp(`(?<![A-Za-z0-9])${escape(name)}(?![A-Za-z0-9])`, 'i') }));

/**
 * Region names mentioned in free text (a title, a description), longest names first, each span
 * counted once: "East US 2" does not also yield "East US". Canonical names, in order of length.
 */
export function findRegions(text: string): string[] {
  let rest = text;
  const found: string[] = [];
  for (const { name, re } of PATTERNS) {
    if (!re.test(rest)) continue;
    const canonical = canonicalRegion(name)!;
    if (!found.includes(canonical)) found.push(canonical);
    rest = rest.replace(new RegExp(re.source, 'gi'), ' ');
  }
  return found;
}
