/**
 * The typed client operations are checked against the schema: the project's own operations
 * generate, and an operation asking for a field the schema does not have fails codegen
 * (and so `npm run codegen:check` in CI).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../../codegen.js';

const clientOutput = config.generates['src/generated/client/'] as { documents: string[]; preset: 'client'; config: Record<string, unknown> };

function generateClient(documents: string[]) {
  return generate(
    { schema: config.schema, silent: true, generates: { 'out/': { ...clientOutput, documents } } },
    false,
  );
}

describe('typed client operations', () => {
  it('generate from the project operations', async () => {
    const files = await generateClient(clientOutput.documents);
    const graphql = files.find((file: { filename: string }) => file.filename.endsWith('graphql.ts'))!;
    expect(graphql.content).toContain('export const TokenOverviewDocument');
    expect(graphql.content).toContain('export const MixedTokensExampleDocument');
  }, 30_000);

  it('fail on an operation that does not match the schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokengraph-ops-'));
    writeFileSync(join(dir, 'bad.graphql'), 'query Bad { tokens(refs: []) { name secretValue } }\n');
    await expect(generateClient([join(dir, 'bad.graphql')])).rejects.toThrow(/secretValue/);
  }, 30_000);
});
