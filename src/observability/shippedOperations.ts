/**
 * The names of the GraphQL operations tokengraph itself ships: the overview page's and
 * `npm run example`'s (web/operations/) and GraphiQL's example tabs (examples/graphiql/). With
 * the names listed in `TOKENGRAPH_METRICS_OPERATIONS` they are the only values the metrics'
 * `operation` label takes besides `anonymous` and `other`: a client chooses its operation's
 * name, so it must not be able to choose the label's values too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';

const FOLDERS = [new URL('../../web/operations/', import.meta.url), new URL('../../examples/graphiql/', import.meta.url)];

export function shippedOperationNames(): string[] {
  return FOLDERS.flatMap((folder) =>
    readdirSync(folder)
      .filter((file) => file.endsWith('.graphql'))
      .flatMap((file) => parse(readFileSync(new URL(file, folder), 'utf8')).definitions)
      .flatMap((definition) => (definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [definition.name.value] : [])),
  );
}
