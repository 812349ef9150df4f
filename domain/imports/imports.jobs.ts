declare module '../shared/job-queue.js' {
  interface JobPayloads {
    /** Runs (or resumes) one import. */
    'imports.run': { importId: string };
    /** Periodic: cleans up after imports that ended without cleaning up, fails uploads that stopped arriving. */
    'imports.sweep': Record<string, never>;
  }
}

export {};
