import { foldText } from '../../../domain/catalog/verdict/ingredient-matcher.js';

/** Keyword → category slug, first match wins (English and French product names). */
const RULES: Array<[RegExp, string]> = [
  [/\b(chocolat\w*|candy|candies|bonbon\w*|gumm\w*|caramel\w*|confiserie|lollipop|marshmallow|fudge|toffee|praline\w*|nougat)\b/, 'confectionery'],
  [/\b(biscuit\w*|cookie\w*|cake\w*|gateau\w*|brownie\w*|muffin\w*|wafer\w*|madeleine\w*|cracker\w*|galette\w*)\b/, 'biscuits-and-cakes'],
  [/\b(bread|pain|loaf|baguette|brioche|croissant\w*|bagel\w*|tortilla\w*|bun|buns|roll|rolls)\b/, 'bakery'],
  [/\b(milk|lait|yogh?urt\w*|yaourt\w*|cheese|fromage\w*|cream|creme|butter|beurre|kefir|skyr|cheddar|mozzarella|brie|camembert|emmental)\b/, 'dairy'],
  [/\b(juice|jus|soda|cola|lemonade|limonade|tea|the|coffee|cafe|water|eau|drink|boisson\w*|beer|biere|wine|vin|smoothie)\b/, 'beverages'],
  [/\b(cereal\w*|cereale\w*|granola|muesli|porridge|flakes|oats|avoine)\b/, 'breakfast-cereals'],
  [/\b(chips|crisps|popcorn|pretzel\w*|nuts|noix|peanut\w*|cacahuete\w*|almond\w*|amande\w*|snack\w*|bar|barre\w*)\b/, 'snacks'],
  [/\b(chicken|poulet|beef|boeuf|pork|porc|ham|jambon|sausage\w*|saucisse\w*|bacon|turkey|dinde|salami|chorizo|meat|viande)\b/, 'meat'],
  [/\b(fish|poisson|salmon|saumon|tuna|thon|cod|cabillaud|sardine\w*|shrimp\w*|crevette\w*|mackerel|maquereau)\b/, 'fish'],
  [/\b(pasta|pates|spaghetti|penne|rice|riz|noodle\w*|couscous|quinoa|lentil\w*|lentille\w*|beans|haricot\w*|flour|farine)\b/, 'pantry'],
  [/\b(sauce\w*|ketchup|mayonnaise|mustard|moutarde|dressing|vinaigrette|pesto|salsa|jam|confiture|honey|miel|oil|huile|vinegar|vinaigre)\b/, 'pantry'],
  [/\b(soup|soupe|veloute|pizza|lasagn\w*|quiche|meal|plat|sandwich\w*|salad|salade|burrito|curry)\b/, 'ready-meals'],
  [/\b(ice cream|glace|sorbet|frozen|surgele\w*)\b/, 'frozen'],
  [
    /\b(apple\w*|pomme\w*|banana\w*|orange\w*|tomato\w*|tomate\w*|berr(y|ies)|fruit\w*|vegetable\w*|legume\w*|carrot\w*|carotte\w*|spinach|epinard\w*|potato\w*)\b/,
    'fruits-vegetables',
  ],
];

/** A category slug for a product name; `other` when nothing matches. */
export function guessCategory(name: string): string {
  const folded = foldText(name);
  return RULES.find(([re]) => re.test(folded))?.[1] ?? 'other';
}
