// The tutorial's expected results, step by step: every value below is read off the examples of the mocked
// APIs (test/fixtures/shipyard/*.yaml) through the file's own mappings. The scenarios are the engine's
// (ikanos v1.0.0-alpha2, src/test/java/io/naftiko/tutorial/Step{1,4,5,6,7,10,11}*IntegrationTest.java:
// tool lists in order, required inputs, get-ship-with-crew's crew[{fullName, role}], list-legacy-vessels
// from XML, POST /voyages → 201 with route/dates); the engine asserts shapes, we assert the exact values.

import type { Outcome } from '../conformance/sides.js';

/** One upstream request as it must arrive; auth and Registry-Version headers come from the step. */
export interface Sent {
  readonly api: 'registry' | 'legacy';
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** Raw query string, '' when none. */
  readonly query?: string;
  readonly body?: unknown;
}

export interface ToolCase {
  readonly name: string;
  readonly tool: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly outcome: Outcome;
  readonly sends: readonly Sent[];
}

export interface RestCase {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  /** Path and query as sent to the REST adapter. */
  readonly url: string;
  readonly body?: unknown;
  readonly status: number;
  readonly outcome: Outcome;
  readonly sends: readonly Sent[];
}

export interface TutorialStep {
  readonly file: string;
  /** The bearer the registry receives: the bound REGISTRY_TOKEN, or what the file writes literally. */
  readonly registryToken: string;
  readonly registryVersion: string;
  /** MCP adapter requires the bound MCP_SERVER_TOKEN. */
  readonly mcpAuth: boolean;
  /** tools/list, in the file's order (the engine's Step*Test fact). */
  readonly tools: readonly string[];
  readonly required: Readonly<Record<string, readonly string[]>>;
  readonly annotations?: Readonly<Record<string, Readonly<Record<string, boolean>>>>;
  readonly toolCases: readonly ToolCase[];
  readonly restCases: readonly RestCase[];
}

// ── the examples, projected by the tutorial's mappings ────────────────────────────────────────────────
const NORTHERN_STAR = { imo: 'IMO-9321483', name: 'Northern Star', type: 'cargo', flag: 'NO', status: 'active' };
const PACIFIC_DAWN = { imo: 'IMO-9456781', name: 'Pacific Dawn', type: 'tanker', flag: 'SG', status: 'maintenance' };
const NORTHERN_STAR_SPECS = { ...NORTHERN_STAR, specs: { yearBuilt: 2015, tonnage: 42000, length: 229 } };
const PACIFIC_DAWN_SPECS = { ...PACIFIC_DAWN, specs: { yearBuilt: 2018, tonnage: 55000, length: 274 } };
const NORTHERN_STAR_CREW = {
  ...NORTHERN_STAR,
  yearBuilt: 2015,
  tonnage: 42000,
  length: 229,
  crew: [
    { fullName: 'Erik Lindström', role: 'captain' },
    { fullName: 'Aiko Tanaka', role: 'cook' },
  ],
};
const PACIFIC_DAWN_CREW = {
  ...PACIFIC_DAWN,
  yearBuilt: 2018,
  tonnage: 55000,
  length: 274,
  crew: [
    { fullName: 'Maria Santos', role: 'first_officer' },
    { fullName: 'Hans Mueller', role: 'engineer' },
  ],
};
const OLD_FAITHFUL = { vesselCode: 'LEGACY-4012', name: 'Old Faithful', type: 'cargo', flag: 'GB', status: 'active' };
const IRON_MAIDEN = {
  vesselCode: 'LEGACY-2087',
  name: 'Iron Maiden',
  type: 'bulk_carrier',
  flag: 'PA',
  status: 'laid_up',
};
const VOYAGE_ARGS = {
  shipImo: 'IMO-9321483',
  departurePort: 'Oslo',
  arrivalPort: 'Singapore',
  departureDate: '2026-04-10',
  arrivalDate: '2026-05-02',
  crewIds: ['CREW-001', 'CREW-003'],
  cargoIds: ['CARGO-2024-0451'],
};
// The mock echoes ship, ports and dates from the request; ids and arrays are the example's own.
const VOYAGE = {
  voyageId: 'VOY-2026-042',
  shipImo: 'IMO-9321483',
  route: { from: 'Oslo', to: 'Singapore' },
  dates: { departure: '2026-04-10', arrival: '2026-05-02' },
  crewIds: ['CREW-001', 'CREW-003'],
  cargoIds: ['CARGO-2024-0451'],
  status: 'planned',
};
const ROUTED = { ...VOYAGE_ARGS, departurePort: 'Bergen', arrivalPort: 'Rotterdam', departureDate: '2026-06-01' };
const ROUTED_VOYAGE = {
  ...VOYAGE,
  route: { from: 'Bergen', to: 'Rotterdam' },
  dates: { departure: '2026-06-01', arrival: '2026-05-02' },
};
const { cargoIds: _cargo, ...NO_CARGO } = VOYAGE_ARGS;
const CREW_OF_VOYAGE = NORTHERN_STAR_CREW.crew;
const CARGO_OF_VOYAGE = [{ type: 'container', description: 'Electronics components', weight: 12.5, hazardous: false }];
const SHIP_NOT_FOUND = { error: 'not_found', message: 'Ship with IMO number IMO-0000000 not found' };

