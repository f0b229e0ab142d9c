/** A well-formed id that names nothing: asked for, it must read as not found. */
export const RANDOM_UUID = '5b0c4f8e-3a51-4c55-9d3f-1f0d8d6f2a11';

/** userErrors as "CODE input.field" lines, so a test compares what was refused and where at a glance. */
export const errorsOf = (errs: { code: string; field: string[] }[]) => errs.map((e) => `${e.code} ${e.field.join('.')}`);
