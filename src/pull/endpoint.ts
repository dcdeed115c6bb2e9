/**
 * One endpoint's client, set up as newDockerClientFromRef and newDockerClient do it, in their order:
 * credentials for the physical name (their error stops the attempt), certs.d for the host, the
 * blocked check, then the ping and the manifest GET that make the source "loaded".
 */
import { lookupCredentials } from '../auth/credentials.js';
import { certsFor } from '../certs/certs-dir.js';

import { manifestRefOf, refName, type ImageRef } from '../reference/reference.js';
import type { Credential, SystemContext } from '../system-context.js';
import { loadKept } from './node-config-cache.js';
import type { PullContext } from './pull-context.js';
import { RegistryClient, type FetchedManifest } from './registry-client.js';
import { systemCas } from './tls-trust.js';

export interface OpenedEndpoint {
  client: RegistryClient;
  manifest: FetchedManifest;
}

export interface EndpointOptions {
  /** InsecureSkipVerify for this endpoint: --tls-verify when given, else the pull source's own flag. */
  insecure: boolean;
  /** newDockerClient's registries.conf check of the physical name (blocked → throws). */
  beforeConnect: () => void;
  onCredential: (c: Credential | undefined) => void;
}

export async function openEndpoint(ctx: PullContext, sys: SystemContext, physical: ImageRef, opts: EndpointOptions): Promise<OpenedEndpoint> {
  const creds = lookupCredentials(ctx.fs, sys, physical.domain, physical.path);
  if (creds.error) throw creds.error;
  opts.onCredential(creds.credential);
  // A pure function of the certs.d files: kept across pulls while they stay the same, so a
  // client certificate's key pair is not checked again on every pull.
  const certs = loadKept(ctx.fs, `certs.d ${sys.home}\0${sys.dockerCertPath ?? ''}\0${physical.domain}`, (fs) => certsFor(fs, sys, physical.domain));
  if (certs.error) throw certs.error;
  opts.beforeConnect();
  const client = new RegistryClient({
    dialer: ctx.net.dialer,
    registry: physical.domain,
    tls: { insecureSkipVerify: opts.insecure, cas: [...systemCas(ctx.fs), ...certs.cas.map((c) => c.pem)], clientCerts: certs.clientCerts.map((c) => ({ cert: c.cert, key: c.key })) },
    credential: creds.credential,
    goTlsVerifyPrefix: ctx.goTlsVerifyPrefix,
    registryErrorEra: sys.registryErrorEra,
  });
  const manifest = await client.getManifest(physical.path, manifestRefOf(physical), refName(physical));
  return { client, manifest };
}

