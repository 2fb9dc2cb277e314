import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { UpstreamScope } from '../upstream/index.js';

/**
 * Starts a query's read deadline. Every operation's upstream calls are made in its request's scope
 * (built with the context, src/http/server.ts), so they wait in its caller's lane of each app's budget
 * (src/upstream/scheduler.ts); a query's reads also share one deadline from when it began
 * (ONESIGNAL_READ_DEADLINE_MS), while a mutation's or subscription's each have their own.
 */
export function queryDeadlinePlugin(): Plugin {
  return {
    onExecute({ args }) {
      const scope = (args.contextValue as { upstreamScope?: UpstreamScope }).upstreamScope;
      if (scope && getOperationAST(args.document, args.operationName)?.operation === 'query')
        scope.startedAt = Date.now();
    },
  };
}
