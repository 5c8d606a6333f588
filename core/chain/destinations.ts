import { createPublicClient, http, type Address, type Hex, type PublicClient } from 'viem';
import { rwaHoldingsAbi, rwaNavFeedAbi, rwaReceiverAbi } from '../../schemas/abi.js';
import { quorumArrivalsReader } from '../../common/transport-quorum.js';
import { maskToTransports } from '../../schemas/message.js';
import type { TransportName } from '../../schemas/deployment.js';
import type { DidHash } from '../../schemas/ids.js';
import { BRAKES_DIRECTION } from '../../schemas/kinds/brakes.js';
import type { DeployedChain } from '../../schemas/deployment.js';

export interface HoldingsState {
  configured: boolean;
  totalSupply: bigint;
  supplyCap: bigint;
  paused: boolean;
  investorAllowed: boolean;
  investorBalance: bigint;
}

/** A DID's transport quorum on a chain and which of its transports delivered one attestation there. */
export interface TransportQuorumStatus {
  k: number;
  transports: TransportName[];
  arrived: TransportName[];
}

/** What the oracle needs from destination chains. */
export type DestinationsPort = Pick<Destinations, 'get' | 'isApplied' | 'settlementState' | 'balanceOf' | 'holdingsState' | 'transportQuorumStatus' | 'moveOutcomeOf'>;

/**
 * How a settlement stands on a chain: its nonce not used yet (`pending`); used by the brakes' queue and not applied
 * yet (`queued`: a mint there is not in the supply yet, a burn's units are escrowed and not burned yet); applied.
 */
export type SettlementState = 'pending' | 'queued' | 'applied';

/** How a move ended on one chain (RwaReceiver.moveOutcomeOf): the in leg, the void (to-chain) or the return (from-chain). */
export type MoveOutcome = 'none' | 'arrived' | 'voided' | 'returned';
const MOVE_OUTCOMES: readonly MoveOutcome[] = ['none', 'arrived', 'voided', 'returned'];
/** What reserve and allow-list checks need from destination chains. */
export type HoldingsPort = Pick<Destinations, 'get' | 'holdingsState'>;

/** Read-only view of the destination chains: what has been applied, and balances for redemption checks. */
export class Destinations {
  private readonly clients = new Map<number, { chain: DeployedChain; client: PublicClient; arrivals: ReturnType<typeof quorumArrivalsReader> }>();

  /**
   * @param logSpanBlocks the widest block range of one log query (RPC providers refuse wide ones): the
   * SettlementQueued lookup walks back from the head in ranges of this size.
   */
  constructor(chains: readonly DeployedChain[], private readonly logSpanBlocks = 5_000n) {
    for (const chain of chains) {
      // batch: reads asked in the same tick (a holdings state's five, concurrent requests' reads) go in one JSON-RPC
      // batch, one HTTP request, each answered on its own; every read is still made at the chain's latest block.
      const client = createPublicClient({ transport: http(chain.rpcUrl, { retryCount: 1, timeout: 5_000, batch: true }) });
      this.clients.set(chain.chainId, { chain, client, arrivals: quorumArrivalsReader(client) });
    }
  }

  get(chainId: number): DeployedChain | undefined {
    return this.clients.get(chainId)?.chain;
  }

  private entry(chainId: number) {
    const e = this.clients.get(chainId);
    if (!e) throw new Error(`chain ${chainId} is not in the deployment`);
    return e;
  }

