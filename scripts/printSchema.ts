/**
 * Writes schema.graphql: the schema exactly as tokengraph serves it (the Federation
 * subgraph's `_service` and `_entities` included, with every directive it uses defined),
 * at one stable path for editors and tools. Run by `npm run codegen`; CI fails when the
 * committed file differs.
 */
import { writeFileSync } from 'node:fs';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { createSchema } from '../src/graph/createSchema.js';

const HEADER = '# Generated from schema/*.graphql by scripts/printSchema.ts (npm run codegen). Do not edit.\n\n';

writeFileSync(new URL('../schema.graphql', import.meta.url), `${HEADER}${printSchema(lexicographicSortSchema(createSchema()))}\n`);
