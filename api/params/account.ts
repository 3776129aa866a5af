/** The account API's bodies (PUT /api/v1/account, POST /api/v1/keys): unknown fields are refused. */
import { z } from 'zod';

export const accountPatch = z
  .object({
    email: z.string().email().nullable().optional(),
    preferences: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const keyCreate = z.object({ name: z.string().trim().min(1).max(100).optional() }).strict();
