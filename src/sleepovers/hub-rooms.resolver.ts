import DataLoader from 'dataloader';
import { Arg, Ctx as GqlCtx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Constellation } from '../constellations/constellation.entity';
import { ConstellationPayload } from '../constellations/constellation.types';
import { defineLoader, type Ctx } from '../platform/context';
import { sql } from '../platform/db/sql';
import { runMutation } from '../platform/mutation';
import { roomsFrom } from './hub-facts';
import { seesRoomNights } from './hub-rooms.policy';
import { setHubRooms } from './hub-rooms.service';
import { HubRoom, RoomNight, SetHubRoomsInput } from './hub-rooms.types';
import { BedNight } from './sleepover.types';

/** Each constellation's rooms and bed count, one statement for every constellation asked. */
const roomsOfConstellation = defineLoader(
  'roomsOfConstellation',
  (ctx) =>
    new DataLoader<string, HubRoom[]>(async (ids) => {
      const rows = await sql(
        ctx.em,
        `select k.id, k.sleepover_beds,
              (select coalesce(json_agg(json_build_object('name', r.name, 'beds', r.beds) order by r.position), '[]') from hub_room r where r.constellation_id = k.id) as rooms
         from constellation k where k.id = any($1::uuid[])`,
        [ids],
      );
      const m = new Map(rows.map((r) => [r.id as string, roomsFrom(r.rooms, r.sleepover_beds)]));
      return ids.map((id) => (m.get(id) ?? []).map((r) => Object.assign(new HubRoom(), r)));
    }),
);

@Resolver(() => Constellation)
export class ConstellationRoomsResolver {
  @FieldResolver(() => [HubRoom], { description: "The hub's bedrooms; beds are numbered in room order (one room holding every bed until set)." })
  rooms(@Root() k: Constellation, @GqlCtx() ctx: Ctx) {
    return roomsOfConstellation(ctx).load(k.id);
  }

  @Mutation(() => ConstellationPayload)
  setHubRooms(@Arg('input', () => SetHubRoomsInput) input: SetHubRoomsInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Constellation.setHubRooms', input, (tx) => setHubRooms(tx, input));
  }
}

@Resolver(() => BedNight)
export class BedNightRoomsResolver {
  @FieldResolver(() => [RoomNight], { nullable: true, description: "The hub's rooms that night; null for satellite carers." })
  async rooms(@Root() n: BedNight, @GqlCtx() ctx: Ctx) {
    if (!seesRoomNights(ctx.viewer, n.constellationId)) return null;
    const rooms = await roomsOfConstellation(ctx).load(n.constellationId);
    const taken = new Set(n.takenBeds ?? []);
    return rooms.map((r) => Object.assign(new RoomNight(), { name: r.name, beds: r.beds, freeBeds: n.blocked ? [] : r.beds.filter((b) => !taken.has(b)) }));
  }
}
