import { CRIO_GLOBAL_AUTH_FILE } from '../runtime/tool-context.js';
import { defaultSystemContext, type RuntimeName, type SystemContext } from '../system-context.js';

/** The system context explain reasons with: a runtime's defaults, and for CRI-O OpenShift's global auth file. */
export function explainContext(runtime: RuntimeName): SystemContext {
  const sys = defaultSystemContext(runtime);
  if (sys.runtime === 'crio') sys.authFilePath = CRIO_GLOBAL_AUTH_FILE;
  return sys;
}
