import { ValidationError } from '../core/errors.js';
import { builder } from './builder.js';

/** A CSV export: the URL OneSignal gave, whose file appears some time after the request. */
export interface CsvExportShape {
  url: URL;
}

export const CsvExportRef = builder.objectRef<CsvExportShape>('CsvExport');

builder.objectType(CsvExportRef, {
  description:
    'A CSV file OneSignal builds after an export request. Poll `Query.csvExport(url:)` until `ready`; checks are shared and paced, see `ready`.',
  fields: (t) => ({
    url: t.field({
      type: 'URL',
      description: 'Where the file is (or will be) downloadable.',
      resolve: (e) => e.url,
    }),
    ready: t.boolean({
      description:
        'True once the file can be downloaded. Checked with one HEAD request to `url`, shared by every caller and reused for 2 s while not ready (then for as long as the file stays).',
      resolve: async (e, _a, ctx) => (await ctx.exports.check(e.url)).ready,
    }),
    checkedAt: t.field({
      type: 'DateTime',
      description: 'When `ready` was last checked.',
      resolve: async (e, _a, ctx) => new Date((await ctx.exports.check(e.url)).checkedAt),
    }),
  }),
});

builder.queryField('csvExport', (t) =>
  t.field({
    type: CsvExportRef,
    authScopes: { exports: true },
    description:
      'An export started by `notificationExportHistory`, `notificationExportEvents` or `playerExportCsv`, by its URL: poll its `ready`.',
    args: {
      url: t.arg({
        type: 'URL',
        required: true,
        description: 'The `export.url` an export mutation returned.',
      }),
    },
    resolve: (_root, { url }, ctx) => {
      const parsed = new URL(String(url));
      if (!ctx.exports.allows(parsed))
        throw ValidationError.field(
          ['url'],
          'is not an export URL OneSignal (or the configured API) issued.',
        );
      return { url: parsed };
    },
  }),
);
