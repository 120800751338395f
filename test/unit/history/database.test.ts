/**
 * How the history names its database in logs, errors and start-up's line (contract §12): never with
 * a password, whether DATABASE_URL carries it in its user info or in its query string (`pg` takes
 * `password=` and `sslpassword=` from there too).
 */
import { describe, expect, it } from 'vitest';
import { databaseName } from '../../../src/history/database.js';
import { encodings } from '../../secretEncodings.js';

const SECRET = 'Pw-s3cret+Zq8/Xv';
const encoded = encodeURIComponent(SECRET);

describe('databaseName', () => {
  it.each([
    ['a password in the user info', `postgres://tokengraph:${encoded}@db:5432/tokengraph`, 'PostgreSQL at postgres://tokengraph@db:5432/tokengraph'],
    ['a password in the query string', `postgres://tokengraph@db:5432/tokengraph?password=${encoded}`, 'PostgreSQL at postgres://tokengraph@db:5432/tokengraph'],
    ['an ssl key password in the query string', `postgres://tokengraph@db/tokengraph?sslpassword=${encoded}&sslmode=verify-full`, 'PostgreSQL at postgres://tokengraph@db/tokengraph?sslmode=verify-full'],
    ['both, and parameters that say where and how', `postgresql://u:${encoded}@db/x?host=%2Fvar%2Frun%2Fpostgresql&port=6432&password=${encoded}&application_name=${encoded}#${encoded}`, 'PostgreSQL at postgresql://u@db/x?host=%2Fvar%2Frun%2Fpostgresql&port=6432'],
  ])('%s: named without it', (_, databaseUrl, name) => {
    const shown = databaseName({ databaseUrl });
    expect(shown).toBe(name);
    for (const echo of encodings(SECRET)) expect(shown).not.toContain(echo);
  });

  it('names PGlite by its directory, or memory', () => {
    expect(databaseName({ dataDir: './data' })).toBe('PGlite in ./data');
    expect(databaseName({})).toBe('PGlite in memory');
  });
});
