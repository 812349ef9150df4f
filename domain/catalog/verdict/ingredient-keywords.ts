import type { Allergen } from '../../identity/index.js';

/**
 * Keyword groups the verdict rules look for in ingredient text, in English and French, written
 * folded (lower case, no accents, œ → oe): the matcher folds the text the same way. A term also
 * matches its plural (s, es, x). `except` lists phrases that contain a term but are not that thing
 * (coconut milk is not milk, wine vinegar carries no alcohol).
 *
 * The allergen groups carry the names of the 14 EU allergens (Regulation 1169/2011, Annex II), so a
 * match can be compared with a profile's allergens and a product's declared allergens directly.
 */
export type DietFlag = 'pork' | 'meat' | 'gelatin' | 'alcohol' | 'honey' | 'animal-derived' | 'raw-milk' | 'liver' | 'high-mercury-fish' | 'iodine-rich';
export type IngredientFlag = DietFlag | Allergen;

export interface KeywordGroup {
  terms: string[];
  except?: string[];
}

// biome-ignore format: keyword lists are data, kept one group per line
const PLANT_MILKS = ['coconut milk', 'lait de coco', 'almond milk', 'lait d amande', 'soy milk', 'soya milk', 'lait de soja', 'oat milk', 'rice milk', 'lait de riz', 'lait d avoine'];

