declare module '../shared/domain-events.js' {
  interface DomainEvents {
    /** An upload's bytes so far, to the uploader's sockets (≤ 10 a second, and once at the end). Not transactional. */
    'diary.upload_progress': { userId: string; uploadId: string; bytesReceived: number; bytesTotal: number | null };
    /** A photo was stored on an entry; its thumbnail job follows (durable). */
    'diary.photo_stored': { userId: string; entryId: string; photoKey: string };
    'diary.entries_purged': { userId: string; entryIds: string[] };
  }
}

export {};
