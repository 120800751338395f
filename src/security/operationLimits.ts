/**
 * The operation limits (docs/security.md), each configurable, each with a message that
 * names the limit and its value:
 *
 * - graphql-armor: depth, aliases, directives and cost. Its validation rules make a
 *   refused operation a 400 with one GraphQL error before anything runs. Each remembers
 *   the measure of every fragment it has seen, so all of them are linear in the document.
 * - "Did you mean …?" suggestions are hidden by Apollo Server's own
 *   `hideSchemaDetailsFromClientErrors` (graph/createApolloServer.ts): armor's plugin cuts the quoted name
 *   out of the message and leaves a stray "?" behind.
 * - graphql-js's own parser: lexer tokens (`parseOptions.maxTokens`), a 400 syntax error.
 *   armor's token plugin re-parses in `parsingDidStart` and throws there, which Apollo
 *   Server answers with 500 for every syntax error, so it is not used.
 * - Here: root fields per operation (armor has no such rule), and the length of the list
 *   arguments `tokens(refs:)`, `nodes(ids:)` (checked by their resolvers, so only that
 *   field is refused, contract §3) and `_entities(representations:)`.
 *
 * Body and query-document sizes are checked before GraphQL, in http/graphqlRoute.ts.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  Kind,
  type ASTNode,
  type ASTVisitor,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { LIMIT_VARIABLES, type Limits } from './limits.js';
import { badUserInput } from '../shared/errors.js';

/** The code of every operation refused by a limit. */
export const LIMIT_ERROR_CODE = 'GRAPHQL_VALIDATION_FAILED';

export interface OperationLimits {
  plugins: ApolloServerPlugin<any>[];
  validationRules: ValidationRule[];
  parseOptions: { maxTokens: number };
}

export function operationLimits(limits: Limits): OperationLimits {
  /**
   * armor's own refusal prefixes "Syntax Error: " to every message and throws from the
   * visitor; a limit is not a syntax error. With `propagateOnRejection: false` armor only
   * calls `onReject`, which reports our message (naming the limit, its value and its
   * variable) to the validation context: a 400 with `GRAPHQL_VALIDATION_FAILED`.
   */
  const refusal = (key: keyof Limits, what: string) => ({
    exposeLimits: false,
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null) => context?.reportError(limitError(`${what} is over the limit of ${limits[key]} (${LIMIT_VARIABLES[key][0]})`))],
  });
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ...refusal('maxDepth', 'the operation\'s depth'), flattenFragments: true },
    maxAliases: { n: limits.maxAliases, ...refusal('maxAliases', 'the number of aliases') },
    maxDirectives: { n: limits.maxDirectives, ...refusal('maxDirectives', 'the number of directives') },
    maxTokens: { enabled: false },
    costLimit: { maxCost: limits.maxCost, ...refusal('maxCost', 'the operation\'s cost') },
    blockFieldSuggestion: { enabled: false },
  }).protect();
  // armor is CommonJS and types its plugins with @apollo/server's CJS types: the same objects.
  return {
    plugins: armor.plugins as unknown as ApolloServerPlugin<any>[],
    validationRules: [...armor.validationRules, maxRootFieldsRule(limits.maxRootFields)],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}

function limitError(message: string, nodes?: ASTNode): GraphQLError {
  return new GraphQLError(message, { nodes, extensions: { code: LIMIT_ERROR_CODE } });
}

/**
 * At most `max` root fields per operation, counted through fragments (aliases included).
 *
 * Linear in the document, however often a fragment is spread: each fragment's count is
 * worked out once per validation and remembered (as graphql-js's own rules do), and every
 * count saturates just past `max`, so a document whose spreads double at each level costs one
 * visit per selection instead of 2^levels. A fragment spread inside itself counts nothing
 * there (NoFragmentCyclesRule refuses the document anyway).
 */
export function maxRootFieldsRule(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const over = max + 1;
    /** Root fields of each fragment; -1 while its own count is being worked out. */
    const counted = new Map<string, number>();
    const count = (selectionSet: SelectionSetNode): number => {
      let total = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) total += 1;
        else if (selection.kind === Kind.INLINE_FRAGMENT) total += count(selection.selectionSet);
        else total += fragmentCount(selection.name.value);
        if (total >= over) return over;
      }
      return total;
    };
    const fragmentCount = (name: string): number => {
      const known = counted.get(name);
      if (known !== undefined) return Math.max(known, 0);
      counted.set(name, -1);
      const fragment = context.getFragment(name);
      const total = fragment ? count(fragment.selectionSet) : 0;
      counted.set(name, total);
      return total;
    };
    return {
      OperationDefinition(operation) {
        if (count(operation.selectionSet) > max) {
          context.reportError(limitError(`the number of root fields is over the limit of ${max} (${LIMIT_VARIABLES.maxRootFields[0]})`, operation));
        }
      },
    };
  };
}

/** Throws `BAD_USER_INPUT` for a list argument longer than `max`: that field alone is refused. */
export function assertListLength<T>(field: string, argument: string, list: readonly T[], max: number): readonly T[] {
  if (list.length > max) {
    throw badUserInput(`${field} takes at most ${max} ${argument} (${LIMIT_VARIABLES.maxListLength[0]}); got ${list.length}`);
  }
  return list;
}

/** Bounds `_entities(representations:)` of a Federation subgraph schema at `max`. */
export function limitEntities(schema: GraphQLSchema, max: number): void {
  const field = schema.getQueryType()?.getFields()._entities;
  const resolve = field?.resolve as GraphQLFieldResolver<unknown, unknown, { representations?: unknown[] }> | undefined;
  if (!field || !resolve) return;
  field.resolve = (source, args, context, info) => {
    const count = args.representations?.length ?? 0;
    if (count > max) {
      throw badUserInput(`_entities takes at most ${max} representations (${LIMIT_VARIABLES.maxEntities[0]}); got ${count}`);
    }
    return resolve(source, args, context, info);
  };
}
