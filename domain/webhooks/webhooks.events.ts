declare module '../shared/domain-events.js' {
  interface DomainEvents {
    /** An endpoint stopped receiving: its receiver answered 410, or it failed every retry. For the owner's notification. */
    'webhook.endpoint_disabled': { endpointId: string; merchantId: string; url: string; reason: string };
  }
}
