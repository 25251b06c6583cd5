// The SDK checks a request's params against the wire schema before our handler runs, and reports a miss
// as a plain Error, which goes out as -32603 "Internal error" with a zod dump. A missing `uri` or `name` is
// the caller's fault: answer -32602 naming the field (as the engine's ProtocolDispatcher does), before the
// SDK looks. `_wrapHandler` is the SDK's documented hook for subclasses (Server itself overrides it).

import { ProtocolError, ProtocolErrorCode, Server, type JSONRPCRequest } from '@modelcontextprotocol/server';

/** The string field each method cannot do without. */
const REQUIRED: Readonly<Record<string, string>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
};

export class ParamCheckingServer extends Server {
  protected override _wrapHandler(
    method: string,
    handler: Parameters<Server['_wrapHandler']>[1],
  ): ReturnType<Server['_wrapHandler']> {
    const inner = super._wrapHandler(method, handler);
    const field = REQUIRED[method];
    if (!field) return inner;
    return (request: JSONRPCRequest, ctx) => {
      const params = request.params as Record<string, unknown> | undefined;
      if (params === undefined || params === null || typeof params !== 'object')
        return Promise.reject(new ProtocolError(ProtocolErrorCode.InvalidParams, 'Invalid params: missing params'));
      const value = params[field];
      if (typeof value !== 'string' || value === '')
        return Promise.reject(
          new ProtocolError(ProtocolErrorCode.InvalidParams, `Invalid params: ${field} is required`),
        );
      return inner(request, ctx);
    };
  }
}
