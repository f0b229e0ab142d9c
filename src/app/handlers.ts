// Every cascade handler (onCascade, src/platform/cascades.ts) and scheduled reminder
// (registerReminderProvider, src/notifications/scheduler.ts), listed explicitly. Each file
// registers its handlers when it loads, so importing it here is what turns it on: both the
// service (src/app/boot.ts) and the stand-alone worker (src/app/worker.ts) import this list.
// Each capability adds its own `<module>.cascades.ts` and `<module>.reminders.ts` here.
import '../sleepovers/sleepover.cascades';
import '../venue/venue.cascades';
import '../sessions/session.cascades';
import '../sleepovers/sleepover.reminders';
import '../sleepovers/requests-digest.reminders';
import '../sessions/session.reminders';
import '../venue/venue.reminders';
