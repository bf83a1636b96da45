// The dependency rules of server/ (and test/), checked by `npm run lint:deps`, part of `npm test`:
// depcruise server test --config .dependency-cruiser.cjs --output-type err-long
// Type-only imports count: a type import is a dependency of the source as much as a value import,
// and a cycle of types is the same knot for a reader. Each rule's `comment` is what a violation
// prints under it (err-long), so it says what to do as well as why.

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      // A cycle means no module of it can be read, tested or moved without all the others, and
      // under ES modules one of them runs while another's bindings are not yet initialised.
      name: 'no-circular',
      severity: 'error',
      comment:
        'This import closes a cycle (the modules listed import each other, type imports included). ' +
        'Give what they share (types, constants) a home that imports none of them, as ' +
        'conformance/finding.ts is for the probes, the run and the report.',
      from: { path: '^(server|test)/' },
      to: { circular: true },
    },
    {
      // Fastify is the HTTP layer's business: the rules, the data and the CLIs stay free of it so
      // that they run and are tested without a server, and another transport could use them.
      // app.ts builds the Fastify instance and main.ts holds it to listen and close.
      name: 'fastify-only-in-http',
      severity: 'error',
      comment:
        'Only server/http/**, server/app.ts and server/main.ts may import fastify or @fastify/* ' +
        '(type imports included). Pass what the module needs as plain values or functions from the ' +
        'HTTP layer instead.',
      from: { path: '^server/', pathNot: '^server/(http/|app\\.ts$|main\\.ts$)' },
      to: { path: '^node_modules/(fastify|@fastify/[^/]+)/' },
    },
    {
      // The shared vocabulary (record, bucket, window, plan, aggregate, stream description, line
      // item) sits at the bottom: everything may import it, so it may import nothing of ours, or
      // it would pull its importers' dependencies (and cycles) under every module.
      name: 'model-imports-nothing-of-ours',
      severity: 'error',
      comment:
        'server/model/ is the shared vocabulary: it may import only server/model/ itself (and ' +
        'packages). Move what it needs into server/model/, or have the importer pass it in.',
      from: { path: '^server/model/' },
      to: { dependencyTypes: ['local'], pathNot: '^server/model/' },
    },
    {
      // The message catalogue sits at the bottom beside the codes: every layer throws its errors,
      // so it may not import any of them (a limit or a list it names is passed in by the caller).
      name: 'messages-import-only-errors',
      severity: 'error',
      comment:
        'server/messages.ts may import only server/errors.ts (and packages), and errors.ts nothing ' +
        'of ours. Take what a message names (a limit, the known names, a did-you-mean hint) as a ' +
        'parameter instead.',
      from: { path: '^server/(messages|errors)\\.ts$' },
      to: { dependencyTypes: ['local'], pathNot: '^server/errors\\.ts$' },
    },
  ],
  options: {
    // Type imports are dependencies too (see above); tsconfig.json resolves the .js specifiers
    // of NodeNext to the .ts sources.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Packages are a rule's target, never cruised themselves.
    doNotFollow: { path: '(^|/)node_modules/' },
  },
}