// biome-ignore format: keyword lists are data, kept one group per line
export const KEYWORD_GROUPS: Record<IngredientFlag, KeywordGroup> = {
  pork: {
    terms: ['pork', 'porc', 'pig', 'lard', 'lardon', 'bacon', 'ham', 'jambon', 'saindoux', 'prosciutto', 'pancetta', 'chorizo', 'salami', 'pepperoni', 'gelatine de porc', 'couenne'],
  },
  meat: {
    terms: ['meat', 'viande', 'beef', 'boeuf', 'veal', 'veau', 'lamb', 'agneau', 'mutton', 'mouton', 'chicken', 'poulet', 'volaille', 'poultry', 'turkey', 'dinde', 'duck', 'canard', 'goose', 'oie', 'rabbit', 'lapin', 'venison', 'gibier', 'beef stock', 'chicken stock', 'bouillon de boeuf', 'bouillon de volaille', 'suet', 'tallow', 'graisse de boeuf'],
    except: ['coconut meat'],
  },
  gelatin: { terms: ['gelatin', 'gelatine', 'e441', 'collagen', 'collagene'] },
  alcohol: {
    terms: ['alcohol', 'alcool', 'ethanol', 'wine', 'vin', 'beer', 'biere', 'rum', 'rhum', 'brandy', 'cognac', 'armagnac', 'sherry', 'xeres', 'liqueur', 'whisky', 'whiskey', 'vodka', 'gin', 'kirsch', 'calvados', 'cider', 'cidre', 'porto', 'port wine', 'marsala', 'madeira', 'madere', 'sake', 'mirin', 'champagne', 'eau de vie'],
    except: ['wine vinegar', 'vinaigre de vin', 'sugar alcohol', 'vin aigre', 'cider vinegar', 'vinaigre de cidre', 'alcohol vinegar', 'vinaigre d alcool'],
  },
  honey: { terms: ['honey', 'miel', 'royal jelly', 'gelee royale', 'propolis'] },
  'animal-derived': {
    terms: ['carmine', 'carmin', 'cochineal', 'cochenille', 'e120', 'shellac', 'gomme laque', 'e904', 'beeswax', 'cire d abeille', 'e901', 'lanolin', 'lanoline', 'isinglass', 'rennet', 'presure', 'l cysteine', 'e920'],
  },
  'raw-milk': { terms: ['raw milk', 'lait cru', 'unpasteurised', 'unpasteurized', 'non pasteurise', 'au lait cru'] },
  liver: { terms: ['liver', 'foie', 'pate de foie', 'foie gras', 'liverwurst'] },
  'high-mercury-fish': { terms: ['swordfish', 'espadon', 'shark', 'requin', 'marlin', 'king mackerel', 'tilefish'] },
  'iodine-rich': {
    terms: ['iodised salt', 'iodized salt', 'sel iode', 'seaweed', 'algue', 'kelp', 'kombu', 'nori', 'wakame', 'dulse', 'hijiki', 'laminaria', 'e127', 'erythrosine', 'potassium iodide', 'iodure de potassium'],
  },
  gluten: {
    terms: ['gluten', 'wheat', 'wheatflour', 'ble', 'froment', 'barley', 'orge', 'rye', 'seigle', 'spelt', 'epeautre', 'kamut', 'khorasan', 'triticale', 'oat', 'oats', 'avoine', 'malt', 'semolina', 'semoule', 'couscous', 'bulgur', 'boulgour', 'freekeh', 'farro', 'seitan', 'durum'],
    except: ['buckwheat', 'ble noir', 'sarrasin'],
  },
  crustaceans: {
    terms: ['crustacean', 'crustace', 'shrimp', 'prawn', 'crevette', 'crab', 'crabe', 'lobster', 'homard', 'langouste', 'langoustine', 'crayfish', 'ecrevisse', 'krill', 'scampi'],
  },
  eggs: { terms: ['egg', 'oeuf', 'egg white', 'egg yolk', 'blanc d oeuf', 'jaune d oeuf', 'albumen', 'mayonnaise', 'lysozyme', 'ovalbumin', 'meringue'] },
  fish: {
    terms: ['fish', 'poisson', 'salmon', 'saumon', 'tuna', 'thon', 'cod', 'cabillaud', 'morue', 'anchovy', 'anchois', 'sardine', 'mackerel', 'maquereau', 'trout', 'truite', 'herring', 'hareng', 'haddock', 'eglefin', 'pollock', 'colin', 'hake', 'merlu', 'sole', 'plaice', 'carrelet', 'tilapia', 'fish sauce', 'sauce poisson', 'surimi', 'worcestershire sauce'],
  },
  peanuts: { terms: ['peanut', 'arachide', 'cacahuete', 'groundnut', 'peanut butter', 'beurre de cacahuete'] },
  soybeans: { terms: ['soy', 'soya', 'soja', 'soybean', 'edamame', 'tofu', 'tempeh', 'miso', 'shoyu', 'tamari'] },
  milk: {
    terms: ['milk', 'lait', 'cream', 'creme', 'butter', 'beurre', 'cheese', 'fromage', 'whey', 'lactoserum', 'lactose', 'casein', 'caseine', 'caseinate', 'yoghurt', 'yogurt', 'yaourt', 'ghee', 'buttermilk', 'babeurre', 'milk powder', 'lait en poudre', 'mozzarella', 'parmesan', 'cheddar', 'ricotta', 'mascarpone', 'emmental', 'gruyere', 'comte', 'creme fraiche', 'kefir', 'curd', 'quark'],
    except: [...PLANT_MILKS, 'cocoa butter', 'beurre de cacao', 'peanut butter', 'beurre de cacahuete', 'shea butter', 'beurre de karite', 'nut butter', 'almond butter', 'cream of tartar', 'creme de tartre', 'cream soda', 'butter bean', 'bean curd'],
  },
  nuts: {
    terms: ['nut', 'almond', 'amande', 'hazelnut', 'noisette', 'walnut', 'cashew', 'cajou', 'pecan', 'brazil nut', 'noix du bresil', 'pistachio', 'pistache', 'macadamia', 'noix', 'fruits a coque', 'fruit a coque', 'praline', 'marzipan', 'massepain', 'frangipane', 'gianduja', 'nougat'],
    except: ['noix de coco', 'noix de muscade', 'coconut', 'nutmeg', 'pine nut', 'pignon de pin', 'nut free'],
  },
  celery: { terms: ['celery', 'celeri', 'celeriac', 'celeri rave'] },
  mustard: { terms: ['mustard', 'moutarde'] },
  sesame: { terms: ['sesame', 'tahini', 'tahin', 'gomasio'] },
  sulphites: {
    terms: ['sulphite', 'sulfite', 'sulphites', 'metabisulphite', 'metabisulfite', 'bisulphite', 'bisulfite', 'sulphur dioxide', 'sulfur dioxide', 'dioxyde de soufre', 'anhydride sulfureux', 'e220', 'e221', 'e222', 'e223', 'e224', 'e225', 'e226', 'e227', 'e228'],
  },
  lupin: { terms: ['lupin', 'lupine', 'lupinus'] },
  molluscs: {
    terms: ['mollusc', 'mollusque', 'mussel', 'moule', 'oyster', 'huitre', 'clam', 'palourde', 'scallop', 'coquille saint jacques', 'squid', 'calamar', 'encornet', 'octopus', 'poulpe', 'cuttlefish', 'seiche', 'snail', 'escargot', 'whelk', 'bulot'],
  },
};
