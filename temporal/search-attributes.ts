/** Custom search attributes the jobs set; registered when the dev server starts (and documented for clusters). */
import { SA } from '../workflows/model';

export const SEARCH_ATTRIBUTES: Record<string, 'Keyword'> = Object.fromEntries(
  Object.values(SA).map((k) => [k.name, 'Keyword' as const]),
);

/** `--search-attribute NAME=Keyword` flags for `temporal server start-dev` / `temporal operator search-attribute create`. */
export function searchAttributeFlags(): string[] {
  return Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}
