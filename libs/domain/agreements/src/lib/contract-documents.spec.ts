import { describe, expect, it } from 'vitest';

import { canWriteEvidenceKind, EVIDENCE_KINDS, ROLES } from '@bulwark/api-schema';

import { documentTitle } from './contract-documents.service.js';

describe('documentTitle', () => {
  it('is the file name without its extension, at most 200 characters, never empty', () => {
    expect(documentTitle('Bloomberg MSA 2024.pdf')).toBe('Bloomberg MSA 2024');
    expect(documentTitle('  Annex A.v2.DOCX ')).toBe('Annex A.v2');
    expect(documentTitle('README')).toBe('README');
    expect(documentTitle('.pdf')).toBe('.pdf');
    expect(documentTitle('x'.repeat(300) + '.pdf')).toHaveLength(200);
    expect(documentTitle('   ')).toBe('Contract document');
  });
});

describe('canWriteEvidenceKind', () => {
  it('keeps contract documents to procurement and admins; every other kind to the vault’s writers', () => {
    const writers = (kind: (typeof EVIDENCE_KINDS)[number]) => ROLES.filter((r) => canWriteEvidenceKind(r, kind));
    expect(writers('contract')).toEqual(['admin', 'procurement']);
    for (const kind of EVIDENCE_KINDS.filter((k) => k !== 'contract'))
      expect(writers(kind)).toEqual(['admin', 'vendor_manager', 'procurement', 'vendor_contact']);
    expect(canWriteEvidenceKind(null, 'other')).toBe(false);
  });
});
