/**
 * A scenario file, validated and typed (../shared/scenario-format.md is the contract).
 * The loader (load.ts) produces these; the fake registries, the renderer and the runner consume them.
 * `${digest:…}` / `${keyData:…}` placeholders are still present here: they are substituted after
 * the lab is built (substitute.ts), since digests come from the generated images.
 */
import type { LabSpec } from '../lab/types.js';
import type { RuntimeName } from '../system-context.js';

export interface Scenario {
  /** Path of the file it came from (as given on the command line). */
  file: string;
  name: string;
  description?: string;
  runtime: RuntimeName;
  versions: { crio?: string; openshift?: string; containerd?: string };
  cas: Record<string, CaSpec>;
  keys: Record<string, KeySpec>;
  images: Record<string, ImageOptions>;
  /** Extra name → address entries, like /etc/hosts. */
  hosts: Record<string, string>;
  registries: Record<string, RegistrySpec>;
  node: NodeSpec;
  cluster: ClusterObject[];
  /** `cluster.manifests`: YAML files/folders (or canonical git: specs) whose objects follow the inline ones in `cluster`. */
  manifests?: string[];
  /** How many of `cluster`'s last objects came from `manifests` (a `--manifests` override replaces them). */
  manifestObjects?: number;
  /** Objects in the manifests that play no part in pulls, one line each. */
  ignoredObjects?: string[];
  /** May be empty: a config-only scenario. */
  pulls: PullSpec[];
  /** runtime vsphere-pod: the Supervisor's names and numbers its events show (docs/vsphere-pod.md). */
  vsphere?: VsphereSpec;
  /** A lab's exercise (docs/labs.md): the file's node and cluster are its broken starting state. */
  lab?: LabSpec;
}

export interface VsphereSpec {
  /** The ESXi host the pod runs on: the events' From column reads `kubelet, <node>`. */
  node: string;
  /** The ESXi host whose image fetcher resolved the image (`Failed to resolve on node <host>`). */
  resolvingHost: string;
  /** The number after `-v` in the image object's name. */
  imageVersion: number;
}

export interface CaSpec {
  /** A publicly trusted CA: in the system trust store of every node and of the control plane. */
  trusted?: boolean;
}

export type KeySpec = { type: 'sigstore' } | { type: 'gpg'; email?: string };

/** Platform "os/arch[/variant]". */
export type Platform = string;

export interface ImageOptions {
  /** Number of layers (default 1). */
  layers?: number;
  /** Multi-platform: served as an OCI index. */
  platforms?: Platform[];
}

export interface SignSpec {
  key: string;
  /** Signed identity; default: this host/repo:tag. */
  identity?: string;
}

/** What a registry serves at repository:tag. */
export interface ServedImage {
  /** Catalog name from `images:` (same bytes everywhere), or undefined for inline content unique to this registry+repo. */
  image?: string;
  options: ImageOptions;
  sign: SignSpec[];
}

export type TlsSpec =
  | false
  | { ca?: string; names?: string[]; ips?: string[]; expired?: boolean; selfSigned?: boolean };

export interface AuthSpec {
  type: 'basic' | 'bearer';
  /** bearer only: token server host or URL (delegated auth). */
  realm?: string;
  users: Record<string, string>;
  /** Repository pattern → users allowed to pull; default: any authenticated user. */
  access?: Record<string, string[]>;
  /** Repository patterns anyone may pull without credentials. */
  anonymous?: string[];
}

export interface FaultSpec {
  down?: boolean;
  status?: number;
  delayMs?: number;
  reset?: boolean;
  /** The body stops short of its Content-Length and the connection closes cleanly (FIN). */
  truncate?: boolean;
  corruptBlob?: boolean;
  /** The registry's separate token server (auth.realm on another host) is not listening. */
  tokenDown?: boolean;
}

export interface RegistrySpec {
  handle: string;
  /** What the node dials: DNS name or IP, optional :port. */
  host: string;
  /** Address `host` resolves to (shown in dial errors). */
  ip?: string;
  /** false → plain HTTP; object → HTTPS with those cert options (`true` in the file means `{}`: a cert from the scenario's only/first CA for `host`). */
  tls: TlsSpec;
  auth?: AuthSpec;
  /** file:///path on the node where gpg signatures of images signed here are written. */
  lookaside?: string;
  /** repository:tag → served image. */
  images: Record<string, ServedImage>;
  faults: FaultSpec;
  /** Authorizes like OpenShift's image registry: ServiceAccount tokens, system:image-puller RBAC from `cluster`. */
  openshift?: boolean;
}

/** A node file: literal text, or generated material. */
export type NodeFileSpec = string | { ca: string } | { publicKey: string };

export interface NodeSpec {
  files: Record<string, NodeFileSpec>;
  /** A folder laid out like the node's filesystem, relative to the scenario file; or a canonical `git:REV:/abs/path`. */
  root?: string;
}

/** A Kubernetes/OpenShift object as users `oc apply` it (validated by the renderer, not the loader). */
export type ClusterObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: unknown };

export interface PullOptions {
  tlsVerify?: boolean;
  certDir?: string;
  authfile?: string;
  creds?: string;
  arch?: string;
  platform?: string;
  registriesConf?: string;
  signaturePolicy?: string;
}

export interface Expectation {
  /** `imported` for ImageStream imports. */
  result?: 'pulled' | 'failed' | 'imported';
  /** Imports: the reason of the tag condition (Unauthorized, NotFound, ...) or of the rejected request (Invalid). */
  reason?: string;
  from?: string;
  error?: string;
  digest?: string;
  attempts?: string[];
}

/** An ImageStream import (`oc import-image`) instead of a node pull. */
export interface ImportSpec {
  stream: string;
  tag: string;
  /** --from; without it the stream's existing spec tag (an ImageStream in `cluster`) is imported. */
  from?: string;
  insecure?: boolean;
  /** --import-mode as typed: oc itself rejects a wrong value. */
  importMode?: string;
  /** --reference-policy as typed. */
  referencePolicy?: string;
  scheduled?: boolean;
  /** --confirm (default true). */
  confirm: boolean;
  /** Who runs it: a project user is held to allowedRegistriesForImport, a cluster-admin is not. */
  as: 'developer' | 'cluster-admin';
}

export interface PullSpec {
  /** Exactly one of image / pod / import. */
  image?: string;
  pod?: string;
  import?: ImportSpec;
  /** false: the pod was created before its ServiceAccount got its internal-registry pull secret. */
  saProvisioned?: boolean;
  namespace: string;
  serviceAccount: string;
  secrets?: string[];
  platform: Platform;
  /** Simulated retry window in seconds (from "10m", "90s", …). */
  retryForSeconds?: number;
  /** Seed of the kubelet's requeue jitter within retryFor (docs/kubelet.md). */
  retrySeed?: number;
  options: PullOptions;
  expect?: Expectation;
  /** 1-based line of this entry in the scenario file, for messages. */
  line?: number;
}
