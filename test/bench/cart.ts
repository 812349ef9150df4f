import { parseCartArgs, withCartServer } from './cart-bench-support.js';
import { FANOUT_OPTIONS, describeFanOut, fanOutConfig, measureFanOut } from './cart-fanout.js';
import { RESERVATIONS_OPTIONS, describeReservations, measureReservations, reservationsConfig } from './cart-reservations.js';

/**
 * `npm run bench -- cart [--quick] [--only reservations|fanout] [--instances N --adapter classic|sharded] [options of cart-reservations and cart-fanout]`:
 * the alias that runs both cart benches as one run, reservations then fan-out against one server
 * process and one seeded database (as the README's cart figures were measured).
 */
export async function run(args: string[]): Promise<void> {
  const { values, quick, opt, cluster } = parseCartArgs(args, { only: { type: 'string' }, ...RESERVATIONS_OPTIONS, ...FANOUT_OPTIONS });
  const reservations = reservationsConfig(opt);
  const fanOut = fanOutConfig(opt);
  const only = values.only;
  if (only && only !== 'reservations' && only !== 'fanout') throw new Error('--only takes reservations or fanout');

  const header = `cart bench${quick ? ' (quick)' : ''}: ${describeReservations(reservations)}; ${describeFanOut(fanOut)}`;
  const seeding = { customers: Math.max(reservations.sockets, fanOut.watchers) + 1, products: reservations.products };
  await withCartServer('cart', header, seeding, cluster, async (server, env, seeded) => {
    if (!only || only === 'reservations') await measureReservations(server, env, seeded, reservations);
    if (!only || only === 'fanout') await measureFanOut(server, env, seeded, fanOut);
  });
}
