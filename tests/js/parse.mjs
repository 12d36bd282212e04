// Parse an .ics file with ical.js (Thunderbird's parser) and print what it understood as JSON.
// Usage: node parse.mjs FILE.ics   (exit 1 with the parser's message on stderr if it fails)
// Times are resolved through the VTIMEZONE blocks in the file itself: ical.js ships no zone data,
// so "utc" is only right when our VTIMEZONE is.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function timeJson(time) {
  if (!time) return null;
  if (time.isDate) return { date: time.toString() };
  const utc = time.convertToZone(ICAL.Timezone.utcTimezone);
  return { local: time.toString(), tzid: time.zone ? time.zone.tzid : null, utc: utc.toString() };
}

function text(component, name) {
  const value = component.getFirstPropertyValue(name);
  return value === null ? null : String(value);
}

const file = process.argv[2];
if (!file) {
  console.error("usage: node parse.mjs FILE.ics");
  process.exit(2);
}
try {
  const root = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  const events = root.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      location: event.location,
      url: text(vevent, "url"),
      categories: vevent.getAllProperties("categories").flatMap((p) => p.getValues().map(String)),
      status: text(vevent, "status"),
      transp: text(vevent, "transp"),
      sequence: event.sequence,
      dtstamp: text(vevent, "dtstamp"),
      last_modified: text(vevent, "last-modified"),
      start: timeJson(event.startDate),
      end: timeJson(event.endDate),
      alarms: vevent.getAllSubcomponents("valarm").length,
      alarm_triggers: vevent.getAllSubcomponents("valarm").map((alarm) =>
        String(alarm.getFirstPropertyValue("trigger"))),
      attendees: vevent.getAllProperties("attendee").length,
    };
  });
  const calendar = {};
  for (const name of ["version", "prodid", "method", "name", "x-wr-calname", "x-wr-caldesc",
    "x-wr-timezone", "refresh-interval", "x-published-ttl"]) {
    calendar[name] = text(root, name);
  }
  calendar.timezones = root.getAllSubcomponents("vtimezone").map((tz) => text(tz, "tzid"));
  console.log(JSON.stringify({ calendar, events }));
} catch (error) {
  console.error(`ical.js: ${error && error.message ? error.message : error}`);
  process.exit(1);
}
