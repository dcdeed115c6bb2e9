/**
 * The one table of distribution (registry/api/errcode, api/v2) error codes the fake registries
 * send: code → HTTP status and message template. Bodies are `{"errors":[{code,message,detail}]}`
 * as distribution 2.8 writes them.
 */
import { text, type TemplateCode } from '../src/errors/index.js';

export const distributionErrors = {
  MANIFEST_UNKNOWN: { status: 404, message: 'registry.manifest-unknown' },
  BLOB_UNKNOWN: { status: 404, message: 'registry.blob-unknown' },
  NAME_UNKNOWN: { status: 404, message: 'registry.name-unknown' },
  UNAUTHORIZED: { status: 401, message: 'registry.unauthorized' },
  DENIED: { status: 403, message: 'registry.denied' },
  TOOMANYREQUESTS: { status: 429, message: 'registry.toomanyrequests' },
  UNSUPPORTED: { status: 405, message: 'registry.unsupported' },
  UNAVAILABLE: { status: 503, message: 'registry.unavailable' },
  UNKNOWN: { status: 500, message: 'registry.unknown' },
} as const satisfies Record<string, { status: number; message: TemplateCode }>;

export type DistributionCode = keyof typeof distributionErrors;

export interface DistributionError {
  code: DistributionCode;
  status: number;
  body: Buffer;
}

/** The error as distribution sends it; `message` replaces the code's own (errcode WithMessage). */
export function distributionError(code: DistributionCode, detail?: unknown, message?: TemplateCode): DistributionError {
  const entry = distributionErrors[code];
  const error: Record<string, unknown> = { code, message: text(message ?? entry.message) };
  if (detail !== undefined) error.detail = detail;
  return { code, status: entry.status, body: Buffer.from(`${JSON.stringify({ errors: [error] })}\n`) };
}

/** The error a registry answers with under a `status: N` fault: the table's code for N, else UNKNOWN with that status. */
export function errorForStatus(status: number): DistributionError {
  const found = (Object.keys(distributionErrors) as DistributionCode[]).find((c) => c !== 'BLOB_UNKNOWN' && c !== 'MANIFEST_UNKNOWN' && distributionErrors[c].status === status);
  const e = distributionError(found ?? 'UNKNOWN');
  return { ...e, status };
}
