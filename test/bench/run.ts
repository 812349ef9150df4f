/**
 * `npm run bench -- <name> [args]`: runs one benchmark (or all with no name) and prints its figures
 * next to the raw baseline measured in the same run.
 */
const BENCHES = ['auth', 'catalog', 'cart-reservations', 'cart-fanout', 'checkout', 'diary', 'reminders', 'analytics', 'import', 'connections'] as const;
/** Names that run several benches as one run: `cart` is cart-reservations then cart-fanout on one server. */
const ALIASES = ['cart'] as const;
const benches: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = Object.fromEntries(
  [...BENCHES, ...ALIASES].map((n) => [n, () => import(`./${n}.js`)]),
);

const [name, ...args] = process.argv.slice(2);
const selected = name ? [name] : [...BENCHES];
for (const n of selected) {
  const load = benches[n];
  if (!load) {
    console.error(`unknown benchmark "${n}"; choose from: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n=== bench: ${n} ===`);
  await (await load()).run(args);
}
process.exit(0);
