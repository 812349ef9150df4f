import { text } from '../shared/text.js';
import { z } from 'zod';
import { PageQuery, pageSchema } from '../shared/pagination.js';
import { isTimeZone } from '../shared/time-zones.js';

/** A locality's key: lower-case words joined by hyphens (`berlin-mitte`); given in any case, stored lower-cased. */
export const LocalitySlug = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens, e.g. "berlin-mitte"');

/** A local time of day, `HH:MM` (24 h). */
export const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time HH:MM, e.g. "10:30"');

/** An IANA time zone name, e.g. `Europe/Berlin`. */
export const TimeZone = text().trim().min(1).max(64).refine(isTimeZone, 'must be an IANA time zone, e.g. "Europe/Berlin"');

const fields = {
  name: text().trim().min(1).max(100),
  timeZone: TimeZone,
  orderCutoff: TimeOfDay.describe("local time after which today's meal set takes no more orders"),
  reminderAt: TimeOfDay.describe('local time of the daily reminder to customers who have not ordered yet'),
};

export const CreateLocalityInput = z.object({ slug: LocalitySlug, ...fields }).strict();
export const UpdateLocalityInput = z.object(fields).partial().strict();
export const LocalityParams = z.object({ slug: LocalitySlug }).strict();
export const ListLocalitiesQuery = PageQuery.strict();

export const LocalityOutput = z.object({
  slug: z.string(),
  name: z.string(),
  timeZone: z.string(),
  orderCutoff: z.string(),
  reminderAt: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export const LocalityPage = pageSchema(LocalityOutput);

export type CreateLocalityInput = z.output<typeof CreateLocalityInput>;
export type UpdateLocalityInput = z.output<typeof UpdateLocalityInput>;
export type LocalityOutput = z.output<typeof LocalityOutput>;
