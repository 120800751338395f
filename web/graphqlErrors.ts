/**
 * What the overview page and the terminal tools read of a GraphQL error: its message, where it is
 * in the answer (`path`) and its code (`extensions.code`, and for an upstream's failure
 * `extensions.upstream.source`). Plain types and functions with no DOM.
 */

/** What the page and the example need of a GraphQL error. */
export interface GraphQLErrorLike {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: unknown; upstream?: { source?: unknown } };
}

/** The error's code (`extensions.code`), or `ERROR` when it has none. */
export function errorCode(error: GraphQLErrorLike): string {
  return typeof error.extensions?.code === 'string' ? error.extensions.code : 'ERROR';
}
