/**
 * The executable schema: the SDL files of schema/ and the resolvers of src/resolvers/,
 * built once per process. It is an Apollo Federation v2 subgraph schema (`_service`,
 * `_entities`), which serves plain GraphQL clients exactly as before.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { concatAST, parse, type GraphQLSchema } from 'graphql';
import { resolvers } from '../resolvers/index.js';

const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

export function loadTypeDefs(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(new URL(file, SCHEMA_DIR), 'utf8'));
}

export function createSchema(): GraphQLSchema {
  return buildSubgraphSchema([{ typeDefs: concatAST(loadTypeDefs().map((sdl) => parse(sdl))), resolvers }]);
}
