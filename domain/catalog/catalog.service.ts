import type { UserDirectory } from '../identity/index.js';
import type { Page } from '../shared/pagination.js';
import { AppError } from '../shared/app-error.js';
import type { CreateProductInput, ListProductsQuery, ProductOutput, UpdateProductInput } from './catalog.schemas.js';
import type { ProductListing } from './listing/product-listing.js';
import { canView, productNotFound, type Caller } from './product-access.js';
import type { ProductReader } from './product-reader.js';
import type { ProductData } from './product-row.js';
import type { ProductWriter, RestaurantPlacement } from './product-writer.js';
import { productVerdict } from './verdict/product-verdict.js';
import type { Verdict } from './verdict/verdict-engine.js';

/** Units available to buy per product id: stock minus live reservations (the inventory module). */
export type Availability = (productIds: string[]) => Promise<Map<string, number>>;

export interface CatalogParts {
  users: Pick<UserDirectory, 'healthProfile'>;
  reader: ProductReader;
  writer: ProductWriter;
  listing: ProductListing;
  availability: Availability;
}

/** The catalog's use cases, as the REST routes (and later sockets) call them. */
export class CatalogService {
  constructor(private readonly d: CatalogParts) {}

  /** A product as its caller may see it (inactive ones only by their manager). */
  async get(caller: Caller | undefined, id: string): Promise<ProductOutput> {
    // Both lookups at once: the id is known up front, so the two Redis reads share one round trip.
    const [product, available] = await Promise.all([this.visible(caller, id), this.d.availability([id])]);
    return toOutput(product, available);
  }

  /** The product with this barcode, with the caller's verdict when signed in. */
  async byBarcode(caller: Caller | undefined, code: string): Promise<ProductOutput & { verdict?: Verdict }> {
    // The profile does not depend on the product, and the availability of the product that answered
    // here last time is most likely the one needed: read them all at once.
    const hinted = this.d.reader.rememberedBarcodeId(code);
    const [product, profile, hintedAvailable] = await Promise.all([
      this.d.reader.byBarcode(code),
      caller ? this.d.users.healthProfile(caller.id) : null,
      hinted ? this.d.availability([hinted]) : null,
    ]);
    if (!product || !canView(caller, product)) throw new AppError('NOT_FOUND', 'No product with this barcode');
    const output = hintedAvailable && product.id === hinted ? toOutput(product, hintedAvailable) : (await this.withAvailable([product]))[0];
    return profile ? { ...output, verdict: productVerdict(product, profile) } : output;
  }

  /** Can the caller eat this? Judged against their stored health profile. */
  async verdict(caller: Caller, id: string): Promise<Verdict> {
    const [product, profile] = await Promise.all([this.visible(caller, id), this.d.users.healthProfile(caller.id)]);
    return productVerdict(product, profile);
  }

  /** A page of products; `suitable=true` needs a signed-in caller (it reads their profile). */
  async list(caller: Caller | undefined, query: ListProductsQuery): Promise<Page<ProductOutput>> {
    if (query.suitable && !caller) throw new AppError('UNAUTHENTICATED', 'suitable=true needs a signed-in user (it reads the health profile)');
    const profile = query.suitable && caller ? await this.d.users.healthProfile(caller.id) : null;
    const page = await this.d.listing.page(query, caller, profile);
    return { items: await this.withAvailable(page.items), nextCursor: page.nextCursor };
  }

  async create(caller: Caller, input: CreateProductInput): Promise<ProductOutput> {
    return (await this.withAvailable([await this.d.writer.create(caller, input)]))[0];
  }

  /**
   * Creates a restaurant's dish or add-on (the restaurants module checked the caller manages the
   * restaurant); an add-on is linked to `placement.addonOf`, dishes of the same restaurant.
   */
  async createInRestaurant(caller: Caller, input: CreateProductInput, placement: RestaurantPlacement): Promise<ProductOutput> {
    return (await this.withAvailable([await this.d.writer.create(caller, input, placement)]))[0];
  }

  /** The products among `ids` the caller may see, with live availability, in the order of `ids`. */
  async many(caller: Caller | undefined, ids: readonly string[]): Promise<ProductOutput[]> {
    const found = new Map((await this.d.reader.byIds(ids)).filter((p) => canView(caller, p)).map((p) => [p.id, p]));
    return this.withAvailable(ids.flatMap((id) => found.get(id) ?? []));
  }

  async update(caller: Caller, id: string, patch: UpdateProductInput): Promise<ProductOutput> {
    return (await this.withAvailable([await this.d.writer.update(caller, id, patch)]))[0];
  }

  async remove(caller: Caller, id: string): Promise<void> {
    await this.d.writer.remove(caller, id);
  }

  private async visible(caller: Caller | undefined, id: string): Promise<ProductData> {
    const product = await this.d.reader.byId(id);
    if (!product || !canView(caller, product)) throw productNotFound();
    return product;
  }

  private async withAvailable(products: ProductData[]): Promise<ProductOutput[]> {
    const available = products.length ? await this.d.availability(products.map((p) => p.id)) : new Map<string, number>();
    return products.map((p) => toOutput(p, available));
  }
}

/** The product as answered: with its live availability, never below zero. */
function toOutput(product: ProductData, available: Map<string, number>): ProductOutput {
  return { ...product, available: Math.max(0, available.get(product.id) ?? 0) };
}
