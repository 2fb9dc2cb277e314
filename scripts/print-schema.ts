/**
 * Writes the sorted schema to `schema.graphql` (`npm run schema:print`).
 * `--check` writes nothing and exits 1 when the file is stale (for CI).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from '../src/schema/index.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../schema.graphql', import.meta.url));

/** Sorted, so diffs of `schema.graphql` show real changes only. Sorting costs start-up time, so only here. */
export const printedSchema = () => `${printSchema(lexicographicSortSchema(schema))}\n`;

function readCurrent(): string | null {
  try {
    return readFileSync(SCHEMA_FILE, 'utf8');
  } catch {
    return null;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const printed = printedSchema();
  if (process.argv.includes('--check')) {
    if (readCurrent() !== printed) {
      console.error('schema.graphql is stale: run `npm run schema:print`.');
      process.exit(1);
    }
    console.log('schema.graphql is up to date.');
  } else {
    writeFileSync(SCHEMA_FILE, printed);
    console.log(`Wrote ${SCHEMA_FILE}`);
  }
}
