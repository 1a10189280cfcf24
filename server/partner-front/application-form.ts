/** A form body as @fastify/formbody gives it: repeated fields (checkboxes) become arrays. */
export type TFormBody = Record<string, string | string[] | undefined>;

const listOf = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
/** A field left empty is absent, so the schema says "is required" (or applies its default). */
const filled = (value: string | string[] | undefined): string | string[] | undefined =>
  typeof value === 'string' ? (value.trim() ? value : undefined) : value;

/** The online form's fields, named by their path in the application (`representative.email`), as the application. */
export function applicationFromForm(form: TFormBody): Record<string, unknown> {
  const email = filled(form['representative.email']);
  const categories = listOf(form.categories);
  return {
    organizationName: filled(form.organizationName),
    representative: {
      name: filled(form['representative.name']),
      title: filled(form['representative.title']),
      email: typeof email === 'string' ? email.trim() : email,
      phone: filled(form['representative.phone']),
    },
    services: listOf(form.services),
    ...(categories.length ? { categories } : {}),
    interests: filled(form.interests),
    programDescription: filled(form.programDescription),
    criteriaAffirmed: listOf(form.criteriaAffirmed),
  };
}
