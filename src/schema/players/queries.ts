/** Where players are read: `App.players` (a page) and `App.player(id:)`. */
import { AppRef } from '../apps.js';
import { builder } from '../builder.js';
import { offsetConnection, offsetPage } from '../pagination.js';
import { orNull, upstream } from '../upstream-errors.js';
import { PlayerConnectionRef, PlayerRef } from './types.js';

builder.objectFields(AppRef, (t) => ({
  players: t.connection(
    {
      type: PlayerRef,
      skipTypeScopes: true,
      authScopes: { 'users:read': true },
      description:
        'Devices registered with the app, in OneSignal order (`first` at most 300). OneSignal does not offer this for apps over 80,000 devices; use `playerExportCsv` there.',
      resolve: async (app, args, ctx) => {
        const page = offsetPage(args, { max: 300, path: ['players'] });
        const result = await upstream(ctx.loaders.playerPage.load({ appId: app.id, ...page }));
        return offsetConnection(result.players, page, result.totalCount);
      },
    },
    PlayerConnectionRef,
  ),
  player: t.field({
    type: PlayerRef,
    nullable: true,
    skipTypeScopes: true,
    authScopes: { 'users:read': true },
    description: 'One device by its OneSignal player id; null when the app has no such device.',
    args: { id: t.arg({ type: 'UUID', required: true, description: "OneSignal's player id." }) },
    resolve: (app, { id }, ctx) => orNull(ctx.loaders.player.load({ appId: app.id, id: id.toLowerCase() })),
  }),
}));
