import { Kind, parse, type DefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadTypeDefs } from '../../../src/graph/createSchema.js';

/** `Type`, `Type.field` and `Type.field(arg)` of every definition in schema/ that has no description. */
function undescribed(definition: DefinitionNode): string[] {
  if (!('name' in definition) || !definition.name) return [];
  const type = definition.name.value;
  const missing: string[] = [];
  const isExtension = definition.kind.endsWith('Extension');
  if (!isExtension && !('description' in definition && definition.description)) missing.push(type);
  const fields = 'fields' in definition ? (definition.fields ?? []) : [];
  for (const field of fields) {
    if (!field.description) missing.push(`${type}.${field.name.value}`);
    for (const arg of 'arguments' in field ? (field.arguments ?? []) : []) if (!arg.description) missing.push(`${type}.${field.name.value}(${arg.name.value})`);
  }
  return missing;
}

describe('the schema', () => {
  // Contract §3: every type, field and argument carries a description.
  it('describes every type, field and argument it defines', () => {
    const definitions = loadTypeDefs().flatMap((sdl) => parse(sdl).definitions);
    expect(definitions.filter((d) => d.kind === Kind.OBJECT_TYPE_DEFINITION).length).toBeGreaterThan(5);
    expect(definitions.flatMap(undescribed)).toEqual([]);
  });
});
