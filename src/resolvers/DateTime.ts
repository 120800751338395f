import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { normalizeDate } from '../shared/dates.js';

const RFC3339_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Resolvers hand this scalar strings already normalized by shared/dates.ts; serializing checks
 * the form so a slip can never reach a client. Inputs (no field takes one today) accept
 * any date shared/dates.ts can read and are normalized the same way.
 */
export const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'RFC 3339 in UTC with milliseconds, e.g. "2017-05-24T22:17:45.318Z"',
  serialize(value) {
    if (typeof value === 'string' && RFC3339_UTC_MS.test(value)) return value;
    throw new GraphQLError('DateTime cannot represent a value that is not a normalized date');
  },
  parseValue(value) {
    const date = normalizeDate(value);
    if (date === undefined) throw new GraphQLError('DateTime must be an RFC 3339 date, e.g. "2017-05-24T22:17:45.318Z"');
    return date;
  },
  parseLiteral(ast) {
    const date = ast.kind === Kind.STRING ? normalizeDate(ast.value) : undefined;
    if (date === undefined) throw new GraphQLError('DateTime must be an RFC 3339 date, e.g. "2017-05-24T22:17:45.318Z"');
    return date;
  },
});
