/**
 * The import rules of the layout (docs/architecture.md), checked by `npm run check`:
 * schemas <- common <- core <- oracle | committee; relayer, status, liquidity <- schemas, common; devnet, bench and e2e may use anything;
 * sdk <- schemas, common; examples <- sdk only (they show what an integrator writes);
 * nothing in production imports devnet, bench, e2e or testkit; no import cycles anywhere.
 */
const TEST = '(\\.test\\.ts$|^testkit/)';
const PROD = '^(schemas|common|core|oracle|committee|relayer|clients|cli|sdk|examples|status|liquidity)/';

module.exports = {
  forbidden: [
    { name: 'no-cycle', severity: 'error', comment: 'An import cycle: break it by moving the shared part down a layer.', from: {}, to: { circular: true } },
    {
      name: 'production-imports-no-devnet',
      severity: 'error',
      comment: 'Production code never imports the local network, the bench, e2e or test kits.',
      from: { path: PROD, pathNot: TEST },
      to: { path: '^(devnet|bench|e2e|testkit)/' },
    },
    {
      name: 'schemas-import-nothing-of-ours',
      severity: 'error',
      comment: 'schemas/ is what every part shares: it depends on nothing of ours.',
      from: { path: '^schemas/', pathNot: TEST },
      to: { path: '^(common|core|oracle|committee|relayer|clients|status|devnet|bench|e2e|testkit)/' },
    },
    {
      name: 'common-is-plumbing',
      severity: 'error',
      comment: 'common/ is process plumbing: it may use schemas/ only.',
      from: { path: '^common/', pathNot: TEST },
      to: { path: '^(core|oracle|committee|relayer|clients|status|devnet|bench|e2e|testkit)/' },
    },
    {
      name: 'core-is-shared',
      severity: 'error',
      comment: 'core/ is what the aggregator and the committee both compute: it may use schemas/ and common/ only.',
      from: { path: '^core/', pathNot: TEST },
      to: { path: '^(oracle|committee|relayer|clients|devnet|bench|e2e|testkit)/' },
    },
    {
      name: 'committee-is-independent',
      severity: 'error',
      comment: 'A committee signer checks on its own: it never imports the aggregator (oracle/) or the relayer.',
      from: { path: '^committee/', pathNot: TEST },
      to: { path: '^(oracle|relayer)/' },
    },
    {
      name: 'oracle-never-imports-committee-or-relayer',
      severity: 'error',
      comment: 'The aggregator talks to signers over HTTP and to the relayer through its feed.',
      from: { path: '^oracle/', pathNot: TEST },
      to: { path: '^(committee|relayer)/' },
    },
    {
      name: 'relayer-never-imports-oracle',
      severity: 'error',
      comment: 'The relayer reads the oracle through its feed and the chains; it shares only schemas/ and common/.',
      from: { path: '^relayer/', pathNot: TEST },
      // core/batch-tree.ts (viem and core/keccak.ts only): the relayer builds batches with the very tree the committee signs.
      to: { path: '^(core|oracle|committee)/', pathNot: '^core/(batch-tree|keccak)\\.ts$' },
    },
    {
      name: 'sdk-reads-schemas-and-common-only',
      severity: 'error',
      comment: 'The reader SDK ships to integrators: it may use schemas/ and common/ only, never a service.',
      from: { path: '^sdk/', pathNot: TEST },
      to: { path: '^(core|oracle|committee|relayer|clients|examples|devnet|bench|e2e|testkit)/' },
    },
    {
      name: 'examples-use-the-sdk-only',
      severity: 'error',
      comment: 'The examples show what an integrator writes: they import the SDK, not its internals or a service.',
      from: { path: '^examples/', pathNot: TEST },
      to: { path: '^(schemas|common|core|oracle|committee|relayer|clients|devnet|bench|e2e|testkit)/|^sdk/(?!index\\.ts$)' },
    },
    {
      name: 'status-reads-through-apis',
      severity: 'error',
      comment: 'The status page reads the chains and the services over their APIs; it shares only schemas/ and common/.',
      from: { path: '^status/', pathNot: TEST },
      to: { path: '^(core|oracle|committee|relayer|clients)/' },
    },
    {
      name: 'liquidity-is-pure',
      severity: 'error',
      comment: 'liquidity/ (LCR, bands, stress tests) is pure computation: it may use schemas/ and common/ only.',
      from: { path: '^liquidity/', pathNot: TEST },
      to: { path: '^(core|oracle|committee|relayer|clients|devnet|bench|e2e|testkit)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|out|cache|contracts|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.json'] },
  },
};
