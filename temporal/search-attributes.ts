/** Custom search attributes the jobs set; registered when the dev server starts (and documented for clusters). */
import { SA } from '../workflows/model';

/** The CLI's name for each SDK type (`temporal operator search-attribute create --type …`). */
const CLI_TYPE = { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList' } as const;

export const SEARCH_ATTRIBUTES: Record<string, (typeof CLI_TYPE)[keyof typeof CLI_TYPE]> = Object.fromEntries(
  Object.values(SA).map((k) => [k.name, CLI_TYPE[k.type as keyof typeof CLI_TYPE]]),
);

/** `--search-attribute NAME=Type` flags for `temporal server start-dev` / `temporal operator search-attribute create`. */
export function searchAttributeFlags(): string[] {
  return Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}
