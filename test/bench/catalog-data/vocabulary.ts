/**
 * Word lists for generated products: real food words (so searches look like shoppers' searches) and
 * thousands of made-up brand names built from syllables (so most terms are selective, as on a real
 * catalog: a brand matches a few hundred rows, a food word a few thousand, not a third of the table).
 */
export const FOODS: Record<string, string[]> = {
  dairy: ['milk', 'yoghurt', 'cheddar', 'brie', 'camembert', 'mozzarella', 'feta', 'butter', 'cream', 'kefir', 'skyr', 'ricotta', 'mascarpone', 'emmental', 'gouda', 'halloumi', 'parmesan', 'comte', 'roquefort', 'cottage cheese', 'creme fraiche', 'quark'],
  bakery: ['sourdough', 'baguette', 'croissant', 'brioche', 'bagel', 'ciabatta', 'focaccia', 'pita', 'naan', 'tortilla', 'rye bread', 'muffin', 'crumpet', 'pretzel', 'scone', 'pain au chocolat', 'flatbread', 'wholemeal loaf', 'panettone'],
  confectionery: ['chocolate', 'praline', 'truffle', 'fudge', 'toffee', 'nougat', 'marshmallow', 'caramel', 'liquorice', 'brownie', 'macaron', 'wafer', 'gummy bears', 'lollipop', 'marzipan'],
  'breakfast-cereals': ['granola', 'muesli', 'porridge oats', 'corn flakes', 'bran flakes', 'puffed rice', 'oat clusters', 'bircher muesli'],
  beverages: ['orange juice', 'apple juice', 'lemonade', 'iced tea', 'cola', 'ginger beer', 'kombucha', 'espresso', 'green tea', 'sparkling water', 'smoothie', 'oat drink', 'almond drink', 'coconut water', 'tonic water'],
  'fruits-vegetables': ['tomatoes', 'bananas', 'apples', 'pears', 'strawberries', 'blueberries', 'raspberries', 'spinach', 'broccoli', 'carrots', 'courgettes', 'aubergine', 'avocado', 'mango', 'pineapple', 'kale', 'beetroot', 'asparagus', 'leeks', 'mushrooms', 'peppers', 'cucumber', 'lettuce', 'clementines', 'cherries', 'apricots', 'figs', 'kiwi'],
  meat: ['chicken breast', 'beef mince', 'lamb chops', 'pork sausages', 'turkey slices', 'bacon', 'chorizo', 'salami', 'ham', 'duck breast', 'meatballs', 'burger patties', 'pastrami', 'prosciutto'],
  fish: ['salmon fillets', 'smoked salmon', 'tuna steaks', 'cod fillets', 'prawns', 'mackerel', 'sardines', 'anchovies', 'haddock', 'sea bass', 'trout', 'fish fingers', 'crab sticks'],
  'ready-meals': ['lasagne', 'risotto', 'paella', 'curry', 'chilli con carne', 'moussaka', 'shepherds pie', 'pad thai', 'ramen', 'burrito', 'quiche', 'tagine', 'gnocchi', 'ravioli', 'tortellini', 'falafel wrap', 'sushi box', 'dahl', 'biryani', 'goulash'],
  pantry: ['basmati rice', 'spaghetti', 'penne', 'fusilli', 'couscous', 'quinoa', 'lentils', 'chickpeas', 'kidney beans', 'olive oil', 'balsamic vinegar', 'peanut butter', 'honey', 'jam', 'marmalade', 'ketchup', 'mayonnaise', 'mustard', 'pesto', 'tahini', 'hummus', 'soy sauce', 'stock cubes', 'tomato passata', 'coconut milk', 'flour', 'sugar', 'sea salt', 'black pepper', 'paprika', 'cumin', 'oregano', 'cinnamon', 'vanilla extract'],
  snacks: ['crisps', 'tortilla chips', 'popcorn', 'pretzels', 'rice cakes', 'crackers', 'oatcakes', 'trail mix', 'salted peanuts', 'cashews', 'almonds', 'pistachios', 'protein bar', 'cereal bar', 'dried apricots', 'beef jerky'],
  frozen: ['ice cream', 'sorbet', 'frozen peas', 'frozen berries', 'pizza margherita', 'pizza pepperoni', 'garlic bread', 'hash browns', 'oven chips', 'spring rolls', 'dumplings', 'gyoza'],
};

export const ADJECTIVES = [
  'organic', 'classic', 'original', 'smoked', 'roasted', 'toasted', 'spicy', 'mild', 'extra mature', 'creamy', 'crunchy', 'light',
  'reduced fat', 'wholegrain', 'gluten free', 'vegan', 'free range', 'wild', 'fresh', 'frozen', 'sliced', 'grated', 'unsalted',
  'salted', 'sweet', 'tangy', 'zesty', 'rustic', 'artisan', 'premium', 'family size', 'mini', 'farmhouse', 'traditional', 'italian',
  'french', 'greek', 'indian', 'thai', 'mexican', 'japanese', 'british', 'alpine', 'mediterranean', 'honey glazed', 'chargrilled',
  'slow cooked', 'stone baked', 'hand cooked', 'cold pressed', 'sparkling', 'still', 'dark', 'white', 'golden', 'double', 'triple',
];

export const FLAVOURS = [
  'lemon', 'lime', 'orange', 'raspberry', 'strawberry', 'vanilla', 'mint', 'ginger', 'garlic', 'chilli', 'basil', 'rosemary', 'thyme',
  'sea salt', 'black pepper', 'caramel', 'hazelnut', 'coconut', 'mango', 'passion fruit', 'pomegranate', 'cranberry', 'blackcurrant',
  'cherry', 'peach', 'apricot', 'fig', 'date', 'maple', 'cinnamon', 'cardamom', 'saffron', 'truffle', 'smoked paprika', 'jalapeno',
  'sweet chilli', 'barbecue', 'cheese and onion', 'salt and vinegar', 'sour cream', 'honey mustard', 'tomato', 'olive', 'pesto',
  'matcha', 'espresso', 'cocoa', 'pistachio', 'almond', 'walnut', 'pecan', 'rhubarb', 'elderflower', 'blood orange', 'yuzu',
];

export const SIZES = ['100 g', '150 g', '200 g', '250 g', '300 g', '400 g', '500 g', '750 g', '1 kg', '2 kg', '330 ml', '500 ml', '750 ml', '1 l', '1.5 l', '6 pack', '4 x 125 g', '12 pack'];

const ONSETS = ['b', 'br', 'c', 'ch', 'cl', 'd', 'dr', 'f', 'fl', 'g', 'gr', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'pl', 'qu', 'r', 's', 'st', 'sh', 't', 'tr', 'v', 'w', 'z'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'io', 'ou', 'y'];
const CODAS = ['', '', 'n', 'r', 'l', 's', 'x', 'm', 'nd', 'rk', 'tt', 'lla', 'ssa', 'ne', 'ton', 'by'];

/** A deterministic pseudo-random generator (mulberry32), so a seed reproduces the same catalog. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)];
}

/** `count` distinct made-up brand names ("Brontella", "Quaixby"), capitalised. */
export function brandNames(count: number, rand: () => number): string[] {
  const names = new Set<string>();
  while (names.size < count) {
    const syllables = 2 + Math.floor(rand() * 2);
    let word = '';
    for (let i = 0; i < syllables; i++) word += pick(rand, ONSETS) + pick(rand, VOWELS);
    word += pick(rand, CODAS);
    names.add(word[0].toUpperCase() + word.slice(1));
  }
  return [...names];
}
