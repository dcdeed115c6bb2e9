/** Where labs come from: the bundled course (scenarios/course/) and folders or files the user names. */
import { join } from 'node:path';
import { InputError, text } from '../errors/index.js';
import { collectScenarioFiles, loadScenarioFile } from '../scenario/index.js';
import { packageRoot } from '../package-root.js';
import type { LabScenario } from './workspace.js';

export function bundledCourseDir(): string {
  return join(packageRoot(), 'scenarios', 'course');
}

/** Every scenario file with a `lab:` section under the paths (a file without one is not a lab). */
export function loadLabs(paths: string[]): LabScenario[] {
  return collectScenarioFiles(paths)
    .map((f) => loadScenarioFile(f))
    .filter((s): s is LabScenario => s.lab !== undefined);
}

/** A lab by id among the bundled ones, or a lab definition file given by path. */
export function findLab(idOrFile: string): LabScenario {
  if (/\.ya?ml$/.test(idOrFile)) {
    const [s] = loadLabs([idOrFile]);
    if (!s) throw new InputError(text('lab.no-labs', idOrFile));
    return s;
  }
  const labs = loadLabs([bundledCourseDir()]);
  const found = labs.find((s) => s.lab.id === idOrFile);
  if (!found) throw new InputError(text('lab.unknown', idOrFile, labs.map((s) => s.lab.id).join(', ')));
  return found;
}
