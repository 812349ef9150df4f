import type { EntityManager } from '@mikro-orm/postgresql';

/** A meal set as stored: its dishes in their order. */
export interface MealSetRecord {
  id: string;
  locality: string;
  date: string;
  dishIds: string[];
  createdAt: Date;
  updatedAt: Date;
}

interface Row {
  id: string;
  locality: string;
  date: string;
  dish_ids: string[] | null;
  created_at: Date;
  updated_at: Date;
}

const SELECT = `select s.id, s.locality, s.date::text as date, s.created_at, s.updated_at,
  (select array_agg(d.product_id order by d.position) from meal_set_dishes d where d.meal_set_id = s.id) as dish_ids
  from meal_sets s`;

/** Reads and writes of meal_sets and their dishes (the unique (locality, date) constraint lives in the table). */
export class MealSetStore {
  constructor(private readonly em: EntityManager) {}

  async insert(tx: EntityManager, set: Omit<MealSetRecord, 'updatedAt'> & { createdBy: string }): Promise<void> {
    await tx.execute(`insert into meal_sets (id, locality, date, created_by, created_at, updated_at) values (?, ?, ?, ?, ?, ?)`, [
      set.id,
      set.locality,
      set.date,
      set.createdBy,
      set.createdAt,
      set.createdAt,
    ]);
    await this.insertDishes(tx, set.id, set.dishIds);
  }

  async replaceDishes(tx: EntityManager, id: string, dishIds: string[], at: Date): Promise<void> {
    await tx.execute(`delete from meal_set_dishes where meal_set_id = ?`, [id]);
    await this.insertDishes(tx, id, dishIds);
    await tx.execute(`update meal_sets set updated_at = ? where id = ?`, [at, id]);
  }

  /** The set with its row locked: `update` for a change of its dishes, `share` for a checkout judged against it. */
  async lock(tx: EntityManager, id: string, mode: 'update' | 'share'): Promise<MealSetRecord | null> {
    const [row] = await tx.execute<Row[]>(`${SELECT} where s.id = ? for ${mode === 'update' ? 'update' : 'share'} of s`, [id]);
    return row ? toRecord(row) : null;
  }

  async byId(id: string): Promise<MealSetRecord | null> {
    const [row] = await this.em.execute<Row[]>(`${SELECT} where s.id = ?`, [id]);
    return row ? toRecord(row) : null;
  }

  async find(locality: string, date: string): Promise<MealSetRecord | null> {
    const [row] = await this.em.execute<Row[]>(`${SELECT} where s.locality = ? and s.date = ?`, [locality, date]);
    return row ? toRecord(row) : null;
  }

  private async insertDishes(tx: EntityManager, id: string, dishIds: string[]): Promise<void> {
    await tx.execute(
      `insert into meal_set_dishes (meal_set_id, product_id, position) values ${dishIds.map(() => '(?, ?, ?)').join(', ')}`,
      dishIds.flatMap((productId, position) => [id, productId, position]),
    );
  }
}

function toRecord(r: Row): MealSetRecord {
  return { id: r.id, locality: r.locality, date: r.date, dishIds: r.dish_ids ?? [], createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at) };
}
