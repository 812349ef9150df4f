import type { EntityManager } from '@mikro-orm/postgresql';
import type { Emit } from '../shared/domain-events.js';
import { AppError } from '../shared/app-error.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import { linkAddonToDishes } from './dish-addons.js';
import type { UserDirectory } from '../identity/index.js';
import type { CreateProductInput, UpdateProductInput } from './catalog.schemas.js';
import { canManage, owningMerchant, productNotFound, type Caller } from './product-access.js';
import { productConflict } from './product-conflicts.js';
import { Product, NUTRIENTS } from './product.entity.js';
import type { ProductReader } from './product-reader.js';
import type { ProductData } from './product-row.js';
import { ingredientFlags } from './verdict/ingredient-matcher.js';

type Fields = Omit<UpdateProductInput, 'nutrition'> & { nutrition?: CreateProductInput['nutrition'] };

/** Where a restaurant's dish or add-on goes: the restaurant, and for an add-on the dishes it is offered with. */
export interface RestaurantPlacement {
  restaurantId: string;
  addonOf: string[];
}

/**
 * Creates, changes and deletes products, each in one unit of work. The events carry the stock and
 * stock_version read back from the row inside the transaction (the trigger bumps the version), so the
 * inventory mirror can order them; they go out after the commit. The cache forgets the product through
 * the same events (index.ts).
 */
export class ProductWriter {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reader: ProductReader,
    private readonly users: Pick<UserDirectory, 'isMerchant'>,
  ) {}

  /**
   * Creates a product for the caller (or, for an admin, the merchant it names); with a placement, in a
   * restaurant (whose ownership the caller checked), an add-on linked to its dishes in the same transaction.
   */
  async create(caller: Caller, input: CreateProductInput, placement?: RestaurantPlacement): Promise<ProductData> {
    const merchantId = owningMerchant(caller, input.merchantId);
    if (caller.role === 'admin') await this.assertMerchant(merchantId);
    return this.write(async (tx, emit) => {
      const product = tx.create(Product, { merchantId, sku: input.sku, name: input.name, priceCents: input.priceCents });
      apply(product, input);
      product.restaurantId = placement?.restaurantId ?? null;
      await tx.flush();
      if (placement?.addonOf.length) await linkAddonToDishes(tx, product, placement.addonOf);
      return this.announce(tx, 'product.created', product.id, emit);
    });
  }

  /** Changes the fields sent; another merchant's product is answered as missing. */
  async update(caller: Caller, id: string, patch: UpdateProductInput): Promise<ProductData> {
    return this.write(async (tx, emit) => {
      const product = await tx.findOne(Product, { id });
      if (!product || !canManage(caller, product.merchantId)) throw productNotFound();
      const before = { priceCents: product.priceCents, currency: product.currency, active: product.active };
      apply(product, patch);
      if (product.priceCents !== before.priceCents || product.currency !== before.currency || product.active !== before.active) {
        emit('product.offer_changed', { productId: id, priceCents: product.priceCents, currency: product.currency, active: product.active });
      }
      await tx.flush();
      return this.announce(tx, 'product.updated', id, emit);
    });
  }

  /** Deletes a product; another merchant's product is answered as missing. */
  async remove(caller: Caller, id: string): Promise<void> {
    await this.write(async (tx, emit) => {
      const product = await tx.findOne(Product, { id });
      if (!product || !canManage(caller, product.merchantId)) throw productNotFound();
      tx.remove(product);
      await tx.flush();
      emit('product.deleted', { productId: id, merchantId: product.merchantId });
      emit('product.offer_changed', { productId: id, priceCents: product.priceCents, currency: product.currency, active: false });
    });
  }

  /** One unit of work; a constraint violation becomes the client's error naming the field. */
  private async write<T>(work: (tx: EntityManager, emit: Emit) => Promise<T>): Promise<T> {
    try {
      return await this.uow.run(work);
    } catch (err) {
      throw productConflict(err);
    }
  }

  /** Reads the row back in the transaction (versions come from the trigger) and queues the event. */
  private async announce(tx: EntityManager, name: 'product.created' | 'product.updated', id: string, emit: Emit): Promise<ProductData> {
    const committed = await this.reader.committed(id, tx);
    if (!committed) throw productNotFound(); // deleted between the write and the read-back
    const { product, stockVersion } = committed;
    emit(name, { productId: id, merchantId: product.merchantId, stock: product.stock, stockVersion, active: product.active });
    return product;
  }

  private async assertMerchant(id: string): Promise<void> {
    if (!(await this.users.isMerchant(id))) throw AppError.validation([{ path: 'merchantId', message: 'No such merchant' }]);
  }
}

/** Copies validated fields onto the entity, field by field (no mass assignment). */
function apply(product: Product, f: Fields): void {
  if (f.sku !== undefined) product.sku = f.sku;
  if (f.name !== undefined) product.name = f.name;
  if (f.description !== undefined) product.description = f.description;
  if (f.priceCents !== undefined) product.priceCents = f.priceCents;
  if (f.currency !== undefined) product.currency = f.currency;
  if (f.stock !== undefined) product.stock = f.stock;
  if (f.barcode !== undefined) product.barcode = f.barcode;
  if (f.category !== undefined) product.category = f.category;
  if (f.kind !== undefined) product.kind = f.kind;
  if (f.active !== undefined) product.active = f.active;
  if (f.maxPerCustomer !== undefined) product.maxPerCustomer = f.maxPerCustomer;
  if (f.labels !== undefined) product.labels = [...new Set(f.labels)];
  if (f.allergens !== undefined) product.allergens = [...new Set(f.allergens)];
  if (f.ingredients !== undefined) product.ingredients = f.ingredients;
  for (const n of NUTRIENTS) if (f.nutrition && f.nutrition[n] !== undefined) product[n] = f.nutrition[n];
  if (f.ingredients !== undefined || f.labels !== undefined) product.ingredientFlags = ingredientFlags(product.ingredients, product.labels);
}
