export const CHROMIUM_PATH: string;
export function browserPlan(facts: { exists: boolean; root: boolean; aptGet: boolean; skip: boolean }): 'present' | 'install' | 'skip' | 'fail';
export function ensureChromium(log?: (line: string) => void): string | undefined;