const data = (d: unknown): Outcome => ({ kind: 'data', data: d });
const stepFailed = (step: string, call: string, message: string): Outcome => ({
  kind: 'runtime-error',
  code: 'NAF_ERR_STEP_FAILED',
  message: `Step '${step}' (${call}) failed: upstream answered HTTP 404: ${message}`,
});

const get = (api: Sent['api'], path: string, query = ''): Sent => ({ api, method: 'GET', path, query });
const SHIPS = get('registry', '/ships');
const SHIP = (imo: string) => get('registry', `/ships/${imo}`);
const CREW = get('registry', '/crew');
const POST_VOYAGE = (body: unknown): Sent => ({ api: 'registry', method: 'POST', path: '/voyages', body });

// ── tool cases, shared by the steps that expose the same tool ─────────────────────────────────────────
const listShips: ToolCase[] = [
  { name: 'all ships', tool: 'list-ships', args: {}, outcome: data([NORTHERN_STAR, PACIFIC_DAWN]), sends: [SHIPS] },
  {
    name: 'status filter goes upstream as ?status=',
    tool: 'list-ships',
    args: { status: 'maintenance' },
    outcome: data([PACIFIC_DAWN]),
    sends: [get('registry', '/ships', 'status=maintenance')],
  },
];
const getShip: ToolCase[] = [
  {
    name: 'flat fields and nested specs',
    tool: 'get-ship',
    args: { imo: 'IMO-9321483' },
    outcome: data(NORTHERN_STAR_SPECS),
    sends: [SHIP('IMO-9321483')],
  },
  {
    name: 'another ship',
    tool: 'get-ship',
    args: { imo: 'IMO-9456781' },
    outcome: data(PACIFIC_DAWN_SPECS),
    sends: [SHIP('IMO-9456781')],
  },
  {
    name: 'unknown ship: the upstream 404 passes through',
    tool: 'get-ship',
    args: { imo: 'IMO-0000000' },
    outcome: { kind: 'upstream-error', status: 404, body: SHIP_NOT_FOUND },
    sends: [SHIP('IMO-0000000')],
  },
];
const legacy: ToolCase[] = [
  {
    name: 'XML vessels mapped from $.vessel',
    tool: 'list-legacy-vessels',
    args: {},
    outcome: data([OLD_FAITHFUL, IRON_MAIDEN]),
    sends: [get('legacy', '/vessels')],
  },
  {
    name: 'status filter',
    tool: 'list-legacy-vessels',
    args: { status: 'laid_up' },
    outcome: data([IRON_MAIDEN]),
    sends: [get('legacy', '/vessels', 'status=laid_up')],
  },
  {
    // One <vessel> element is no XML list: the declared array still holds it (the engine answers null).
    name: 'a single vessel is still a list',
    tool: 'list-legacy-vessels',
    args: { status: 'active' },
    outcome: data([OLD_FAITHFUL]),
    sends: [get('legacy', '/vessels', 'status=active')],
  },
];
const createVoyage: ToolCase[] = [
  {
    name: 'route and dates reshaped',
    tool: 'create-voyage',
    args: VOYAGE_ARGS,
    outcome: data(VOYAGE),
    sends: [POST_VOYAGE(VOYAGE_ARGS)],
  },
  {
    name: 'the echoed fields follow the request',
    tool: 'create-voyage',
    args: ROUTED,
    outcome: data(ROUTED_VOYAGE),
    sends: [POST_VOYAGE(ROUTED)],
  },
  {
    // The body template writes `"cargoIds": {{cargoIds}}`: absent, it is null, and the body stays JSON.
    name: 'optional cargoIds left out: sent as null',
    tool: 'create-voyage',
    args: NO_CARGO,
    outcome: data(VOYAGE),
    sends: [POST_VOYAGE({ ...NO_CARGO, cargoIds: null })],
  },
  {
    name: 'a quote in an argument stays inside its JSON string',
    tool: 'create-voyage',
    args: { ...VOYAGE_ARGS, departurePort: 'Oslo", "status": "cancelled' },
    outcome: data({ ...VOYAGE, route: { from: 'Oslo", "status": "cancelled', to: 'Singapore' } }),
    sends: [POST_VOYAGE({ ...VOYAGE_ARGS, departurePort: 'Oslo", "status": "cancelled' })],
  },
];
const withCrew: ToolCase[] = [
  {
    name: 'ship and crew names joined by crewId',
    tool: 'get-ship-with-crew',
    args: { imo: 'IMO-9321483' },
    outcome: data(NORTHERN_STAR_CREW),
    sends: [SHIP('IMO-9321483'), CREW],
  },
  {
    name: 'another ship, another crew',
    tool: 'get-ship-with-crew',
    args: { imo: 'IMO-9456781' },
    outcome: data(PACIFIC_DAWN_CREW),
    sends: [SHIP('IMO-9456781'), CREW],
  },
  {
    name: 'step get-ship fails: the call ends there, naming the step',
    tool: 'get-ship-with-crew',
    args: { imo: 'IMO-0000000' },
    outcome: stepFailed('get-ship', 'registry.get-ship', SHIP_NOT_FOUND.message),
    sends: [SHIP('IMO-0000000')],
  },
];
const MANIFEST_SENDS = [get('registry', '/voyages/VOY-2026-042'), SHIPS, CREW, get('registry', '/cargo')];
const manifest: ToolCase[] = [
  {
    name: 'voyage, ship, crew and cargo assembled',
    tool: 'get-voyage-manifest',
    args: { voyageId: 'VOY-2026-042' },
    outcome: data({
      voyageId: 'VOY-2026-042',
      status: 'planned',
      route: { from: 'Oslo', to: 'Singapore' },
      ship: { name: 'Northern Star', type: 'cargo', flag: 'NO' },
      crew: CREW_OF_VOYAGE,
      cargo: CARGO_OF_VOYAGE,
    }),
    sends: MANIFEST_SENDS,
  },
  {
    name: 'unknown voyage: step get-voyage fails',
    tool: 'get-voyage-manifest',
    args: { voyageId: 'VOY-0000-000' },
    outcome: stepFailed('get-voyage', 'registry.get-voyage', 'Voyage VOY-0000-000 not found'),
    sends: [get('registry', '/voyages/VOY-0000-000')],
  },
];

