import { describe, expect, it } from 'vitest';
import { browserPlan } from './browser.mjs';

describe('browserPlan: what npm install does about the status page e2e browser', () => {
  it.each([
    [{ exists: true, root: false, aptGet: false, skip: false }, 'present'],
    [{ exists: true, root: true, aptGet: true, skip: true }, 'present'],
    [{ exists: false, root: true, aptGet: true, skip: false }, 'install'],
    [{ exists: false, root: true, aptGet: true, skip: true }, 'skip'],
    [{ exists: false, root: false, aptGet: true, skip: false }, 'fail'],
    [{ exists: false, root: true, aptGet: false, skip: false }, 'fail'],
  ] as const)('%j -> %s', (facts, plan) => {
    expect(browserPlan(facts)).toBe(plan);
  });
});
