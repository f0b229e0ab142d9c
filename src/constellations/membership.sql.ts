/**
 * SQL condition: the membership row `m` (an alias of constellation_membership) is the hub of
 * `constellation` on `day`, both SQL expressions (a column, or a parameter with its cast). A
 * constellation has one hub at a time (the membership_one_hub constraint), so joining on this adds
 * at most one row.
 */
export function hubOnDay(m: string, constellation: string, day: string): string {
  return `${m}.constellation_id = ${constellation} and ${m}.role = 'HUB' and ${m}.period @> ${day}`;
}
