import { describe, expect, it } from 'vitest';
import { decidePull, effectivePullPolicy } from '../../src/kubelet/pull-policy.js';

describe('the default imagePullPolicy: Always for :latest or no tag, else IfNotPresent', () => {
  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['registry.example.com:5000/app', 'Always'],
    ['registry.example.com:5000/app:1.0', 'IfNotPresent'],
    ['app@sha256:' + 'a'.repeat(64), 'IfNotPresent'],
    ['app:latest@sha256:' + 'a'.repeat(64), 'Always'],
  ])('%s → %s', (image, want) => {
    expect(effectivePullPolicy(image, undefined)).toBe(want);
  });

  it('an explicit policy wins', () => {
    expect(effectivePullPolicy('nginx', 'Never')).toBe('Never');
  });
});

describe('imagePullPrecheck: what each policy does with a present or absent image', () => {
  it.each([
    ['Always', true, 'pull'],
    ['Always', false, 'pull'],
    ['IfNotPresent', true, 'use-present'],
    ['IfNotPresent', false, 'pull'],
    ['Never', true, 'use-present'],
    ['Never', false, 'never-pull'],
  ] as const)('%s, present %s → %s', (policy, present, want) => {
    expect(decidePull(policy, present)).toBe(want);
  });
});
