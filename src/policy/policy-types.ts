/**
 * policy.json as containers/image types it (signature/policy_types.go), after parsing and
 * validation. Byte fields (keyData…) stay base64 text exactly as written in the file.
 */
export type SignedIdentity =
  | { type: 'matchExact' }
  | { type: 'matchRepoDigestOrExact' }
  | { type: 'matchRepository' }
  | { type: 'exactReference'; dockerReference: string }
  | { type: 'exactRepository'; dockerRepository: string }
  | { type: 'remapIdentity'; prefix: string; signedPrefix: string };

export interface FulcioSpec {
  caPath?: string;
  caData?: string;
  oidcIssuer?: string;
  subjectEmail?: string;
}

export type PolicyRequirement =
  | { type: 'insecureAcceptAnything' }
  | { type: 'reject' }
  | {
      type: 'signedBy';
      keyType: string;
      keyPath?: string;
      keyPaths?: string[];
      keyData?: string;
      signedIdentity: SignedIdentity;
    }
  | {
      type: 'sigstoreSigned';
      keyPath?: string;
      keyPaths?: string[];
      keyData?: string;
      keyDatas?: string[];
      fulcio?: FulcioSpec;
      rekorPublicKeyPath?: string;
      rekorPublicKeyData?: string;
      signedIdentity: SignedIdentity;
    }
  | { type: 'signedBaseLayer'; baseLayerIdentity: unknown };

/** The requirements only a signature verifier can decide. */
export type SignatureRequirement = Extract<PolicyRequirement, { type: 'signedBy' | 'sigstoreSigned' }>;

export type PolicyRequirements = PolicyRequirement[];

/** transport name → scope → requirements. */
export type PolicyTransportScopes = Map<string, Map<string, PolicyRequirements>>;

export interface Policy {
  /** Path the policy was read from. */
  path: string;
  default: PolicyRequirements;
  transports: PolicyTransportScopes;
}

/** Which requirements apply to a reference, and why (for `pullsim explain` and traces). */
export interface ScopeMatch {
  transport: string;
  /** The scope key that matched: an identity, a namespace, a wildcard, "" for the transport default, or "default" for the top-level default. */
  scope: string;
  kind: 'identity' | 'namespace' | 'wildcard' | 'transport-default' | 'default';
  requirements: PolicyRequirements;
}
