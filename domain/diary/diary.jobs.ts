declare module '../shared/job-queue.js' {
  interface JobPayloads {
    'diary.purge-trash': Record<string, never>;
    'diary.make-thumbnail': { entryId: string; photoKey: string };
  }
}

export {};
