import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Caller } from '../auth/index.js';
import { withUpstreamCaller } from '../upstream/callers.js';

/**
 * Runs each operation (query, mutation, subscription) as its caller, so every upstream call it makes
 * waits in that caller's lane of its app's budget (src/upstream/scheduler.ts). The lane is the
 * caller's name: a JWT `sub` or a token's name. A query also carries when it began, for its reads'
 * deadline. Passthrough callers are all `passthrough`, but each
 * key set has a client, and so budgets, of its own.
 */
export function upstreamCallerPlugin(): Plugin {
  const nameOf = (contextValue: unknown) => (contextValue as { caller?: Caller }).caller?.name;
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const name = nameOf(args.contextValue);
      if (!name) return;
      // A query's reads share one deadline from now (ONESIGNAL_READ_DEADLINE_MS); a mutation's each have their own.
      const query = getOperationAST(args.document, args.operationName)?.operation === 'query';
      const startedAt = query ? Date.now() : undefined;
      setExecuteFn((execArgs) => withUpstreamCaller(name, () => executeFn(execArgs), startedAt));
    },
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const name = nameOf(args.contextValue);
      if (name) setSubscribeFn((subArgs) => withUpstreamCaller(name, () => subscribeFn(subArgs)));
    },
  };
}
