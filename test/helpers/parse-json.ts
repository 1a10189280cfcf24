import { z } from 'zod';

/** JSON a test received (the CLI's output, a log line) read through `schema`, so the test reads typed fields. */
export const parseJson = <S extends z.ZodType>(schema: S, text: string): z.infer<S> => schema.parse(JSON.parse(text));

/** What `cpo … --json` writes to stderr when it refuses: a message and, for bad input, the problems by flag. */
export const ZCliJsonErrorSchema = z.object({
  error: z.object({
    message: z.string(),
    problems: z.array(z.object({ flag: z.string(), field: z.string(), message: z.string() })).optional(),
  }),
});
