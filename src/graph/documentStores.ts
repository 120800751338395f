/**
 * The two caches Apollo Server keeps of what clients send, both bounded by what they really hold.
 *
 * - The document store: each parsed and validated document, so a repeated query is neither
 *   parsed nor validated again. Apollo's default counts an entry by its `JSON.stringify` size,
 *   which leaves out the source text every node's `loc` keeps alive: a 16 KB document of a
 *   comment and one field counted as ~100 bytes, and thousands of distinct ones grew the heap
 *   without bound. Here an entry counts its JSON twice (the objects behind it are larger than
 *   their text) plus its source at two bytes a character.
 * - The automatic persisted queries (APQ) cache: query texts by hash. APQ lets any client store
 *   texts in the server, so it is off unless `TOKENGRAPH_APQ=on`, and then bounded the same way.
 */
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode } from 'graphql';

export function createDocumentStore(maxBytes: number): InMemoryLRUCache<DocumentNode> {
  return new InMemoryLRUCache<DocumentNode>({ maxSize: maxBytes, sizeCalculation: documentSize });
}

export function createPersistedQueryCache(maxBytes: number): InMemoryLRUCache<string> {
  return new InMemoryLRUCache<string>({ maxSize: maxBytes, sizeCalculation: (query) => 2 * query.length });
}

/** Estimated bytes an entry keeps alive; at least 1, as lru-cache requires. */
function documentSize(document: DocumentNode): number {
  const source = document.loc?.source.body.length ?? 0;
  return Math.max(1, 2 * Buffer.byteLength(JSON.stringify(document), 'utf8') + 2 * source);
}
