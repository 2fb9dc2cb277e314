import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { createGraphQLError, type GraphQLParams, type Plugin } from 'graphql-yoga';

/** Document id (the hash graphql-codegen's client preset computes) → document text. */
export type TrustedDocuments = ReadonlyMap<string, string>;

/** Codes of the errors trusted-documents mode answers with (always HTTP 400). */
export const TRUSTED_DOCUMENT_ERROR_CODES = {
  PERSISTED_QUERY_ONLY: 'The request carried a document; only registered document ids are accepted.',
  PERSISTED_QUERY_ID_REQUIRED: 'The request carried neither a document id nor a document.',
  PERSISTED_QUERY_NOT_FOUND: 'No registered document has this id.',
} as const;

const MANIFEST_SHAPE =
  'the persisted-documents.json that graphql-codegen\'s client preset writes with `persistedDocuments: true`: {"<hash>": "<document>"}';

/**
 * Loads a manifest. `variable` is the setting it came from, named in errors (the path and the file's
 * contents are not repeated).
 */
export function loadTrustedDocuments(path: string, variable = 'TRUSTED_DOCUMENTS'): TrustedDocuments {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`${variable}: cannot read the file it names; it must be ${MANIFEST_SHAPE}.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${variable}: the file is not valid JSON; it must be ${MANIFEST_SHAPE}.`);
  }
  return trustedDocumentsFrom(parsed, variable);
}

export function trustedDocumentsFrom(manifest: unknown, variable = 'TRUSTED_DOCUMENTS'): TrustedDocuments {
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) {
    throw new Error(`${variable}: the file must be ${MANIFEST_SHAPE}.`);
  }
  const documents = new Map<string, string>();
  for (const [id, document] of Object.entries(manifest)) {
    if (!id.trim() || typeof document !== 'string' || !document.trim()) {
      throw new Error(`${variable}: every entry must map a hash to a document string; ${MANIFEST_SHAPE}.`);
    }
    documents.set(id, document);
  }
  if (documents.size === 0) throw new Error(`${variable}: the manifest registers no document.`);
  return documents;
}

/**
 * The id of the requested document: `documentId` (GraphQL-over-HTTP trusted documents, in the body or
 * the GET query string) or the APQ shape `extensions.persistedQuery.sha256Hash`.
 */
function documentIdOf(params: GraphQLParams, request: Request): string | null {
  const inBody = (params as GraphQLParams & { documentId?: unknown }).documentId;
  if (typeof inBody === 'string' && inBody) return inBody;
  if (request.method === 'GET') {
    const inUrl = new URL(request.url).searchParams.get('documentId');
    if (inUrl) return inUrl;
  }
  const persisted = (params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)
    ?.persistedQuery?.sha256Hash;
  return typeof persisted === 'string' && persisted ? persisted : null;
}

const refusal = (code: keyof typeof TRUSTED_DOCUMENT_ERROR_CODES, message: string) => ({
  message,
  extensions: { code, http: { status: 400 } },
});

/**
 * The document registered under `id`. graphql-codegen's client preset writes manifest keys as
 * `sha256:<hex>` and sends that as `documentId`; APQ clients send the bare hex as `sha256Hash`. Either
 * form finds a document registered under either form.
 */
export function findTrustedDocument(documents: TrustedDocuments, id: string): string | null {
  const hex = id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
  return documents.get(id) ?? documents.get(hex) ?? documents.get(`sha256:${hex}`) ?? null;
}

/** Runs only documents registered in `documents`; anything else is refused before parsing. */
export function trustedDocumentsPlugin(documents: TrustedDocuments): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (id) => findTrustedDocument(documents, id),
    extractPersistedOperationId: documentIdOf,
    allowArbitraryOperations: false,
    customErrors: {
      persistedQueryOnly: refusal(
        'PERSISTED_QUERY_ONLY',
        'This server runs only registered documents: send {"documentId": "<hash>"} instead of a query.',
      ),
      keyNotFound: refusal(
        'PERSISTED_QUERY_ID_REQUIRED',
        'Send {"documentId": "<hash>"} of a registered document.',
      ),
      notFound: refusal('PERSISTED_QUERY_NOT_FOUND', 'No registered document has this documentId.'),
    },
  }) as Plugin;
}

/**
 * The same rule for transports that skip Yoga's request parameters (WebSocket, graphql-sse's single
 * connection): they carry the document's text, which must then be a registered document's, exactly.
 * Over HTTP the plugin above has already put the registered text in place, so this check passes.
 */
export function trustedSourcesOnlyPlugin(documents: TrustedDocuments): Plugin {
  const texts = new Set(documents.values());
  return {
    onParse({ params }) {
      const source = typeof params.source === 'string' ? params.source : params.source.body;
      if (texts.has(source)) return;
      throw createGraphQLError(
        'This server runs only registered documents: send the text of a registered document, exactly, or its documentId over HTTP.',
        { extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 400 } } },
      );
    },
  };
}
