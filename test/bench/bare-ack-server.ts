/**
 * The cart-reservations bench's socket baseline: a bare Socket.IO server (no Redis adapter, no auth, no
 * rate limit, no validation, no Redis) in its own process, with the same engine options as Larder's.
 * `cart:add` and `cart:remove` are acked at once with a cart of the shape Larder answers (one line), so
 * the clients do exactly what they do against Larder and the server does only Socket.IO's own work.
 *
 * IPC: child → {type:'listening', port} once ready.
 */
import { serveBareSocketIo } from './bare-socket-io.js';

const io = serveBareSocketIo();

const cart = (productId: unknown, quantity: number) => ({
  ok: true,
  data: {
    items: quantity ? [{ productId, quantity, priceCents: 250 }] : [],
    totalCents: 250 * quantity,
    currency: 'EUR',
    expiresAt: quantity ? new Date(Date.now() + 900_000).toISOString() : null,
  },
});

io.on('connection', (socket) => {
  socket.on('cart:add', (input: { productId?: unknown }, ack: (r: unknown) => void) => ack(cart(input?.productId, 1)));
  socket.on('cart:remove', (input: { productId?: unknown }, ack: (r: unknown) => void) => ack(cart(input?.productId, 0)));
});
