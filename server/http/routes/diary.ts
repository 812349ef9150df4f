import { z } from 'zod';
import {
  ChangesQuery,
  ChangesView,
  CreateEntryInput,
  EntryIdParams,
  EntryView,
  ListEntriesQuery,
  MAX_PHOTO_BYTES,
  PhotoQuery,
  SummaryQuery,
  SummaryView,
  UpdateEntryInput,
} from '../../../domain/diary/index.js';
import type { Modules } from '../../../domain/modules.js';
import { PageQuery, pageSchema } from '../../../domain/shared/pagination.js';
import { Reply, type Api } from '../api.js';
import { streamedBody } from '../streamed-body.js';

const tags = ['diary'];
const EntryPage = pageSchema(EntryView);

/** The caller's food diary: entries, summary, trash, offline sync and photos. Static paths come before `/diary/:id`. */
export function registerDiaryRoutes(api: Api, { diary }: Modules): void {
  const { entries, queries, summary, changes, photos } = diary;

  api.add({
    method: 'post',
    path: '/diary',
    summary: 'Write a diary entry (idempotent on clientId)',
    tags,
    auth: 'user',
    body: CreateEntryInput,
    responses: {
      201: { description: 'The entry, nutrition summed', schema: EntryView },
      200: { description: 'An entry with this clientId was already stored: that entry' },
    },
    handler: async ({ user, body }) => {
      const saved = await entries.create(user.id, body);
      return new Reply(saved.created ? 201 : 200, saved.entry);
    },
  });
  api.add({
    method: 'get',
    path: '/diary',
    summary: 'Own entries between from and to (days, inclusive), newest first',
    tags,
    auth: 'user',
    query: ListEntriesQuery,
    responses: { 200: { description: 'A page of entries', schema: EntryPage } },
    handler: ({ user, query }) => queries.list(user.id, query),
  });
  api.add({
    method: 'get',
    path: '/diary/summary',
    summary: "A day's totals against the health profile's daily limits (?date=), or per-day totals for charts (?from=&to=)",
    tags,
    auth: 'user',
    query: SummaryQuery,
    responses: { 200: { description: 'Totals, daily limits and warnings (nutrient, value, limit)', schema: SummaryView } },
    handler: ({ user, query }) => summary.summarize(user.id, query),
  });
  api.add({
    method: 'get',
    path: '/diary/changes',
    summary: 'Offline sync: entries created, updated, trashed or purged (tombstones) since the cursor',
    tags,
    auth: 'user',
    query: ChangesQuery,
    responses: { 200: { description: 'Changes, oldest first, and the cursor to give next time', schema: ChangesView } },
    handler: ({ user, query }) => changes.since(user.id, query),
  });
  api.add({
    method: 'get',
    path: '/diary/trash',
    summary: 'Trashed entries, most recently deleted first (each is purged 30 days after deletion)',
    tags,
    auth: 'user',
    query: PageQuery,
    responses: { 200: { description: 'A page of trashed entries', schema: EntryPage } },
    handler: ({ user, query }) => queries.trash(user.id, query),
  });
  api.add({
    method: 'get',
    path: '/diary/:id',
    summary: 'One own entry (trashed ones too)',
    tags,
    auth: 'user',
    params: EntryIdParams,
    responses: { 200: { description: 'The entry', schema: EntryView }, 404: { description: 'No such entry of the caller' } },
    handler: ({ user, params }) => queries.get(user.id, params.id),
  });
  api.add({
    method: 'put',
    path: '/diary/:id',
    summary: 'Replace an entry at the version the client edited',
    tags,
    auth: 'user',
    params: EntryIdParams,
    body: UpdateEntryInput,
    responses: {
      200: { description: 'The entry at version + 1', schema: EntryView },
      409: { description: 'VERSION_CONFLICT carrying the current entry (`entry`); CONFLICT when it is in the trash' },
    },
    handler: ({ user, params, body }) => entries.update(user.id, params.id, body),
  });
  api.add({
    method: 'delete',
    path: '/diary/:id',
    summary: 'Move an entry to the trash',
    tags,
    auth: 'user',
    params: EntryIdParams,
    responses: { 204: { description: 'In the trash' } },
    handler: async ({ user, params }) => {
      await entries.trash(user.id, params.id);
      return new Reply(204);
    },
  });
  api.add({
    method: 'post',
    path: '/diary/:id/restore',
    summary: 'Take an entry out of the trash (within 30 days)',
    tags,
    auth: 'user',
    params: EntryIdParams,
    body: z.object({}).strict(),
    responses: { 200: { description: 'The entry', schema: EntryView }, 409: { description: 'Deleted more than 30 days ago' } },
    handler: ({ user, params }) => entries.restore(user.id, params.id),
  });
  api.add({
    method: 'put',
    path: '/diary/:id/photo',
    summary: 'Upload the photo of an entry (streamed; JPEG, PNG or WebP; at most 8 MB). Progress is pushed as upload:progress',
    tags,
    auth: 'user',
    params: EntryIdParams,
    query: PhotoQuery,
    rawBody: { contentTypes: ['image/jpeg', 'image/png', 'image/webp'], description: `The image bytes (≤ ${MAX_PHOTO_BYTES} bytes), any transfer encoding` },
    responses: {
      200: { description: 'The entry with its signed photoUrl (thumbnailUrl follows once the thumbnail job ran)', schema: EntryView },
      413: { description: 'PAYLOAD_TOO_LARGE: over 8 MB (reading stops there) or over 100 megapixels' },
      415: { description: 'UNSUPPORTED_MEDIA_TYPE: not a JPEG, PNG or WebP by its bytes, or not decodable' },
    },
    handler: async ({ user, params, query, ctx }) => {
      const upload = streamedBody(ctx);
      try {
        return await photos.upload(user.id, params.id, { body: upload.body, bytesTotal: upload.declaredBytes, uploadId: query.uploadId ?? params.id });
      } catch (err) {
        upload.abandon();
        throw err;
      }
    },
  });
}
