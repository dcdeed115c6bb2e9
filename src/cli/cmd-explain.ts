import { resolve } from 'node:path';
import { InputError } from '../errors/index.js';
import { explain } from '../explain/explain.js';
import { explainText } from '../explain/explain-text.js';
import { DiskFS, type NodeFS } from '../node-fs.js';
import { offlineNode } from '../explain/scenario-fs.js';
import { isGitSpec, resolveTreeSpec } from '../compare/git-tree.js';
import { applyNodeOverrides, configOnlyScenario, treeArgument } from '../scenario/overrides.js';
import { loadScenarioFile } from '../scenario/index.js';
import { defaultSystemContext, type RuntimeName } from '../system-context.js';
import { existsSync, statSync } from 'node:fs';
import { CRIO_GLOBAL_AUTH_FILE } from '../runtime/tool-context.js';
import { flagList, flagString, parseArgs } from './args.js';
import type { Io } from './main.js';

/** `pullsim explain IMAGE [--root DIR|git:REV[:PATH]] [--manifests PATH]... [--scenario FILE] [--runtime crio|podman|skopeo] [--json]`. */
export async function explainCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs('explain', argv, {
    root: { value: true },
    manifests: { value: true },
    scenario: { value: true },
    runtime: { value: true, choices: ['crio', 'podman', 'skopeo'] },
    json: { value: false },
  });
  if (args.positional.length !== 1) throw new InputError('explain: give exactly one image, e.g. pullsim explain quay.io/ns/app:v1 --root /');
  const root = flagString(args, 'root');
  const scenario = flagString(args, 'scenario');
  const manifests = flagList(args, 'manifests');
  let fs: NodeFS;
  let runtime: RuntimeName = 'crio';
  if (scenario !== undefined) {
    const s = applyNodeOverrides(loadScenarioFile(scenario), { root, manifests });
    ({ fs } = offlineNode(s));
    runtime = s.runtime;
  } else if (manifests.length || (root !== undefined && isGitSpec(root))) {
    const tree = root === undefined ? undefined : treeArgument('--root', root);
    ({ fs } = offlineNode(configOnlyScenario('explain', tree, manifests.map((m) => resolveTreeSpec(m, process.cwd())))));
  } else {
    const dir = resolve(root ?? '/');
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`explain: --root ${dir} is not a readable directory`);
    fs = new DiskFS(dir);
  }
  const rt = flagString(args, 'runtime') as RuntimeName | undefined;
  const sys = defaultSystemContext(rt ?? runtime);
  if (sys.runtime === 'crio') sys.authFilePath = CRIO_GLOBAL_AUTH_FILE;
  const x = explain(fs, sys, args.positional[0]);
  io.out(args.flags.has('json') ? JSON.stringify(x, null, 2) + '\n' : explainText(x));
  return 0;
}
