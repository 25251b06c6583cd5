// Facts about the seed capability (capabilities/logto-one-time-tokens.yaml) that many tests check against.

/** The seed's MCP tools, in the file's (and tools/list's) order. */
export const SEED_TOOLS: readonly string[] = [
  'get-one-time-tokens',
  'create-one-time-token',
  'verify-one-time-token',
  'get-one-time-token-id',
  'delete-one-time-token-id',
  'update-one-time-token-status',
];
