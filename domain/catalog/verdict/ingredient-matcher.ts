import { KEYWORD_GROUPS, type IngredientFlag } from './ingredient-keywords.js';

/** What an ingredient list says: groups it contains, groups it may contain as traces, and the term seen. */
export interface IngredientAnalysis {
  /** False when there is no ingredient text: keyword rules then cannot clear a product. */
  known: boolean;
  contains: Map<IngredientFlag, string>;
  traces: Map<IngredientFlag, string>;
}

const WORD = '[\\p{L}\\p{N}]+';
// "sans gluten", "no added sugar", "alcohol-free": a negated term is not an ingredient.
const NEGATED = new RegExp(`(?<= )(?:(?:sans|without|no|free from|free of|zero) (?:added |ajoute )?${WORD}|${WORD} free)(?= )`, 'gu');
// Precautionary labelling ("may contain…") names traces, not ingredients.
const TRACE_MARKER =
  /may (?:also )?contain|can contain|peut (?:aussi |egalement )?contenir|traces? (?:of|de|d')|(?:made|produced|manufactured|processed|packed) in an? (?:factory|facility|site|environment)|fabrique dans un atelier|elabore dans un atelier/;

const PATTERNS = Object.entries(KEYWORD_GROUPS).map(([flag, group]) => ({
  flag: flag as IngredientFlag,
  term: alternation(group.terms, '(?:s|es|x)?'),
  except: group.except?.length ? alternation(group.except, '') : undefined,
}));

function alternation(terms: string[], suffix: string): RegExp {
  const escaped = [...terms].sort((a, b) => b.length - a.length).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<= )(?:${escaped.join('|')})${suffix}(?= )`, 'gu');
}

/** Lower case, accents and ligatures folded: "Gélatine de PORC, Œufs" → "gelatine de porc, oeufs". */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss');
}

function words(folded: string): string {
  return ` ${folded.replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `.replace(NEGATED, ' ');
}

/** Splits folded text into the ingredients proper and the precautionary "may contain" part. */
function splitTraces(folded: string): { main: string; traces: string } {
  let main = '';
  let traces = '';
  for (const sentence of folded.split(/\.(?=\s|$)|\n/)) {
    const at = sentence.search(TRACE_MARKER);
    if (at < 0) main += ` ${sentence}`;
    else {
      main += ` ${sentence.slice(0, at)}`;
      traces += ` ${sentence.slice(at)}`;
    }
  }
  return { main: words(main), traces: words(traces) };
}

function scan(text: string): Map<IngredientFlag, string> {
  const found = new Map<IngredientFlag, string>();
  for (const { flag, term, except } of PATTERNS) {
    const haystack = except ? text.replace(except, ' ') : text;
    const match = haystack.match(term);
    if (match) found.set(flag, match[0]);
  }
  return found;
}

/** Finds the keyword groups in an ingredient list (any language the groups cover) and in labels. */
export function analyseIngredients(ingredients: string, labels: readonly string[] = []): IngredientAnalysis {
  const { main, traces } = splitTraces(foldText(ingredients));
  const contains = scan(main + words(foldText(labels.join(' . '))));
  const traceHits = scan(traces);
  for (const flag of contains.keys()) traceHits.delete(flag);
  return { known: ingredients.trim().length > 0, contains, traces: traceHits };
}

/** The flags stored with a product (ingredient_flags) so listings can filter by suitability in SQL. */
export function ingredientFlags(ingredients: string, labels: readonly string[] = []): string[] {
  const { contains, traces } = analyseIngredients(ingredients, labels);
  return [...contains.keys(), ...[...traces.keys()].map((f) => `trace:${f}`)].sort();
}
