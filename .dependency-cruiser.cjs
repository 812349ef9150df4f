/**
 * Larder's layering, checked by `npm run lint` (DESIGN.md, "Boundaries"):
 *   adapters (server/http, server/realtime, jobs) → domain modules → domain/shared;
 *   server/platform holds the process pieces the adapters share; server/app, the composition root, wires everything.
 * A domain module is used through its index (its interface), never through its files.
 */
/** A file of a domain module other than its index (domain/shared is not a module: anyone may use its files). */
const MODULE_INTERNALS = '^domain/(?!shared/)[^/]+/(?!index\\.ts$).+';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import loops make layers meaningless.', from: {}, to: { circular: true } },
    {
      name: 'domain-knows-no-adapter',
      severity: 'error',
      comment: 'The domain knows nothing of the process, HTTP, Socket.IO or Agenda.',
      from: { path: '^domain/' },
      to: { path: ['^server/', '^jobs/', '^migrations/', 'node_modules/(koa|@koa|socket\\.io|@socket\\.io|agenda|@agendajs)/'] },
    },
    {
      name: 'shared-knows-no-module',
      severity: 'error',
      comment: 'domain/shared is below every module; modules add their events and jobs to it by declaration merging.',
      from: { path: '^domain/shared/' },
      to: { path: '^domain/(?!shared/)' },
    },
    {
      name: 'module-through-its-index',
      severity: 'error',
      comment: "Another module's files are its internals: import its index.ts.",
      from: { path: '^domain/([^/]+)/' },
      to: { path: MODULE_INTERNALS, pathNot: '^domain/$1/' },
    },
    {
      name: 'adapters-through-module-index',
      severity: 'error',
      comment: 'Routes, socket handlers, jobs and the composition root use a module through its index.ts.',
      from: { path: ['^server/', '^jobs/', '^migrations/', '^domain/modules\\.ts$'] },
      to: { path: MODULE_INTERNALS },
    },
    {
      name: 'jobs-not-through-adapters',
      severity: 'error',
      comment: 'Jobs depend on the domain and server/platform, never on the HTTP/Socket.IO adapters or the composition root.',
      from: { path: '^jobs/' },
      to: { path: '^server/(http|realtime|app)/' },
    },
    {
      name: 'adapters-apart',
      severity: 'error',
      comment: 'HTTP and Socket.IO adapters do not use each other or the composition root.',
      from: { path: '^server/(http|realtime)/' },
      to: { path: ['^server/app/', '^jobs/'] },
    },
    {
      name: 'http-not-realtime',
      severity: 'error',
      from: { path: '^server/http/' },
      to: { path: '^server/realtime/' },
    },
    {
      name: 'realtime-not-http',
      severity: 'error',
      from: { path: '^server/realtime/' },
      to: { path: '^server/http/' },
    },
    {
      name: 'platform-below-adapters',
      severity: 'error',
      comment: 'server/platform is shared by the adapters and the root; it uses none of them.',
      from: { path: '^server/platform/' },
      to: { path: ['^server/(app|http|realtime)/', '^jobs/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^node_modules', '^dist/'] },
    tsPreCompilationDeps: true,
    // TypeScript 7 has no compiler API yet; swc reads the sources (type-only imports included).
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
