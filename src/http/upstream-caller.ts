import type { Plugin } from 'graphql-yoga';
import type { Caller } from '../auth/index.js';
import { withUpstreamCaller } from '../upstream/callers.js';

/**
 * Runs each operation (query, mutation, subscription) as its caller, so every upstream call it makes
 * waits in that caller's lane of its app's budget (src/upstream/scheduler.ts). The lane is the
 * caller's name: a JWT `sub` or a token's name. Passthrough callers are all `passthrough`, but each
 * key set has a client, and so budgets, of its own.
 */
export function upstreamCallerPlugin(): Plugin {
  const nameOf = (contextValue: unknown) => (contextValue as { caller?: Caller }).caller?.name;
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const name = nameOf(args.contextValue);
      if (name) setExecuteFn((execArgs) => withUpstreamCaller(name, () => executeFn(execArgs)));
    },
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const name = nameOf(args.contextValue);
      if (name) setSubscribeFn((subArgs) => withUpstreamCaller(name, () => subscribeFn(subArgs)));
    },
  };
}
