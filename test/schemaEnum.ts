/**
 * An enum's values as schema/*.graphql declares them, in order: for the tests that check a list
 * written out by hand (the overview page's checkboxes, web/'s lists) against the schema.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';

const SCHEMA_DIR = new URL('../schema/', import.meta.url);

export function schemaEnum(name: string): string[] {
  for (const file of readdirSync(SCHEMA_DIR).filter((file) => file.endsWith('.graphql'))) {
    for (const definition of parse(readFileSync(new URL(file, SCHEMA_DIR), 'utf8')).definitions) {
      if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === name) return (definition.values ?? []).map((value) => value.name.value);
    }
  }
  throw new Error(`schema/ declares no enum ${name}`);
}
