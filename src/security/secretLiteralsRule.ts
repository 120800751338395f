/**
 * No credential written in a GraphQL document. Apollo Server keeps every parsed document in its
 * document store (and, with APQ on, its text in the persisted-query cache) across requests, so
 * `crafterAccessToken(id: "e8f5…")` would keep a Crafter access-token id in the process's memory
 * long after the request, against "Credentials at rest" (contract §3). A document that writes
 * one fails validation instead (400, `GRAPHQL_VALIDATION_FAILED`, its message naming the argument
 * and saying to pass a variable), and Apollo stores only documents that pass validation; variables
 * are the request's alone.
 *
 * Where a secret id goes is derived from the sources table (`id` other than `public`: Crafter
 * tickets, session credentials, and Crafter access tokens, credentials themselves):
 *
 * - a String argument of a field whose type is such a source's token type
 *   (`crafterTicket(id:)`, `crafterAccessToken(id:)`);
 * - the `tokenId` of a reference input (`TokenRef`, in `token`, `tokens` and `revokeTokens`)
 *   unless its `source` is written in the document and names a source whose ids are public;
 * - the default value of a variable used in either place (it is written in the document too);
 * - any string literal, whatever its type (`node(id:)`, `nodes(ids:)`, `tokenEvents(filter: { token })`,
 *   a String filter, an `_entities` representation's fields, a variable's default value) that is
 *   the global id of such a source's token and carries its id: a Crafter ticket's (an access
 *   token's global id holds only its fingerprint, and so does a ticket's history id).
 *
 * Linear in the document: each argument and each default value is walked once, each string literal
 * decoded once (a global id is at most `globalIdLength` characters), and a fragment is visited
 * once as a definition, however often it is spread.
 */
import {
  GraphQLError,
  Kind,
  getNamedType,
  isInputObjectType,
  isInputType,
  isListType,
  isNonNullType,
  typeFromAST,
  type ASTVisitor,
  type GraphQLInputType,
  type ObjectValueNode,
  type ValidationContext,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';
import { SOURCES, rowOfType } from '../sources.js';
import { secretSourceOf } from './globalId.js';

/** The `TokenSource` values whose token ids are public; every other source's ids are secret. */
const PUBLIC_ID_SOURCES = new Set<string>(SOURCES.filter((row) => row.id === 'public').map((row) => row.name));
const SECRET_ID_SOURCES = SOURCES.filter((row) => row.id !== 'public').map((row) => row.name);

/** Where a value is a secret id: how the error names that place. */
type SecretPlace = string | undefined;

export function secretLiteralsRule(context: ValidationContext): ASTVisitor {
  /** Variables used where a secret id goes, with the place: their default values are checked at the end. */
  const secretVariables = new Map<string, string>();
  const defaults: VariableDefinitionNode[] = [];

  const refuse = (node: ValueNode, message: string) => context.reportError(new GraphQLError(message, { nodes: node }));

  /**
   * Walks `value` (of `type`, written at `where`) once, reporting each string literal at a secret
   * place, and each ID literal that is a global id carrying a secret id.
   */
  const walk = (value: ValueNode, type: GraphQLInputType, place: SecretPlace, where: string): void => {
    if (value.kind === Kind.VARIABLE) {
      if (place && !secretVariables.has(value.name.value)) secretVariables.set(value.name.value, place);
      return;
    }
    if (isNonNullType(type)) return walk(value, type.ofType, place, where);
    if (isListType(type)) {
      // A single value where a list is expected is coerced to a list of one.
      if (value.kind === Kind.LIST) for (const item of value.values) walk(item, type.ofType, place, where);
      else walk(value, type.ofType, place, where);
      return;
    }
    if (isInputObjectType(type) && value.kind === Kind.OBJECT) {
      const fields = type.getFields();
      const secretTokenId = isRefInput(fields) ? refTokenIdPlace(value) : undefined;
      for (const field of value.fields) {
        const definition = fields[field.name.value];
        if (definition) walk(field.value, definition.type, field.name.value === 'tokenId' ? secretTokenId : undefined, `${field.name.value} in ${where}`);
      }
      return;
    }
    // A custom scalar (Federation's `_Any`) may take an object or a list: its strings are walked too.
    if (value.kind === Kind.OBJECT) {
      for (const field of value.fields) walk(field.value, type, undefined, `${field.name.value} in ${where}`);
      return;
    }
    if (value.kind === Kind.LIST) {
      for (const item of value.values) walk(item, type, undefined, where);
      return;
    }
    if (value.kind !== Kind.STRING) return;
    if (place) {
      refuse(value, `${place} is a credential and may not be written in the document, where it would be kept with it: pass it as a variable`);
      return;
    }
    // Every string, whatever its type: an `ID`, a `String` filter, an `_entities` representation.
    const carried = secretSourceOf(value.value);
    if (carried) {
      refuse(value, `${where} is the global id of a ${carried.label} and carries its id, a credential: it may not be written in the document, where it would be kept with it: pass it as a variable`);
    }
  };

  return {
    Argument(node) {
      const argument = context.getArgument();
      const field = context.getFieldDef();
      if (!argument || !field) return;
      // A field that answers a token whose ids are secret takes that id in its String arguments.
      const row = rowOfType(getNamedType(field.type).name);
      const secret = row !== undefined && row.id !== 'public' && getNamedType(argument.type).name === 'String';
      const where = `${field.name}(${argument.name}:)`;
      walk(node.value, argument.type, secret ? where : undefined, where);
    },
    VariableDefinition(node) {
      if (node.defaultValue) defaults.push(node);
    },
    Document: {
      leave() {
        for (const definition of defaults) {
          const name = definition.variable.name.value;
          const type = typeFromAST(context.getSchema(), definition.type);
          if (!type || !isInputType(type)) continue;
          const place = secretVariables.get(name);
          walk(definition.defaultValue!, type, place && `the default value of $${name}, used as ${place},`, `the default value of $${name}`);
        }
      },
    },
  };
}

/** A reference input (`TokenRef`): a `source` and the reference parts, `tokenId` among them. */
function isRefInput(fields: Record<string, unknown>): boolean {
  return 'source' in fields && 'tokenId' in fields;
}

/**
 * How the error names a reference's `tokenId`, when it may be a secret: unless its `source` is
 * written in the document and names a source whose ids are public.
 */
function refTokenIdPlace(ref: ObjectValueNode): SecretPlace {
  const source = ref.fields.find((field) => field.name.value === 'source')?.value;
  if (source?.kind === Kind.ENUM) return PUBLIC_ID_SOURCES.has(source.value) ? undefined : `the tokenId of a ${source.value} TokenRef`;
  return `the tokenId of a TokenRef whose source is not written in the document (it may be ${SECRET_ID_SOURCES.join(' or ')})`;
}
