import { producer } from '../notification-draft.js';

/** The daily reminder, to each customer who has not ordered from today's set: once per locality and day. */
export const mealSetReminder = producer('mealset.reminder_due', ({ mealSetId, locality, localityName, date, orderCutoff, customerIds }) =>
  customerIds.map((userId) => ({
    userId,
    type: 'mealset.reminder',
    subject: `${locality}/${date}`,
    title: "Today's lunch is waiting",
    body: `Order from today's meal set in ${localityName} before ${orderCutoff}.`,
    data: { mealSetId, locality, date },
  })),
);
