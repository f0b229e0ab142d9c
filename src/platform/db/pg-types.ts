import pg from 'pg';

/**
 * Calendar dates travel as YYYY-MM-DD strings from the database to the client (DESIGN.md, Time):
 * pg must not turn a DATE into a JavaScript Date at local midnight.
 */
const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const DATE_ARRAY_OID = 1182;
const INT8_ARRAY_OID = 1016;
const NUMERIC_ARRAY_OID = 1231;

/** pg-types' array parser as it is exported (its typings describe another shape); NULL elements stay null. */
interface ArrayParser {
  create(source: string, element: (v: string) => unknown): { parse(): unknown[] };
}

let installed = false;
export function installPgTypeParsers(): void {
  if (installed) return;
  installed = true;
  pg.types.setTypeParser(DATE_OID, (v: string) => v);
  // count(*) and sums are int8; every count this service returns fits comfortably in a double.
  pg.types.setTypeParser(INT8_OID, (v: string) => Number(v));
  pg.types.setTypeParser(NUMERIC_OID, (v: string) => Number(v));
  // Arrays of them read as their elements do (a list's related rows come back as one array per
  // column: see joinedListColumns).
  const arrayOf = (element: (v: string) => unknown) => (v: string) => (pg.types.arrayParser as unknown as ArrayParser).create(v, element).parse();
  // pg's typings list only the element types' ids.
  const setParser = pg.types.setTypeParser as (oid: number, parse: (v: string) => unknown) => void;
  setParser(
    DATE_ARRAY_OID,
    arrayOf((v) => v),
  );
  setParser(INT8_ARRAY_OID, arrayOf(Number));
  setParser(NUMERIC_ARRAY_OID, arrayOf(Number));
}
