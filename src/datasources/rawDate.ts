import { z } from 'zod';

/**
 * A date field as an upstream sends it: epoch milliseconds or a string, or absent. It is
 * read into a `DateTime` field by field (shared/dates.ts), so that one unreadable date nulls only
 * its own field, with an error, rather than the whole token.
 */
export const rawDate = z.union([z.number(), z.string()]).nullish();
