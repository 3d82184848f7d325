import type { KubernetesObject } from './kubernetes-object.validator';
import { parseYamlStream, repoPath } from './repo-files';
import { kubectl120, run } from './tool-locator';

/** Renders a kustomization directory with kubectl 1.20's built-in kustomize (v2.0.3). */
export function renderKustomization(relativeDir: string): KubernetesObject[] {
  return parseYamlStream(run(kubectl120(), ['kustomize', repoPath(relativeDir)])) as KubernetesObject[];
}

export const byKind = (objects: KubernetesObject[], kind: string) => objects.filter((object) => object.kind === kind);

export function named(objects: KubernetesObject[], kind: string, name: string): KubernetesObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the rendered output`);
  return found;
}
