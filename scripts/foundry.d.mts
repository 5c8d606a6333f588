export function foundryBinary(tool: 'anvil' | 'forge' | 'cast'): string;
