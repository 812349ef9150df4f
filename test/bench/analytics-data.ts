import { once } from 'node:events';
import { createWriteStream, statSync } from 'node:fs';

const CATEGORIES = ['Starters', 'Mains', 'Pasta', 'Grill', 'Desserts', 'Drinks'];
/** Busy lunch and dinner, quiet afternoons: relative order volume per hour 11:00–22:00. */
const HOUR_WEIGHTS = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 10, 7, 3, 2, 3, 6, 10, 9, 6, 3, 1, 0];
/** Monday … Sunday. */
const WEEKDAY_WEIGHTS = [0.8, 0.85, 0.9, 1, 1.25, 1.45, 1.1];

export interface GeneratedMenu {
  items: Array<{ name: string; category: string; cents: number; weight: number }>;
}

/** A deterministic pseudo-random generator (the bench data is the same on every run). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** 60 items in six categories with prices and popularity weights. */
export function benchMenu(): GeneratedMenu {
  const random = lcg(42);
  return {
    items: Array.from({ length: 60 }, (_, i) => ({
      name: `${CATEGORIES[i % 6]} dish ${i + 1}`,
      category: CATEGORIES[i % 6],
      cents: 300 + Math.round(random() * 2400),
      weight: 0.2 + random() ** 2 * 3,
    })),
  };
}

/** A generated line, in the standard CSV shape's terms. */
interface GeneratedLine {
  orderId: string;
  at: string;
  item: string;
  category: string;
  quantity: number;
  cents: number;
  costCents: number | null;
}

/**
 * `lines` transaction lines over the year `year` (UTC), orders of 1–5 lines, weekday and hour
 * patterns, in order of time.
 */
function* generateLines(lines: number, year: number): Generator<GeneratedLine> {
  const menu = benchMenu();
  const random = lcg(7);
  const pickItem = weighted(
    menu.items.map((i) => i.weight),
    random,
  );
  const pickHour = weighted(HOUR_WEIGHTS, random);
  const days = Array.from({ length: 365 }, (_, d) => new Date(Date.UTC(year, 0, 1 + d)));
  const perDay = weighted(
    days.map((d) => WEEKDAY_WEIGHTS[(d.getUTCDay() + 6) % 7]),
    random,
  );
  for (let made = 0, order = 0; made < lines; order++) {
    const day = days[perDay()];
    const at = new Date(day.getTime() + pickHour() * 3_600_000 + Math.floor(random() * 3_600_000)).toISOString();
    const size = Math.min(lines - made, 1 + Math.floor(random() * random() * 5));
    for (let l = 0; l < size; l++, made++) {
      const item = menu.items[pickItem()];
      yield {
        orderId: `B${order}`,
        at,
        item: item.name,
        category: item.category,
        quantity: random() < 0.1 ? 2 : 1,
        cents: item.cents,
        costCents: random() < 0.5 ? Math.round(item.cents * 0.28) : null,
      };
    }
  }
}

const money = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

/** The generated lines as a transactions CSV of the standard shape (`order_id,timestamp,item,quantity,unit_price,unit_cost,category`). */
export async function writeTransactionsCsv(path: string, lines: number, year: number): Promise<{ path: string; bytes: number; lines: number }> {
  const out = createWriteStream(path);
  let chunk = 'order_id,timestamp,item,quantity,unit_price,unit_cost,category\n';
  for (const l of generateLines(lines, year)) {
    chunk += `${l.orderId},${l.at},${l.item},${l.quantity},${money(l.cents)},${l.costCents === null ? '' : money(l.costCents)},${l.category}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return { path, bytes: statSync(path).size, lines };
}

function weighted(weights: number[], random: () => number): () => number {
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) {
    sum += w;
    cumulative.push(sum);
  }
  const total = cumulative[cumulative.length - 1];
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}
