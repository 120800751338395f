/**
 * How the overview page talks to tokengraph: one POST per operation, carrying the API key the
 * person saved under "API key" as `Authorization: Bearer <key>`. Reads and revocations both go
 * through here, so a revocation is sent with exactly the key the table was read with.
 *
 * The key is kept in this tab's sessionStorage only: it goes no further than the tab, and never
 * into the URL.
 */
import type { TypedDocumentString } from '../src/generated/client/graphql.js';

const API_KEY_STORAGE = 'tokengraph.apiKey';

/** The saved key, or `''`. */
export function savedApiKey(): string {
  return sessionStorage.getItem(API_KEY_STORAGE) ?? '';
}

/** Saves `key` for this tab; an empty key forgets it. */
export function saveApiKey(key: string): void {
  if (key) sessionStorage.setItem(API_KEY_STORAGE, key);
  else sessionStorage.removeItem(API_KEY_STORAGE);
}

/** POSTs one typed operation (GraphQL over HTTP, JSON), with the saved key if there is one. */
export function postOperation<R, V>(endpoint: string, operationName: string, document: TypedDocumentString<R, V>, variables: V, signal?: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
  const key = savedApiKey();
  if (key) headers.authorization = `Bearer ${key}`;
  return fetch(endpoint, {
    method: 'POST',
    headers,
    body: JSON.stringify({ operationName, query: document.toString(), variables }),
    ...(signal ? { signal } : {}),
  });
}