// ── REST cases (steps 7, 10, 11 expose the shipyard-api adapter) ──────────────────────────────────────
const rest = (over: Partial<RestCase> & Pick<RestCase, 'name' | 'url' | 'outcome' | 'sends'>): RestCase => ({
  method: 'GET',
  status: 200,
  ...over,
});
const restBase: RestCase[] = [
  rest({ name: 'all ships', url: '/ships', outcome: data([NORTHERN_STAR, PACIFIC_DAWN]), sends: [SHIPS] }),
  rest({
    name: 'ships by status',
    url: '/ships?status=active',
    outcome: data([NORTHERN_STAR]),
    sends: [get('registry', '/ships', 'status=active')],
  }),
  rest({
    name: 'one ship',
    url: '/ships/IMO-9321483',
    outcome: data(NORTHERN_STAR_SPECS),
    sends: [SHIP('IMO-9321483')],
  }),
  rest({
    name: 'unknown ship: the upstream 404 passes through',
    url: '/ships/IMO-0000000',
    status: 404,
    outcome: { kind: 'upstream-error', status: 404, body: SHIP_NOT_FOUND },
    sends: [SHIP('IMO-0000000')],
  }),
  rest({
    name: 'ship with crew',
    url: '/ships/IMO-9456781/crew',
    outcome: data(PACIFIC_DAWN_CREW),
    sends: [SHIP('IMO-9456781'), CREW],
  }),
  rest({
    name: 'ship with crew: step get-ship fails',
    url: '/ships/IMO-0000000/crew',
    status: 404,
    outcome: stepFailed('get-ship', 'registry.get-ship', SHIP_NOT_FOUND.message),
    sends: [SHIP('IMO-0000000')],
  }),
  rest({
    name: 'create a voyage: 201',
    method: 'POST',
    url: '/voyages',
    body: VOYAGE_ARGS,
    status: 201,
    outcome: data(VOYAGE),
    sends: [POST_VOYAGE(VOYAGE_ARGS)],
  }),
];
const restLegacy: RestCase[] = [
  rest({
    name: 'legacy vessels (XML)',
    url: '/legacy/vessels',
    outcome: data([OLD_FAITHFUL, IRON_MAIDEN]),
    sends: [get('legacy', '/vessels')],
  }),
  rest({
    name: 'legacy vessels by status',
    url: '/legacy/vessels?status=laid_up',
    outcome: data([IRON_MAIDEN]),
    sends: [get('legacy', '/vessels', 'status=laid_up')],
  }),
];
// Step 7's REST operation maps `$.`, not `$.vessel`: the decoded XML is `{vessel: [...]}`, an object where the
// file declares an array, so the result is null (as in the engine). Step 10 corrects the mapping.
const restLegacyStep7: RestCase[] = [
  rest({
    name: 'legacy vessels: the file maps $. (null)',
    url: '/legacy/vessels',
    outcome: data(null),
    sends: [get('legacy', '/vessels')],
  }),
];
const restManifest: RestCase[] = [
  rest({
    name: 'voyage manifest (flat mappings)',
    url: '/voyages/VOY-2026-042/manifest',
    outcome: data({
      voyageId: 'VOY-2026-042',
      status: 'planned',
      departurePort: 'Oslo',
      arrivalPort: 'Singapore',
      shipName: 'Northern Star',
      shipType: 'cargo',
      shipFlag: 'NO',
      crew: CREW_OF_VOYAGE,
      cargo: CARGO_OF_VOYAGE,
    }),
    sends: MANIFEST_SENDS,
  }),
  rest({
    name: 'voyage manifest: step get-voyage fails',
    url: '/voyages/VOY-0000-000/manifest',
    status: 404,
    outcome: stepFailed('get-voyage', 'registry.get-voyage', 'Voyage VOY-0000-000 not found'),
    sends: [get('registry', '/voyages/VOY-0000-000')],
  }),
];

