/** Response bodies are checked field by field in tests; `any` keeps those checks readable. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = (res: Response): Promise<any> => res.json();
