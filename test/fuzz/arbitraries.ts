import fc from 'fast-check';
import { getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType, type GraphQLInputType } from 'graphql';

/**
 * Random and malformed values for any GraphQL input type, built from the schema itself, so new
 * mutations are fuzzed without anyone writing a generator for them. Well-formed values are mixed
 * in so the fuzzing reaches the services' own validation, not only GraphQL's coercion.
 */
export interface IdPool {
  /** Real ids of the viewer's organisation, another organisation's, and of the wrong type. */
  ids: string[];
}

const nastyStrings = fc.constantFrom(
  '',
  ' ',
  'x'.repeat(100_000),
  '\u0000\u0001\u0007',
  '🧸👨‍👩‍👧‍👦🏳️‍🌈',
  '\u202Eevil\u202C',
  "Robert'); DROP TABLE child;--",
  '%_\\',
  '<script>alert(1)</script>',
  'ÅÄÖ Łódź Ñandú Zoë',
  '\uD800',
  'a\nb\r\nc\t',
);
const dates = fc.constantFrom('2015-02-30', '2016-02-29', '2015-02-29', '0001-01-01', '9999-12-31', '1899-12-31', '2026-13-01', '2026-00-10', '20260101', 'yesterday', '2026-11-25T00:00:00Z', '');
const someDates = fc.oneof(
  dates,
  fc.date({ min: new Date('1990-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
);
const dateTimes = fc.oneof(
  fc.constantFrom('2026-02-30T10:00:00Z', 'not a time', '9999-12-31T23:59:59Z', '1970-01-01T00:00:00Z', '2026-03-29T01:30:00+00:00', ''),
  fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString()),
);
const ints = fc.oneof(fc.constantFrom(0, -1, 1, 2, 3, 28, 29, 366, 2 ** 31 - 1, -(2 ** 31)), fc.integer({ min: -50, max: 50 }));

function forType(type: GraphQLInputType, pool: IdPool, depth: number): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return forType(type.ofType, pool, depth);
  if (isListType(type)) return fc.array(forType(type.ofType, pool, depth + 1), { maxLength: depth > 1 ? 2 : 4 });
  const named = getNamedType(type);
  if (isEnumType(named)) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...named.getValues().map((v) => v.name)) }, { weight: 1, arbitrary: fc.constantFrom('NOT_A_VALUE', '') });
  if (isInputObjectType(named)) {
    const fields = Object.values(named.getFields());
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const f of fields) {
      const value = forType(f.type, pool, depth + 1);
      record[f.name] = isNonNullType(f.type) ? value : fc.option(value, { nil: null, freq: 3 });
    }
    return fc.record(record, { requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name) });
  }
  if (isScalarType(named)) {
    switch (named.name) {
      case 'ID':
        return fc.oneof(
          { weight: 5, arbitrary: fc.constantFrom(...pool.ids) },
          { weight: 1, arbitrary: fc.constantFrom('', 'garbage', '00000000-0000-0000-0000-000000000000', 'SG91c2Vob2xkOm5vdC1hLXV1aWQ') },
          { weight: 1, arbitrary: fc.base64String({ maxLength: 60 }) },
        );
      case 'String':
        return fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 40 }) }, { weight: 2, arbitrary: nastyStrings }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) });
      case 'Int':
        return ints;
      case 'Float':
        return fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(0, -1, 1e308));
      case 'Boolean':
        return fc.boolean();
      case 'Date':
        return someDates;
      case 'DateTime':
        return dateTimes;
      default:
        return fc.string();
    }
  }
  return fc.constant(null);
}

export function inputArbitrary(type: GraphQLInputType, pool: IdPool): fc.Arbitrary<unknown> {
  return forType(type, pool, 0);
}