  /**
   * The DID's transport quorum on the chain and the transports that delivered `attestationId` there (the receiver's
   * RwaTransportQuorum); undefined when the DID needs no quorum on that chain.
   */
  async transportQuorumStatus(chainId: number, did: DidHash, attestationId: Hex): Promise<TransportQuorumStatus | undefined> {
    const { chain, client, arrivals } = this.entry(chainId);
    const receiver = chain.receiver as Address;
    const [k, transports] = await client.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'transportQuorumOf', args: [did] });
    if (transports === 0) return undefined;
    const arrived = await arrivals(receiver, attestationId);
    return { k, transports: maskToTransports(transports), arrived: maskToTransports(arrived) };
  }

  /** The end (unix seconds) of the signer set the receiver holds for `did` (GOVERNANCE_KEY: governance's); 0 when none. */
  async signersValidUntilOf(chainId: number, did: Hex): Promise<number> {
    const { chain, client } = this.entry(chainId);
    const state = await client.readContract({ address: chain.receiver as Address, abi: rwaReceiverAbi, functionName: 'didState', args: [did] });
    return state.signersValidUntil;
  }

  /** Whether the receiver has used the DID's nonce, as of `blockNumber` if given (else latest). */
  isApplied(chainId: number, did: DidHash, nonce: bigint, blockNumber?: bigint): Promise<boolean> {
    const { chain, client } = this.entry(chainId);
    return client.readContract({ address: chain.receiver as Address, abi: rwaReceiverAbi, functionName: 'isNonceUsed', args: [did, nonce], blockNumber });
  }

  /**
   * How the settlement at `nonce` stands on the chain (SettlementState). A queued settlement's nonce is used when it
   * is queued (docs/brakes.md), so `isNonceUsed` alone would call it applied. An unused nonce is one read. A used
   * one: the DID's queues (`queuedOf`, both directions) are read at a block no older than the nonce read (a used
   * nonce stays used, and a queue only moves on), and only while one is not empty is the nonce's SettlementQueued
   * event looked up (DID and nonce are indexed) and its queue index compared with that queue's head at the same
   * block (the drain applies strictly from the head, so an index below it is applied).
   */
  async settlementState(chainId: number, did: DidHash, nonce: bigint): Promise<SettlementState> {
    const { chain, client } = this.entry(chainId);
    const address = chain.receiver as Address;
    if (!(await client.readContract({ address, abi: rwaReceiverAbi, functionName: 'isNonceUsed', args: [did, nonce] }))) return 'pending';
    const blockNumber = await client.getBlockNumber({ cacheTime: 0 });
    const queues = await Promise.all(
      [BRAKES_DIRECTION.mint, BRAKES_DIRECTION.burn].map((direction) => client.readContract({ address, abi: rwaReceiverAbi, functionName: 'queuedOf', args: [did, direction], blockNumber })),
    );
    if (queues.every(([head, tail]) => head === tail)) return 'applied';
    const queuedAs = await this.queuedEvent(client, address, did, nonce, blockNumber);
    if (!queuedAs) return 'applied';
    const queue = queues[queuedAs.direction];
    if (!queue) throw new Error(`chain ${chainId} reports unknown brakes direction ${queuedAs.direction}`);
    return queuedAs.queueIndex >= queue[0] ? 'queued' : 'applied';
  }

  /** The nonce's SettlementQueued event, looked up from `head` back to block 0 in ranges of `logSpanBlocks`. */
  private async queuedEvent(client: PublicClient, address: Address, did: DidHash, nonce: bigint, head: bigint) {
    for (let to = head; to >= 0n; to -= this.logSpanBlocks) {
      const from = to - this.logSpanBlocks + 1n > 0n ? to - this.logSpanBlocks + 1n : 0n;
      const events = await client.getContractEvents({ address, abi: rwaReceiverAbi, eventName: 'SettlementQueued', args: { did, nonce }, fromBlock: from, toBlock: to, strict: true });
      if (events[0]) return events[0].args;
      if (from === 0n) break;
    }
    return undefined;
  }

  /** What consumed the move reference `moveRef` (keccak256 of the custodian's ref) on the chain, if anything. */
  async moveOutcomeOf(chainId: number, did: DidHash, moveRef: Hex): Promise<MoveOutcome> {
    const { chain, client } = this.entry(chainId);
    const code = await client.readContract({ address: chain.receiver as Address, abi: rwaReceiverAbi, functionName: 'moveOutcomeOf', args: [did, moveRef] });
    const outcome = MOVE_OUTCOMES[code];
    if (!outcome) throw new Error(`chain ${chainId} reports unknown move outcome ${code}`);
    return outcome;
  }

  async balanceOf(chainId: number, did: DidHash, investor: Address): Promise<bigint> {
    const { chain, client } = this.entry(chainId);
    const state = await client.readContract({ address: chain.receiver as Address, abi: rwaReceiverAbi, functionName: 'didState', args: [did] });
    if (state.holdings === '0x0000000000000000000000000000000000000000') return 0n;
    return client.readContract({ address: state.holdings, abi: rwaHoldingsAbi, functionName: 'balanceOf', args: [investor] });
  }

  /**
   * What a subscription or reserve check needs from one chain: supply, this chain's reserve cap, whether the
   * investor is allow-listed, whether the asset is paused. `configured` is false until the DID's config arrived.
   */
  async holdingsState(chainId: number, did: DidHash, investor?: Address): Promise<HoldingsState> {
    const { chain, client } = this.entry(chainId);
    const state = await client.readContract({ address: chain.receiver as Address, abi: rwaReceiverAbi, functionName: 'didState', args: [did] });
    if (state.holdings === '0x0000000000000000000000000000000000000000') {
      return { configured: false, totalSupply: 0n, supplyCap: 0n, paused: false, investorAllowed: false, investorBalance: 0n };
    }
    const token = { address: state.holdings, abi: rwaHoldingsAbi } as const;
    const [totalSupply, supplyCap, paused, investorAllowed, investorBalance] = await Promise.all([
      client.readContract({ ...token, functionName: 'totalSupply' }),
      client.readContract({ ...token, functionName: 'supplyCap' }),
      client.readContract({ ...token, functionName: 'paused' }),
      investor ? client.readContract({ ...token, functionName: 'isAllowed', args: [investor] }) : Promise.resolve(false),
      investor ? client.readContract({ ...token, functionName: 'balanceOf', args: [investor] }) : Promise.resolve(0n),
    ]);
    return { configured: true, totalSupply, supplyCap, paused, investorAllowed, investorBalance };
  }

  /** The latest NAV applied on a chain (answer and as-of time), or undefined before the first round. */
  async latestNav(chainId: number, did: DidHash): Promise<{ nav: bigint; asOf: bigint } | undefined> {
    const { chain, client } = this.entry(chainId);
    const navFeed = await client.readContract({ address: chain.receiver as Address, abi: rwaReceiverAbi, functionName: 'navFeedOf', args: [did] });
    if (navFeed === '0x0000000000000000000000000000000000000000') return undefined;
    const round = await client.readContract({ address: navFeed, abi: rwaNavFeedAbi, functionName: 'latestRound' });
    if (round === 0n) return undefined;
    const [, answer, , updatedAt] = await client.readContract({ address: navFeed, abi: rwaNavFeedAbi, functionName: 'latestRoundData' });
    return { nav: answer, asOf: updatedAt };
  }
}
