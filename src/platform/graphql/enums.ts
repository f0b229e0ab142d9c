import { registerEnumType } from 'type-graphql';

/**
 * A description for every value of an enum, or null where the contract gives none: a value added to
 * the enum does not compile until someone has said whether it needs one.
 */
export type ValueDescriptions<E extends object> = { readonly [K in keyof E]: string | null };

export interface EnumDescriptions<E extends object> {
  description?: string;
  /** Left out only when no value has a description. */
  values?: ValueDescriptions<E>;
}

/**
 * Makes a TypeScript enum the GraphQL enum `name`. Descriptions are the contract's
 * (api/contract.graphql), word for word.
 */
export function registerEnum<E extends object>(values: E, name: string, { description, values: described }: EnumDescriptions<E> = {}): void {
  const valuesConfig: Partial<Record<keyof E, { description: string }>> = {};
  if (described) {
    for (const value of Object.keys(described) as (keyof E)[]) {
      const text = described[value];
      if (text !== null) valuesConfig[value] = { description: text };
    }
  }
  registerEnumType(values, { name, description, valuesConfig });
}
