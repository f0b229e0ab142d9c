import { calendarRoute } from './calendar/calendar.route';
import type { RouteHandler } from './platform/http/server';

// Plain-HTTP routes beside /graphql (calendar feeds, exports). Each capability adds its own here.
export const routes: RouteHandler[] = [calendarRoute];
