import { z } from 'zod';
import { ERROR_CODES } from '../../domain/shared/app-error.js';
import { AckErrorSchema, clientEvents, serverEvents } from './contract.js';

type JsonSchema = Record<string, unknown>;

/** A zod schema as the JSON Schema (draft 7) an AsyncAPI 3 message payload takes. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** AsyncAPI ids allow letters, digits and `.-_`; event names use `:`. */
const idOf = (event: string) => event.replace(/:/g, '.');

function ackSchema(data: z.ZodType): JsonSchema {
  return {
    oneOf: [
      { type: 'object', properties: { ok: { const: true }, data: jsonSchema(data, 'output') }, required: ['ok', 'data'] },
      { type: 'object', properties: { ok: { const: false }, error: { $ref: '#/components/schemas/AckError' } }, required: ['ok', 'error'] },
    ],
  };
}

/**
 * The AsyncAPI 3 document of the socket contract (contract.ts), generated from the very schemas the
 * handlers validate with: every client → server event with its payload and its ack (a reply), every
 * server → client push, and the error codes an ack may carry.
 */
export function buildAsyncApiDocument(publicUrl: string): object {
  const url = new URL(publicUrl);
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};

  for (const [event, spec] of Object.entries(clientEvents)) {
    const id = idOf(event);
    messages[`${id}.request`] = { name: event, title: `${event} payload`, payload: jsonSchema(spec.input, 'input') };
    messages[`${id}.ack`] = { name: `${event} ack`, title: `${event} ack`, payload: ackSchema(spec.ack) };
    channels[id] = {
      address: event,
      messages: { request: { $ref: `#/components/messages/${id}.request` }, ack: { $ref: `#/components/messages/${id}.ack` } },
    };
    operations[id] = {
      action: 'receive',
      summary: spec.summary,
      channel: { $ref: `#/channels/${id}` },
      messages: [{ $ref: `#/channels/${id}/messages/request` }],
      reply: { channel: { $ref: `#/channels/${id}` }, messages: [{ $ref: `#/channels/${id}/messages/ack` }] },
    };
  }
  for (const [event, spec] of Object.entries(serverEvents)) {
    const id = idOf(event);
    messages[id] = { name: event, title: event, payload: jsonSchema(spec.payload, 'output') };
    channels[id] = { address: event, messages: { push: { $ref: `#/components/messages/${id}` } } };
    operations[`${id}.push`] = {
      action: 'send',
      summary: spec.summary,
      channel: { $ref: `#/channels/${id}` },
      messages: [{ $ref: `#/channels/${id}/messages/push` }],
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Larder realtime API',
      version: '1.0.0',
      description: [
        'Socket.IO 4 events. Connect with `io(url, { auth: { token: accessToken } })`; a missing, forged or expired token is refused',
        'with `connect_error` (`err.data.code`). Every client → server event takes an ack callback answered `{ ok: true, data }` or',
        '`{ ok: false, error: { code, message, ...details } }` with the same codes as the REST API. Each socket may send 50 events/s (burst 100),',
        'and each user SOCKET_USER_EVENTS_PER_SECOND over all their sockets (RATE_LIMITED with retryAfter). A user holds at most SOCKETS_PER_USER',
        'sockets at once; more are refused with `connect_error` code TOO_MANY_CONNECTIONS.',
        `Error codes: ${ERROR_CODES.join(', ')}.`,
      ].join(' '),
    },
    defaultContentType: 'application/json',
    servers: {
      larder: {
        host: url.host,
        protocol: url.protocol === 'https:' ? 'wss' : 'ws',
        pathname: '/socket.io/',
        description: 'Socket.IO (Engine.IO v4) endpoint on the same origin as the REST API',
      },
    },
    channels,
    operations,
    components: { messages, schemas: { AckError: jsonSchema(AckErrorSchema, 'output') } },
  };
}
