/**
 * The layering of the hall controller, checked on every `npm test` (`npm run layers`). The same
 * picture as docs/architecture.md ("The arrows"); a wrong arrow is a failing check.
 *
 *   devices/            bottom: vocabulary, protocol, drivers; imports nothing of ours above it
 *   controller/core/    the engine: its own files, the centre schema and zod
 *   controller/device-service/  transport-agnostic: never imports a transport
 *   controller/transports/<t>/  one adapter per transport: never imports another transport
 *   display/src/        browser code: runtime imports only of display/, the shared vocabulary in
 *                       devices/ and the pure modules named below (types may come from anywhere)
 *
 * Type-only imports are erased at build time; rules that are about what runs ignore them.
 */
/** Pure controller modules the browser pages bundle (no I/O, no Node built-ins). */
const BROWSER_SHARED = [
  '^devices/(vocabulary|texts|limits)[.]ts$',
  '^controller/voice/(phrases|hall-calls|announcement-queue|number-words)[.]ts$',
  '^controller/reports/report-table[.]ts$',
  '^controller/realtime/queue-patch[.]ts$',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-only-core-schema-zod',
      comment:
        'controller/core/ is the pure engine: it imports its own files, the centre schema and zod, nothing else.',
      severity: 'error',
      from: { path: '^controller/core/' },
      to: {
        pathNot: ['^controller/core/', '^controller/centre/schema[.]ts$', '(^|/)node_modules/zod/'],
      },
    },
    {
      name: 'schema-imports-only-vocabulary',
      comment:
        'controller/centre/schema.ts (read by the core) imports only zod and pure shared modules: devices/ and the upstream protocol topics.',
      severity: 'error',
      from: { path: '^controller/centre/schema[.]ts$' },
      to: {
        pathNot: ['^devices/', '^upstream/protocol/', '(^|/)node_modules/zod/'],
      },
    },
    {
      name: 'devices-is-the-bottom-layer',
      comment:
        'devices/ (vocabulary, protocol, drivers) depends on nothing of the controller, the screens, the simulators or the tools.',
      severity: 'error',
      from: { path: '^devices/' },
      to: { path: '^(controller|display|firmware-sim|scripts|bench|tests|upstream)/' },
    },
    {
      name: 'device-service-is-transport-agnostic',
      comment:
        'The device service knows devices, not wires: transports register with it, it never imports one.',
      severity: 'error',
      from: { path: '^controller/device-service/' },
      to: { path: '^controller/transports/' },
    },
    {
      name: 'transports-do-not-import-each-other',
      comment: 'Each transport adapter starts and is tested alone: it never imports another transport.',
      severity: 'error',
      from: { path: '^controller/transports/([^/]+)/' },
      to: { path: '^controller/transports/', pathNot: '^controller/transports/$1/' },
    },
    {
      name: 'only-the-composition-root-imports-transports',
      comment:
        'Transports are built and registered by controller/controller.ts; the core, the queue, HTTP and the rest talk to the device service.',
      severity: 'error',
      from: {
        path: '^(controller|devices|display)/',
        pathNot: ['^controller/transports/', '^controller/controller[.]ts$'],
      },
      to: { path: '^controller/transports/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'native-modules-only-lazily',
      comment:
        'The controller imports serialport and node-hid dynamically, and only when the configuration has a device that needs them (the simulators may import them).',
      severity: 'error',
      from: { path: '^(controller|devices|display)/' },
      to: {
        path: '(^|/)node_modules/(serialport|node-hid|@serialport/[^/]+)/',
        dynamic: false,
        dependencyTypesNot: ['type-only', 'type-import'],
      },
    },
    {
      name: 'browser-code-imports-only-shared-vocabulary',
      comment:
        'The screens bundle only display/ and the shared pure modules; types may be imported from anywhere (erased).',
      severity: 'error',
      from: { path: '^display/src/' },
      to: {
        path: '^(controller|devices|upstream|firmware-sim|scripts)/',
        pathNot: BROWSER_SHARED,
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'no-cycles',
      comment: 'No module reaches itself again through imports that run.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: '^(display/dist|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6', 'cjs'],
  },
};
