import type { Command } from './command.js';
import { POST_COMMANDS } from './post.js';
import { statusCommand } from './status.js';
import { holdingsCommand, navCommand } from './reads.js';
import { redeemCancelCommand, redeemRequestCommand } from './redeem.js';
import { policySetCommand, quorumSetCommand } from './issuer.js';
import { deadLettersCommand, retryCommand } from './operator.js';
import { keysImportCommand, keysNewCommand } from './keys.js';
import { curseCommand, uncurseCommand } from './curse.js';
import { stressCommand } from './stress.js';

/** Every `rwa` command, in the order help lists them. */
export const COMMANDS: readonly Command[] = [
  keysNewCommand,
  keysImportCommand,
  ...POST_COMMANDS,
  statusCommand,
  holdingsCommand,
  navCommand,
  redeemRequestCommand,
  redeemCancelCommand,
  quorumSetCommand,
  policySetCommand,
  deadLettersCommand,
  retryCommand,
  curseCommand,
  uncurseCommand,
  stressCommand,
];

/** Command groups: the first word of commands with subcommands, and what they are for. */
export const GROUPS: Readonly<Record<string, string>> = {
  keys: 'create or import a signing key as a v3 keystore file',
  post: 'sign a request and post it to the oracle (custodian, NAV publisher, issuer)',
  redeem: 'redemption requests as a holder, on chain',
  quorum: 'transport quorum of a DID on a chain (issuer, on the hub registry)',
  policy: 'redemption policy of a DID (issuer, on the hub registry)',
};
