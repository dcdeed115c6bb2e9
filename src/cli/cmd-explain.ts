import { resolve } from 'node:path';
import { InputError } from '../errors/index.js';
import { explain } from '../explain/explain.js';
import { explainText } from '../explain/explain-text.js';
import { DiskFS, type NodeFS } from '../node-fs.js';
import type { RuntimeName } from '../system-context.js';
import { explainContext } from '../explain/node-context.js';
import { existsSync, statSync } from 'node:fs';
import { flagList, flagString, parseArgs } from './args.js';
import { commandFlags } from './commands.js';
import type { Io } from './main.js';

/**
 * A scenario's node (with --manifests), or a tree from git and/or manifests, as explain sees it. The
 * scenario loader (YAML), git reader and MCO renderer are loaded only here: a disk --root needs none.
 */
async function offlineFs(scenario: string | undefined, root: string | undefined, manifests: string[]): Promise<{ fs: NodeFS; runtime: RuntimeName; containerd?: string }> {
  const [{ loadScenarioFile }, { offlineNode }, overrides, { resolveTreeSpec }] = await Promise.all([
    import('../scenario/index.js'),
    import('../explain/scenario-fs.js'),
    import('../scenario/overrides.js'),
    import('../compare/git-tree.js'),
  ]);
  if (scenario !== undefined) {
    const s = overrides.applyNodeOverrides(loadScenarioFile(scenario), { manifests });
    return { fs: (await offlineNode(s)).fs, runtime: s.runtime, containerd: s.versions.containerd };
  }
  const tree = root === undefined ? undefined : overrides.treeArgument('--root', root);
  return { fs: (await offlineNode(overrides.configOnlyScenario('explain', tree, manifests.map((m) => resolveTreeSpec(m, process.cwd()))))).fs, runtime: 'crio' };
}

/**
 * `pullsim explain IMAGE [--root DIR | --scenario FILE] [--runtime crio|podman|skopeo|containerd] [--containerd VERSION] [--json]`: exit 0 when the
 * pull may succeed, 1 when the decisions show it cannot (the reasons are printed), 2 for bad input.
 */
export async function explainCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs('explain', argv, commandFlags('explain'));
  if (args.positional.length !== 1) throw new InputError('explain: give exactly one image, e.g. pullsim explain quay.io/ns/app:v1 --root /');
  const root = flagString(args, 'root');
  const scenario = flagString(args, 'scenario');
  if (root !== undefined && scenario !== undefined) throw new InputError('explain: give --root or --scenario, not both');
  let fs: NodeFS;
  let runtime: RuntimeName = 'crio';
  let containerd = flagString(args, 'containerd');
  const manifests = flagList(args, 'manifests');
  if (scenario !== undefined || manifests.length || (root !== undefined && root.startsWith('git:'))) {
    const s = await offlineFs(scenario, root, manifests);
    ({ fs, runtime } = s);
    containerd ??= s.containerd;
  } else {
    const dir = resolve(root ?? '/');
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`explain: --root ${dir} is not a readable directory`);
    fs = new DiskFS(dir);
    checkRootShape(fs, dir);
  }
  const rt = flagString(args, 'runtime') as RuntimeName | undefined;
  // The vSphere image fetcher reads no node files; its decisions are in the notes of `pullsim run`.
  if ((rt ?? runtime) === 'vsphere-pod') throw new InputError('explain: runtime vsphere-pod reads no node configuration; run the scenario instead (its notes name the image object, the CA bundle and the credential)');
  if ((rt ?? runtime) === 'containerd') {
    const [{ explainContainerd, explainContainerdText }, { containerdProfile }] = await Promise.all([import('../explain/explain-containerd.js'), import('../runtime/containerd/profiles.js')]);
    const x = explainContainerd(fs, containerdProfile(containerd), args.positional[0]);
    io.out(args.flags.has('json') ? JSON.stringify(x, null, 2) + '\n' : explainContainerdText(x));
    return x.cannotPull.length ? 1 : 0;
  }
  const x = explain(fs, explainContext(rt ?? runtime), args.positional[0]);
  io.out(args.flags.has('json') ? JSON.stringify(x, null, 2) + '\n' : explainText(x));
  return x.cannotPull.length ? 1 : 0;
}

const CONTAINERS_FILES = ['registries.conf', 'registries.conf.d', 'policy.json', 'registries.d', 'certs.d'];

/** `--root /etc/containers` would silently find nothing: the node's files are looked up under etc/containers/. */
function checkRootShape(fs: NodeFS, dir: string): void {
  if (fs.exists('/etc')) return;
  const found = CONTAINERS_FILES.find((f) => fs.exists(`/${f}`));
  if (found) throw new InputError(`explain: --root ${dir} holds ${found} directly, like /etc/containers; --root wants a folder laid out like /, with the file at etc/containers/${found}`);
}
