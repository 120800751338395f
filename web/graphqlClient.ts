/**
 * How the overview page talks to tokengraph: one POST per operation, carrying the API key the
 * person saved under "API key" as `Authorization: Bearer <key>`. Reads and revocations both go
 * through here, so a revocation is sent with exactly the key the table was read with; so do the
 * exports (`getWithKey`), which a plain link could not send the key with.
 *
 * The key is kept in this page's memory only, never in the URL or any storage: it may be an admin
 * key, and sessionStorage would keep it across reloads for as long as the tab lives. A reload asks
 * for it again.
 */
import type { TypedDocumentString } from '../src/generated/client/graphql.js';

/** Where earlier versions of the page kept the key: removed when the page loads, so none is left behind. */
const FORMER_API_KEY_STORAGE = 'tokengraph.apiKey';
sessionStorage.removeItem(FORMER_API_KEY_STORAGE);

let apiKey = '';

/** The saved key, or `''`. */
export function savedApiKey(): string {
  return apiKey;
}

/** Saves `key` for this page, until it is reloaded or closed; an empty key forgets it. */
export function saveApiKey(key: string): void {
  apiKey = key;
}

/** `headers` with the saved key as `Authorization: Bearer <key>`, if there is one. */
function withKey(headers: Record<string, string>): Record<string, string> {
  const key = savedApiKey();
  return key ? { ...headers, authorization: `Bearer ${key}` } : headers;
}

/** GETs `url` (an export) with the saved key if there is one; never cached. */
export function getWithKey(url: string, signal?: AbortSignal): Promise<Response> {
  return fetch(url, { headers: withKey({}), cache: 'no-store', ...(signal ? { signal } : {}) });
}

/** POSTs one typed operation (GraphQL over HTTP, JSON), with the saved key if there is one. */
export function postOperation<R, V>(endpoint: string, operationName: string, document: TypedDocumentString<R, V>, variables: V, signal?: AbortSignal): Promise<Response> {
  const headers = withKey({ 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' });
  return fetch(endpoint, {
    method: 'POST',
    headers,
    body: JSON.stringify({ operationName, query: document.toString(), variables }),
    ...(signal ? { signal } : {}),
  });
}
