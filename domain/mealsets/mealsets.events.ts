declare module '../shared/domain-events.js' {
  interface DomainEvents {
    /** A batch of a locality's customers who have not ordered from today's set by the reminder time. */
    'mealset.reminder_due': {
      mealSetId: string;
      locality: string;
      localityName: string;
      date: string;
      orderCutoff: string;
      customerIds: string[];
    };
  }
}

export {};
