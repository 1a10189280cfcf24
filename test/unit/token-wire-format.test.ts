import { createAgencyRecordToken, verifyAgencyRecordToken } from '../../security/agency-record-token';
import { APPLY_CONFIRM_HOURS, createApplyConfirmToken, verifyApplyConfirmToken } from '../../security/apply-confirm-token';
import { createApprovalToken, verifyApprovalToken } from '../../security/approval-token';
import { createAttestationToken, verifyAttestationToken } from '../../security/attestation-token';
import { createPartnerStatusToken, PARTNER_STATUS_LINK_DAYS, verifyPartnerStatusToken } from '../../security/partner-status-token';
import { createSigningToken, verifySigningToken } from '../../security/signing-token';

/**
 * Tokens made before the claims got named fields (one-letter keys on the wire, unchanged): links and reply addresses
 * already sent carry them, so they must still verify, decode to the same claims, and be made again byte for byte.
 */
const SECRET = 'fixed-secret-for-tokens-made-before-named-claims';
const EXPIRES_AT = 4_102_444_800; // 2100-01-01
const NOW = Date.parse('2026-12-02T12:00:00Z');
const MADE_BEFORE = {
  signing:
    'eyJjIjoiYy0yMDI2LTAwMSIsInIiOiJwYXJ0bmVyIiwiZSI6ImxhbkBwYXJ0bmVyLmV4YW1wbGUiLCJuIjozLCJ4Ijo0MTAyNDQ0ODAwfQ.omWGOjM_3i-m-FA3pUrYZSmat2e5vwBll7c6Wv8NDHc',
  approval:
    'eyJjIjoiYy0yMDI2LTAwMSIsImUiOiJhbmFAZGlzdHJpY3QuZXhhbXBsZSIsIm4iOjIsIngiOjQxMDI0NDQ4MDB9.kxrXO1wI_D4EfHEKfZC4mQB0L2pmrPcnupr1BUc7sKM',
  attestation:
    'eyJwIjoicC1icmlnaHQiLCJ5IjoiMjAyNi0yMDI3IiwiZSI6ImxhbkBwYXJ0bmVyLmV4YW1wbGUiLCJuIjoxLCJoIjoiMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYiLCJ4Ijo0MTAyNDQ0ODAwfQ.FxZxVDW4z4C3m5IWh-v4d3MlrObtX0A5u1BlMv2UR2o',
  agencyRecord:
    'eyJwIjoicC1icmlnaHQiLCJrIjoiZGF0YV9zaGFyaW5nX2FncmVlbWVudCIsInkiOm51bGwsImUiOiJsYW5AcGFydG5lci5leGFtcGxlIiwibiI6MiwieCI6NDEwMjQ0NDgwMH0.ShGNQQrmPkAvDq6kNhUi4k8wTG3RUsrTaoq0mC3DCCY',
  applyConfirm:
    'eyJoIjoiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYiIsImUiOiJsYW5AcGFydG5lci5leGFtcGxlIiwieCI6NDEwMjQ0NDgwMH0.6ctH6moU5BKKc9DUUYzMPDI65VZLDY9XVWQtqjlNvWo',
  partnerStatus: 'eyJwIjoicC1icmlnaHQiLCJlIjoibGFuQHBhcnRuZXIuZXhhbXBsZSIsIngiOjQxMDI0NDQ4MDB9.Pi94WOhQxW4Shd7xho5htPClQDBgt9PfbwKZbniaChQ',
};

test('a signing token made before decodes into named claims, and is made again identically', () => {
  const claims = {
    contractId: 'c-2026-001',
    role: 'partner' as const,
    email: 'lan@partner.example',
    requestNumber: 3,
    expiresAt: EXPIRES_AT,
  };
  expect(verifySigningToken(MADE_BEFORE.signing, SECRET, NOW)).toEqual({ ok: true, claims });
  expect(createSigningToken(claims, SECRET)).toBe(MADE_BEFORE.signing);
});

test('an approval token made before decodes into named claims, and is made again identically', () => {
  const claims = { contractId: 'c-2026-001', email: 'ana@district.example', requestNumber: 2, expiresAt: EXPIRES_AT };
  expect(verifyApprovalToken(MADE_BEFORE.approval, SECRET, NOW)).toEqual({ ok: true, claims });
  expect(createApprovalToken(claims, SECRET)).toBe(MADE_BEFORE.approval);
});

test('an attestation token made before decodes into named claims, and is made again identically', () => {
  const claims = {
    partnerId: 'p-bright',
    schoolYear: '2026-2027',
    email: 'lan@partner.example',
    requestNumber: 1,
    formHash: '0123456789abcdef0123456789abcdef',
    expiresAt: EXPIRES_AT,
  };
  expect(verifyAttestationToken(MADE_BEFORE.attestation, SECRET, NOW)).toEqual({ ok: true, claims });
  expect(createAttestationToken(claims, SECRET)).toBe(MADE_BEFORE.attestation);
});

test('an agency record token made before decodes into named claims, and is made again identically', () => {
  const claims = {
    partnerId: 'p-bright',
    kind: 'data_sharing_agreement' as const,
    schoolYear: null,
    email: 'lan@partner.example',
    requestNumber: 2,
    expiresAt: EXPIRES_AT,
  };
  expect(verifyAgencyRecordToken(MADE_BEFORE.agencyRecord, SECRET, NOW)).toEqual({ ok: true, claims });
  expect(createAgencyRecordToken(claims, SECRET)).toBe(MADE_BEFORE.agencyRecord);
});

test('application confirmation and partner status tokens made before decode into named claims, and are made again identically', () => {
  const applicationSha256 = 'ab'.repeat(32);
  expect(verifyApplyConfirmToken(MADE_BEFORE.applyConfirm, SECRET, NOW)).toEqual({
    ok: true,
    claims: { applicationSha256, email: 'lan@partner.example', expiresAt: EXPIRES_AT },
  });
  expect(verifyPartnerStatusToken(MADE_BEFORE.partnerStatus, SECRET, NOW)).toEqual({
    ok: true,
    claims: { partnerId: 'p-bright', email: 'lan@partner.example', expiresAt: EXPIRES_AT },
  });
  // Both take their lifetime from the clock: made at the moment that gives the same expiry.
  const madeAt = (hours: number) => (EXPIRES_AT - hours * 3600) * 1000;
  expect(createApplyConfirmToken(applicationSha256, 'lan@partner.example', SECRET, madeAt(APPLY_CONFIRM_HOURS))).toBe(
    MADE_BEFORE.applyConfirm,
  );
  expect(createPartnerStatusToken('p-bright', 'Lan@Partner.example', SECRET, madeAt(PARTNER_STATUS_LINK_DAYS * 24))).toBe(
    MADE_BEFORE.partnerStatus,
  );
});

test('a token made before stops working at its expiry and under another secret, as it did', () => {
  expect(verifySigningToken(MADE_BEFORE.signing, SECRET, EXPIRES_AT * 1000)).toEqual({ ok: false, reason: 'expired' });
  expect(verifyAttestationToken(MADE_BEFORE.attestation, `${SECRET}x`, NOW)).toEqual({ ok: false, reason: 'forged' });
});
