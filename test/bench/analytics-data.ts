import type { EntityManager } from '@mikro-orm/postgresql';
import type { TransactionImportType, TransactionRecord } from '../../domain/analytics/index.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { EventBus } from '../../domain/shared/event-bus.js';
import { Outbox } from '../../domain/shared/outbox.js';
import { UnitOfWork } from '../../domain/shared/unit-of-work.js';
import { percentile } from './stats.js';

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

/**
 * `lines` transaction lines over the year `year` (UTC), orders of 1–5 lines, weekday and hour
 * patterns, in order of time; each batch of `batchSize` records is handed to `onBatch`.
 */
export async function generateLines(lines: number, year: number, batchSize: number, onBatch: (records: TransactionRecord[]) => Promise<void>): Promise<void> {
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
  let batch: TransactionRecord[] = [];
  for (let made = 0, order = 0; made < lines; order++) {
    const day = days[perDay()];
    const at = new Date(day.getTime() + pickHour() * 3_600_000 + Math.floor(random() * 3_600_000)).toISOString();
    const size = Math.min(lines - made, 1 + Math.floor(random() * random() * 5));
    for (let l = 0; l < size; l++, made++) {
      const item = menu.items[pickItem()];
      batch.push({
        sourceLineId: `B${order}:${l}`,
        orderId: `B${order}`,
        closedAt: at,
        closedLocal: null,
        item: item.name,
        category: item.category,
        quantity: random() < 0.1 ? 2 : 1,
        unitPriceCents: item.cents,
        unitCostCents: random() < 0.5 ? Math.round(item.cents * 0.28) : null,
        modifiers: null,
      });
      if (batch.length === batchSize) {
        await onBatch(batch);
        batch = [];
      }
    }
  }
  if (batch.length) await onBatch(batch);
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

export interface ImportFigures {
  lines: number;
  seconds: number;
  perSecond: number;
  batchP50Ms: number;
  batchP95Ms: number;
  batchLinesPerSecond: number;
}

/**
 * Loads the generated lines through the transactions import type (stage + upsert, one unit of work per
 * batch, as the pipeline will call it) and measures each batch: the component figure of the CSV import.
 */
export async function importGenerated(
  context: { em: EntityManager; events: EventBus; clock: Clock; type: TransactionImportType; merchantId: string },
  lines: number,
  batchSize: number,
): Promise<ImportFigures> {
  const uow = new UnitOfWork(context.em, context.events, new Outbox(), context.clock);
  const batchMs: number[] = [];
  const started = performance.now();
  await generateLines(lines, 2025, batchSize, async (records) => {
    const t = performance.now();
    await uow.run(async (tx, emit) => {
      await context.type.stage(tx, records);
      await context.type.upsert(tx, emit, context.merchantId);
    });
    batchMs.push(performance.now() - t);
  });
  const seconds = (performance.now() - started) / 1000;
  const p50 = percentile(batchMs, 50);
  return {
    lines,
    seconds,
    perSecond: lines / seconds,
    batchP50Ms: p50,
    batchP95Ms: percentile(batchMs, 95),
    batchLinesPerSecond: (batchSize / p50) * 1000,
  };
}
