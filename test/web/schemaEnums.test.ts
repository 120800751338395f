/**
 * The lists web/ writes out by hand are the schema's enums, in their order: a value added to the
 * schema and not to the page fails here (and, once `npm run codegen` has run, the type check: each
 * list is written as a record of the generated type).
 */
import { describe, expect, it } from 'vitest';
import { FINDINGS } from '../../web/findings.js';
import { STATUSES } from '../../web/filters.js';
import { EVENT_KINDS } from '../../web/tokenHistory.js';
import { schemaEnum } from '../schemaEnum.js';

describe("the page's lists of enum values", () => {
  it("are the schema's, in its order", () => {
    expect(STATUSES).toEqual(schemaEnum('TokenStatus'));
    expect(EVENT_KINDS).toEqual(schemaEnum('TokenEventKind'));
    expect(FINDINGS).toEqual(schemaEnum('TokenFinding'));
  });
});
