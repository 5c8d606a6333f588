import type { FromSchema } from 'json-schema-to-ts';
import { parserFor } from './validate.js';

/** The transports, in the order of their quorum bits (1, 2, 4): the one list every part derives from. */
export const TRANSPORT_NAMES = ['cctp', 'ccip', 'wormhole'] as const;
export type TransportName = (typeof TRANSPORT_NAMES)[number];

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
    transport: { enum: TRANSPORT_NAMES, description: 'how the relayer delivers to this chain (default cctp)' },
    ccip: {
      type: 'object',
      additionalProperties: false,
      required: ['selector', 'adapter', 'sender'],
      description: 'this chain as a CCIP destination of the hub: its OffRamp, our adapter, and the hub-side RwaCcipSender of the lane',
      properties: {
        selector: { type: 'string', pattern: '^[0-9]{1,20}$' },
        mode: {
          enum: ['local', 'live'],
          description:
            "local (default): a lane deployed from the package on our own chains, the relayer plays verifier and executor (needs offRamp); live: Chainlink's network verifies and executes, the relayer only sends and tracks",
        },
        offRamp: address,
        adapter: address,
        sender: address,
      },
    },
    wormhole: {
      type: 'object',
      additionalProperties: false,
      required: ['adapter', 'emitter', 'emitterChainId'],
      description:
        "this chain as a Wormhole destination of the hub: our RwaWormholeReceiver here, the hub's RwaWormholeEmitter, and the hub's Wormhole chain id (the VAA's emitter chain)",
      properties: {
        adapter: { ...address, description: 'RwaWormholeReceiver on this chain' },
        emitter: { ...address, description: 'RwaWormholeEmitter on the hub (the VAA emitter address, left-padded)' },
        emitterChainId: { type: 'integer', minimum: 1, maximum: 65535, description: "the hub's Wormhole chain id (not an EVM chain id)" },
      },
    },
  },
} as const;

export const deploymentSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://rwa-oracle.local/schemas/deployment.json',
  type: 'object',
  additionalProperties: false,
  required: ['hub', 'chains', 'governance', 'dids'],
  properties: {
    hub: {
      type: 'object',
      additionalProperties: false,
      required: ['chainId', 'rpcUrl', 'registry'],
      properties: {
        chainId: { type: 'integer', minimum: 1 },
        rpcUrl: { type: 'string' },
        registry: address,
        ccip: {
          type: 'object',
          additionalProperties: false,
          required: ['selector', 'router'],
          description: 'the hub as CCIP source: Router, and the OnRamp local lanes read CCIPMessageSent from',
          properties: { selector: { type: 'string', pattern: '^[0-9]{1,20}$' }, router: address, onRamp: address },
        },
      },
    },
    chains: { type: 'array', minItems: 1, items: chain },
    governance: {
      type: 'object',
      additionalProperties: false,
      required: ['signers', 'threshold'],
      description: 'committee that signs the first config of a DID on each receiver',
      properties: { signers: { type: 'array', minItems: 1, items: address }, threshold: { type: 'integer', minimum: 1 } },
    },
    ccipLanes: {
      type: 'array',
      description:
        'CCIP lanes other than hub -> chain (those are chains[].ccip), e.g. spoke -> hub for what starts on a spoke (redemption requests)',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['from', 'to', 'selector', 'adapter', 'sender'],
        properties: {
          from: { type: 'integer', minimum: 1, description: 'source chain id' },
          to: { type: 'integer', minimum: 1, description: 'destination chain id' },
          mode: { enum: ['local', 'live'] },
          selector: { type: 'string', pattern: '^[0-9]{1,20}$', description: "the destination's CCIP chain selector" },
          onRamp: { ...address, description: "the source's OnRamp (local lanes)" },
          offRamp: { ...address, description: "the destination's OffRamp (local lanes)" },
          adapter: { ...address, description: 'RwaCcipReceiver on the destination' },
          sender: { ...address, description: 'RwaCcipSender on the source' },
        },
      },
    },
    routes: {
      type: 'array',
      description:
        'which transport carries what: the first route matching (DID, chain, kind) wins; a chain with no matching route uses its own `transport`',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['chainId', 'transport'],
        properties: {
          did: { type: 'string', pattern: '^did:rwa:', description: 'the DID this route is for; every DID when absent' },
          chainId: { type: 'integer', minimum: 1, description: 'destination chain' },
          from: { type: 'integer', minimum: 1, description: 'origin chain (the hub, or the spoke a redemption request started on); any when absent' },
          kinds: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 }, description: 'attestation kinds (settlement, nav, ...); every kind when absent' },
          transport: { enum: TRANSPORT_NAMES },
        },
      },
    },
    dids: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['did', 'didHash'],
        properties: { did: { type: 'string' }, didHash: { type: 'string' } },
      },
    },
  },
} as const;

export type Deployment = FromSchema<typeof deploymentSchema>;
export type DeployedChain = Deployment['chains'][number];
export type TransportRoute = NonNullable<Deployment['routes']>[number];
export type CcipLaneEntry = NonNullable<Deployment['ccipLanes']>[number];
export type WormholeDestination = NonNullable<DeployedChain['wormhole']>;
export const parseDeployment = parserFor<Deployment>(deploymentSchema);
