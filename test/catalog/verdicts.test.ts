import { useShop } from '../support/shop.js';
import { createUser } from '../support/users.js';
import { createProduct } from '../support/products.js';
import { judge } from '../../domain/catalog/verdict/verdict-engine.js';

const none: Record<string, number | null> = {
  energyKcal: null,
  protein: null,
  fat: null,
  saturatedFat: null,
  carbohydrate: null,
  sugars: null,
  fibre: null,
  salt: null,
  iodineUg: null,
};

describe('verdicts', () => {
  const shop = useShop();
  const profileUser = (healthProfile: { conditions?: string[]; diets?: string[]; allergens?: string[] }) =>
    createUser(shop.app, 'customer', { healthProfile: { conditions: [], diets: [], allergens: [], ...healthProfile } as never });

  test('When a low-salt user asks about a salty product, then avoid with the salt value and limit', async () => {
    const p = await createProduct(shop.app, shop.merchant, { name: 'Salami', nutrition: { salt: 2.1 }, ingredients: 'beef, salt' });
    const user = await profileUser({ conditions: ['low-salt'] });
    const res = await shop.http.get(`/api/v1/products/${p.id}/verdict`, user.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      verdict: 'avoid',
      reasons: [expect.objectContaining({ rule: 'low-salt', level: 'avoid', nutrient: 'salt', value: 2.1, limit: 1.5 })],
    });
  });

  test('When a halal user asks about pork in French, then avoid naming the ingredient', async () => {
    const p = await createProduct(shop.app, shop.merchant, { name: 'Saucisson', nutrition: { salt: 1 }, ingredients: 'Viande de PORC, sel, dextrose' });
    const user = await profileUser({ diets: ['halal'] });
    const res = await shop.http.get(`/api/v1/products/${p.id}/verdict`, user.token);
    expect(res.body.verdict).toBe('avoid');
    expect(res.body.reasons).toEqual([expect.objectContaining({ rule: 'halal.pork', level: 'avoid' })]);
    expect(res.body.reasons[0].message).toMatch(/porc/);
  });

  test('When a peanut-allergic user scans a peanut product, then the barcode answer carries avoid', async () => {
    await createProduct(shop.app, shop.merchant, { name: 'Peanut butter', barcode: '5012345678900', ingredients: 'Roasted peanuts (98%), salt' });
    const user = await profileUser({ allergens: ['peanuts'] });
    const res = await shop.http.get('/api/v1/products/barcode/5012345678900', user.token);
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Peanut butter');
    expect(res.body.verdict.verdict).toBe('avoid');
    expect(res.body.verdict.reasons).toEqual([expect.objectContaining({ rule: 'allergen.peanuts', level: 'avoid' })]);
    const anonymous = await shop.http.get('/api/v1/products/barcode/5012345678900');
    expect(anonymous.body.verdict).toBeUndefined();
  });

  test('When nutrition is missing, then caution with a reason, never ok', async () => {
    const p = await createProduct(shop.app, shop.merchant, { name: 'Mystery snack', ingredients: 'rice, sugar' });
    const user = await profileUser({ conditions: ['low-salt', 'diabetic'] });
    const res = await shop.http.get(`/api/v1/products/${p.id}/verdict`, user.token);
    expect(res.body.verdict).toBe('caution');
    expect(res.body.reasons.map((r: { rule: string }) => r.rule).sort()).toEqual(['diabetic', 'low-salt']);
    expect(res.body.reasons[0].message).toMatch(/unknown/);
  });

  test('When the product suits the profile, then ok with no reasons', async () => {
    const p = await createProduct(shop.app, shop.merchant, { name: 'Rice cakes', nutrition: { salt: 0.05 }, ingredients: 'brown rice' });
    const user = await profileUser({ conditions: ['low-salt'], diets: ['halal', 'vegan'], allergens: ['peanuts'] });
    expect((await shop.http.get(`/api/v1/products/${p.id}/verdict`, user.token)).body).toEqual({ verdict: 'ok', reasons: [] });
  });

  test('When a barcode is unknown, then 404; UPC-A and its EAN-13 spelling find the same product', async () => {
    expect((await shop.http.get('/api/v1/products/barcode/96385074')).status).toBe(404);
    const p = await createProduct(shop.app, shop.merchant, { barcode: '036000291452' });
    expect((await shop.http.get('/api/v1/products/barcode/0036000291452')).body.id).toBe(p.id);
    expect((await shop.http.get('/api/v1/products/barcode/036000291452')).body.id).toBe(p.id);
  });

  test('When the verdict is asked without a token, then 401', async () => {
    const p = await createProduct(shop.app, shop.merchant);
    expect((await shop.http.get(`/api/v1/products/${p.id}/verdict`)).status).toBe(401);
  });
});

describe('verdict engine (rules as data)', () => {
  const product = (over: Partial<{ nutrition: Record<string, number | null>; ingredients: string; labels: string[]; allergens: string[] }>) => ({
    nutrition: none,
    ingredients: '',
    labels: [],
    allergens: [],
    ...over,
  });
  const profile = (p: { conditions?: any[]; diets?: any[]; allergens?: any[] }) => ({ conditions: [], diets: [], allergens: [], ...p });

  test('Salt between 0.3 and 1.5 g is a caution for low-salt', () => {
    const v = judge(product({ nutrition: { ...none, salt: 0.8 }, ingredients: 'x' }), profile({ conditions: ['low-salt'] }));
    expect(v).toMatchObject({ verdict: 'caution', reasons: [{ rule: 'low-salt', value: 0.8, limit: 0.3 }] });
  });

  test('Plant milks and wine vinegar do not trip milk or alcohol; a halal label clears gelatine', () => {
    expect(judge(product({ ingredients: 'eau, lait de coco, vinaigre de vin' }), profile({ diets: ['halal'], allergens: ['milk'] })).verdict).toBe('ok');
    expect(judge(product({ ingredients: 'sugar, gelatine', labels: ['halal'] }), profile({ diets: ['halal'] })).verdict).toBe('ok');
    expect(judge(product({ ingredients: 'sugar, gélatine' }), profile({ diets: ['halal'] })).verdict).toBe('avoid');
  });

  test('"May contain" traces are a caution; "sans gluten" is not gluten', () => {
    expect(judge(product({ ingredients: 'Sugar, cocoa. May contain traces of peanuts.' }), profile({ allergens: ['peanuts'] })).verdict).toBe('caution');
    expect(judge(product({ ingredients: 'farine de riz sans gluten' }), profile({ diets: ['gluten-free'] })).verdict).toBe('ok');
    expect(judge(product({ ingredients: 'farine de blé' }), profile({ diets: ['gluten-free'] })).verdict).toBe('avoid');
  });

  test('A pregnant user is told to avoid raw-milk cheese and alcohol; unknown ingredients are a caution', () => {
    expect(judge(product({ ingredients: 'Lait cru de vache, sel, présure' }), profile({ conditions: ['pregnancy'] })).verdict).toBe('avoid');
    expect(judge(product({ ingredients: 'sugar, rum 5%' }), profile({ conditions: ['pregnancy'] })).verdict).toBe('avoid');
    expect(judge(product({}), profile({ diets: ['vegan'] }))).toMatchObject({ verdict: 'caution', reasons: [{ rule: 'vegan' }] });
  });
});
