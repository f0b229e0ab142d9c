import fc from 'fast-check';
import { MATCH_WEIGHTS, rankMatches, scoreMatch, type MatchFeatures, type Need, type Skill } from '../../src/matching/matching.service';

// Properties of the scoring and ranking over random households for one child: what the fostering
// team relies on whatever the weights come to be.

const AREAS = ['DISABILITY', 'MEDICAL', 'BEHAVIOUR', 'EDUCATION', 'LANGUAGE', 'RELIGION_AND_CULTURE', 'EMOTIONAL_WELLBEING', 'EXPLOITATION_RISK', 'OTHER'];
const areaArb = fc.constantFrom(...AREAS);
const needArb: fc.Arbitrary<Need> = fc.record({ area: areaArb, detail: fc.option(fc.constantFrom('a', 'b'), { nil: null }), essential: fc.boolean() });
const skillArb: fc.Arbitrary<Skill> = fc.record({ area: areaArb, detail: fc.option(fc.constant('s'), { nil: null }) });
const siblingArb = fc.record({ name: fc.constantFrom('Amy', 'Ava'), visible: fc.boolean() });

const householdArb = fc.record({
  name: fc.constantFrom('Ash', 'Birch', 'Cedar', 'Dale', 'Elm'),
  siblingsHere: fc.array(siblingArb, { maxLength: 2 }),
  kinship: fc.boolean(),
  childConnected: fc.boolean(),
  siblingsConnected: fc.array(siblingArb, { maxLength: 2 }),
  plannedBefore: fc.boolean(),
  unplannedBefore: fc.boolean(),
  sameConstellation: fc.boolean(),
  inConstellation: fc.boolean(),
  postcodeDistrict: fc.constantFrom('LS6', 'LS7'),
  recentUnplannedEndings: fc.nat({ max: 5 }),
  skills: fc.array(skillArb, { maxLength: 5 }),
  sleepoversHere: fc.nat({ max: 3 }),
  hubBookingsHere: fc.nat({ max: 2 }),
  stayedHere: fc.boolean(),
  bedrooms: fc.option(fc.nat({ max: 4 }), { nil: null }),
  roomsTaken: fc.nat({ max: 4 }),
});

const worldArb = fc.record({
  needs: fc.array(needArb, { maxLength: 5 }),
  households: fc.array(householdArb, { minLength: 1, maxLength: 12 }),
  reference: fc.option(fc.record({ current: fc.boolean(), postcodeDistrict: fc.constantFrom('LS6', 'LS7') }), { nil: null }),
});

type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;
type H = World['households'][number];

function features(w: World, h: H): MatchFeatures {
  return {
    childName: 'Cal',
    siblingsHere: h.siblingsHere,
    kinship: h.kinship,
    childConnected: h.childConnected,
    siblingsConnected: h.siblingsConnected,
    plannedBefore: h.plannedBefore,
    unplannedBefore: h.unplannedBefore,
    reference: w.reference ? { ...w.reference, isThisHousehold: false } : null,
    sameConstellation: h.sameConstellation && h.inConstellation,
    constellation: h.inConstellation ? { name: 'Riverside' } : null,
    postcodeDistrict: h.postcodeDistrict,
    recentUnplannedEndings: h.recentUnplannedEndings,
    needs: w.needs,
    skills: h.skills,
    sleepoversHere: h.sleepoversHere,
    hubBookingsHere: h.hubBookingsHere,
    stayedHere: h.stayedHere,
    bedrooms: h.bedrooms,
    roomsTaken: h.roomsTaken,
  };
}

function ranked(w: World): string[] {
  return rankMatches(w.households.map((h, i) => ({ id: `id${String(i).padStart(2, '0')}`, name: h.name, scored: scoreMatch(features(w, h)) }))).map((m) => m.id);
}

test('adding a skill never lowers a household’s rank', () => {
  fc.assert(
    fc.property(worldArb, fc.nat(), skillArb, (w, pick, skill) => {
      const i = pick % w.households.length;
      const id = `id${String(i).padStart(2, '0')}`;
      const before = ranked(w).indexOf(id);
      const households = w.households.map((h, j) => (j === i ? { ...h, skills: [...h.skills, skill] } : h));
      const after = ranked({ ...w, households }).indexOf(id);
      expect(after).toBeLessThanOrEqual(before);
    }),
    { numRuns: 500 },
  );
});

test('a household with an unmet essential need never ranks above one without', () => {
  fc.assert(
    fc.property(worldArb, (w) => {
      const list = rankMatches(w.households.map((h, i) => ({ id: String(i), name: h.name, scored: scoreMatch(features(w, h)) })));
      const firstUnmet = list.findIndex((m) => m.scored.unmetNeeds.length > 0);
      if (firstUnmet >= 0) expect(list.slice(firstUnmet).every((m) => m.scored.unmetNeeds.length > 0)).toBe(true);
      for (const m of list) {
        // unmetNeeds are exactly the essential needs with no skill in their area, and each is named.
        const expected = w.needs.filter((n) => n.essential && !w.households[Number(m.id)].skills.some((s) => s.area === n.area));
        expect(m.scored.unmetNeeds).toEqual(expected);
        for (const n of expected) expect(m.scored.reasons).toContain(`No recorded skill for ${n.detail ? `${n.area}: ${n.detail}` : n.area}`);
      }
    }),
    { numRuns: 500 },
  );
});

test('each need adds one reason: met, it adds to the score; unmet and essential, it takes unmetEssentialNeed; otherwise nothing', () => {
  fc.assert(
    fc.property(worldArb, needArb, (w, extra) => {
      for (const h of w.households) {
        const base = scoreMatch(features({ ...w, needs: [] }, h));
        const withNeed = scoreMatch(features({ ...w, needs: [extra] }, h));
        const met = h.skills.some((s) => s.area === extra.area);
        expect(withNeed.reasons).toHaveLength(base.reasons.length + 1);
        if (met) expect(withNeed.score).toBeGreaterThan(base.score);
        else expect(withNeed.score).toBe(extra.essential ? base.score + MATCH_WEIGHTS.unmetEssentialNeed : base.score);
      }
    }),
    { numRuns: 200 },
  );
});
