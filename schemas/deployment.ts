import type { FromSchema } from 'json-schema-to-ts';
import { parserFor } from './validate.js';

/** What a deployment wrote down: where the hub registry and each chain's receiver live. Read by oracle and relayer. */
const address = { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$' } as const;
const chain = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'chainId', 'rpcUrl', 'receiver', 'confirmations'],
  properties: {
    name: { type: 'string', minLength: 1 },
    chainId: { type: 'integer', minimum: 1 },
    rpcUrl: { type: 'string', minLength: 1 },
    receiver: address,
    confirmations: { type: 'integer', minimum: 0, maximum: 1000 },
  },
} as const;

export const deploymentSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://rwa-oracle.local/schemas/deployment.json',
  type: 'object',
  additionalProperties: false,
  required: ['hub', 'chains', 'dids'],
  properties: {
    hub: {
      type: 'object',
      additionalProperties: false,
      required: ['chainId', 'rpcUrl', 'registry'],
      properties: { chainId: { type: 'integer', minimum: 1 }, rpcUrl: { type: 'string' }, registry: address },
    },
    chains: { type: 'array', minItems: 1, items: chain },
    dids: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['did', 'didHash', 'assets'],
        properties: {
          did: { type: 'string' },
          didHash: { type: 'string' },
          assets: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['chainId', 'holdings', 'navFeed'],
              properties: { chainId: { type: 'integer' }, holdings: address, navFeed: address },
            },
          },
        },
      },
    },
  },
} as const;

export type Deployment = FromSchema<typeof deploymentSchema>;
export type DeployedChain = Deployment['chains'][number];
export const parseDeployment = parserFor<Deployment>(deploymentSchema);
