import { TestEnv, type TestApp } from './test-env.js';
import { httpClient, type HttpClient } from './http.js';
import { createUser, type TestUser } from './users.js';

export interface Shop {
  env: TestEnv;
  app: TestApp;
  merchant: TestUser;
  http: HttpClient;
}

/**
 * The usual world of a commerce test file: its own database and Redis prefix, one started instance
 * a merchant and an HTTP client for it. Registers the file's beforeAll/afterAll; read the fields inside tests.
 */
export function useShop(): Readonly<Shop> {
  const shop = {} as Shop;
  beforeAll(async () => {
    shop.env = await TestEnv.create();
    shop.app = await shop.env.start();
    shop.http = httpClient(shop.app.url);
    shop.merchant = await createUser(shop.app, 'merchant');
  });
  afterAll(() => shop.env?.close());
  return shop;
}
