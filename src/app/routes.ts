import { calendarRoute } from '../calendar/calendar.route';
import { placementsExportRoute } from '../placements/history-export';
import { constellationReturnsExportRoute, supportLogExportRoute } from '../returns/returns-export';
import type { RouteHandler } from '../platform/http/server';
import { ideRoute } from '../platform/http/ide';

// Plain-HTTP routes beside /graphql (calendar feeds, exports). Each capability adds its own here.
export const routes: RouteHandler[] = [calendarRoute, placementsExportRoute, constellationReturnsExportRoute, supportLogExportRoute, ideRoute];
