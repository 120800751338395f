/**
 * The sources table is the one list of sources: every other list must agree with it. The schema's
 * `TokenSource` enum and token types, the resolvers, the datasources and the demo are checked
 * against it here, so a row added without its parts (or a part without its row) fails.
 */
import { buildASTSchema, concatAST, isEnumType, isObjectType, parse } from 'graphql';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { TOKEN_SOURCES } from '../../src/datasources/createDataSources.js';
import { DEMO_REFS } from '../../src/demo/demoData.js';
import type { TokenSource } from '../../src/generated/resolvers-types.js';
import { loadTypeDefs } from '../../src/graph/createSchema.js';
import { resolvers } from '../../src/resolvers/index.js';
import { SOURCE_NAMES, SOURCES, UPSTREAMS, type SourceName } from '../../src/sources.js';

const schema = buildASTSchema(concatAST([parse('directive @key(fields: String!) repeatable on OBJECT | INTERFACE'), parse('directive @link(url: String!, import: [String]) repeatable on SCHEMA'), ...loadTypeDefs().map((sdl) => parse(sdl))]), { assumeValidSDL: true });

describe('the sources table', () => {
  it('names exactly the TokenSource enum values, in its order', () => {
    expectTypeOf<TokenSource>().toEqualTypeOf<SourceName>();
    const enumType = schema.getType('TokenSource');
    expect(isEnumType(enumType) && enumType.getValues().map((v) => v.name)).toEqual(SOURCE_NAMES);
  });

  it.each(SOURCES.map((row) => [row.name, row] as const))('%s: its type implements Token and has a resolver file', (_, row) => {
    const type = schema.getType(row.type);
    expect(isObjectType(type) && type.getInterfaces().map((i) => i.name)).toEqual(expect.arrayContaining(['Token', 'Node']));
    expect(resolvers).toHaveProperty(row.type);
  });

  it.each(SOURCES.map((row) => [row.name, row] as const))('%s: its reference parts end with tokenId, and each is a TokenRef field', (_, row) => {
    expect(row.refParts.at(-1)).toBe('tokenId');
    const ref = schema.getType('TokenRef');
    for (const part of row.refParts) expect(ref && 'getFields' in ref ? Object.keys(ref.getFields()) : []).toContain(part);
  });

  it('reads every source one token at a time, but for Crafter access tokens (read as a list)', () => {
    expect(Object.keys(TOKEN_SOURCES).sort()).toEqual(SOURCE_NAMES.filter((name) => name !== 'CRAFTER_ACCESS_TOKEN').sort());
    for (const [name, spec] of Object.entries(TOKEN_SOURCES)) expect(spec.source).toBe(name);
  });

  it('gives every upstream its own variable prefix, and every upstream a source', () => {
    const prefixes = Object.values(UPSTREAMS).map((upstream) => upstream.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const upstream of Object.keys(UPSTREAMS)) expect(SOURCES.some((row) => row.upstream === upstream)).toBe(true);
  });

  it('has demo tokens of every source', () => {
    expect(new Set(DEMO_REFS.map((ref) => ref.source))).toEqual(new Set(SOURCE_NAMES));
  });
});
