import pg from 'pg';

/**
 * Calendar dates travel as YYYY-MM-DD strings from the database to the client (DESIGN.md, Time):
 * pg must not turn a DATE into a JavaScript Date at local midnight.
 */
const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

let installed = false;
export function installPgTypeParsers(): void {
  if (installed) return;
  installed = true;
  pg.types.setTypeParser(DATE_OID, (v: string) => v);
  // count(*) and sums are int8; every count this service returns fits comfortably in a double.
  pg.types.setTypeParser(INT8_OID, (v: string) => Number(v));
  pg.types.setTypeParser(NUMERIC_OID, (v: string) => Number(v));
}
