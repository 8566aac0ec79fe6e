import { auth, type TestApp } from './app';

/** A minimal PDF: what the vault accepts by its magic bytes. */
export const TINY_PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** Uploads a small PDF to the evidence vault as `token` for `vendorId`; answers the new item's id. */
export async function uploadEvidence(
  http: TestApp['http'],
  token: string,
  vendorId: string,
  title = 'Restore drill report',
  kind = 'dr_test_report',
  validUntil?: string,
): Promise<string> {
  const req = http.post('/api/evidence').set(auth(token)).field('vendorId', vendorId).field('kind', kind).field('title', title);
  if (validUntil) req.field('validUntil', validUntil);
  const res = await req.attach('file', TINY_PDF, { filepath: `${title}.pdf`, contentType: 'application/pdf' } as never);
  if (res.status !== 201) throw new Error(`evidence upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { id: string }).id;
}