const TOOLS_5 = ['list-ships', 'get-ship', 'list-legacy-vessels', 'create-voyage', 'get-ship-with-crew'];
const VOYAGE_REQUIRED = ['shipImo', 'departurePort', 'arrivalPort', 'departureDate', 'arrivalDate', 'crewIds'];
const BASE_REQUIRED = { 'list-ships': [], 'get-ship': ['imo'], 'list-legacy-vessels': [] };
const FULL_REQUIRED = { ...BASE_REQUIRED, 'create-voyage': VOYAGE_REQUIRED, 'get-ship-with-crew': ['imo'] };
const bound = { registryToken: 'dummy-token', registryVersion: '1.0.0-alpha2', mcpAuth: true } as const;
const WRITE_HINTS = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };
// safe → readOnly and not destructive, idempotent copied (engine AggregateRefResolver.deriveHints).
const SAFE_HINTS = { readOnlyHint: true, destructiveHint: false, idempotentHint: true };

export const STEPS: readonly TutorialStep[] = [
  {
    file: 'step-1-shipyard-mock.yml',
    registryToken: '',
    registryVersion: '',
    mcpAuth: false,
    tools: ['get-ship'],
    required: { 'get-ship': ['imo_number'] },
    toolCases: [
      {
        name: 'mock: constants and the echoed argument, no upstream',
        tool: 'get-ship',
        args: { imo_number: 'IMO-9321483' },
        outcome: data(NORTHERN_STAR),
        sends: [],
      },
      {
        name: 'mock: imo follows the argument',
        tool: 'get-ship',
        args: { imo_number: 'IMO-1234567' },
        outcome: data({ ...NORTHERN_STAR, imo: 'IMO-1234567' }),
        sends: [],
      },
    ],
    restCases: [],
  },
  {
    file: 'step-4-shipyard-output-shaping.yml',
    ...bound,
    tools: ['list-ships', 'get-ship'],
    required: { 'list-ships': [], 'get-ship': ['imo'] },
    toolCases: [...listShips, ...getShip],
    restCases: [],
  },
  {
    file: 'step-5-shipyard-multi-source.yml',
    ...bound,
    tools: ['list-ships', 'get-ship', 'list-legacy-vessels'],
    required: BASE_REQUIRED,
    toolCases: [...listShips, ...getShip, ...legacy],
    restCases: [],
  },
  {
    file: 'step-6-shipyard-write-operations.yml',
    ...bound,
    tools: ['list-ships', 'get-ship', 'list-legacy-vessels', 'create-voyage'],
    required: { ...BASE_REQUIRED, 'create-voyage': VOYAGE_REQUIRED },
    annotations: { 'create-voyage': WRITE_HINTS },
    toolCases: [...listShips, ...getShip, ...legacy, ...createVoyage],
    restCases: [],
  },
  {
    file: 'step-7-shipyard-orchestrated-lookup.yml',
    ...bound,
    tools: TOOLS_5,
    required: FULL_REQUIRED,
    annotations: { 'create-voyage': WRITE_HINTS },
    toolCases: [...listShips, ...getShip, ...legacy, ...createVoyage, ...withCrew],
    restCases: [...restBase, ...restLegacyStep7],
  },
  {
    file: 'step-9-shipyard-aggregates.yml',
    ...bound,
    tools: TOOLS_5,
    required: FULL_REQUIRED,
    annotations: { 'create-voyage': WRITE_HINTS, 'get-ship-with-crew': SAFE_HINTS },
    toolCases: [...listShips, ...getShip, ...legacy, ...createVoyage, ...withCrew],
    restCases: [],
  },
  {
    file: 'step-10-shipyard-rest-adapter.yml',
    ...bound,
    tools: TOOLS_5,
    required: FULL_REQUIRED,
    annotations: { 'create-voyage': WRITE_HINTS, 'get-ship-with-crew': SAFE_HINTS },
    toolCases: [...listShips, ...getShip, ...legacy, ...createVoyage, ...withCrew],
    restCases: [...restBase, ...restLegacy],
  },
  {
    file: 'step-11-shipyard-fleet-manifest.yml',
    // shared/step11-registry-consumes.yml writes `token: "REGISTRY_TOKEN"` and `value: "REGISTRY_VERSION"`
    // without braces: literals, not bind references, so they go upstream as written.
    ...bound,
    registryToken: 'REGISTRY_TOKEN',
    registryVersion: 'REGISTRY_VERSION',
    tools: [...TOOLS_5, 'get-voyage-manifest'],
    required: { ...FULL_REQUIRED, 'get-voyage-manifest': ['voyageId'] },
    annotations: { 'create-voyage': WRITE_HINTS },
    toolCases: [...listShips, ...getShip, ...legacy, ...createVoyage, ...withCrew, ...manifest],
    restCases: [...restBase, ...restLegacy, ...restManifest],
  },
];
