// Print every VEVENT of an .ics file as ical.js (the parser inside Thunderbird) reads it:
// one JSON line {"uid", "summary", "start"} with "start" the UTC instant in ISO form.
// Each VTIMEZONE of the file is registered with ICAL.TimezoneService first, so a
// DTSTART;TZID=... is resolved through the file's own time zone definition (ical.js
// ships no zone database). Usage: node instants.mjs FILE.ics
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const text = readFileSync(process.argv[2], "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
}
for (const vevent of calendar.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(vevent);
  const start = event.startDate;
  if (start.isDate) continue; // all-day reminders: no instant
  const zone = start.zone ? start.zone.tzid : "floating";
  if (zone !== "UTC" && !ICAL.TimezoneService.has(zone)) {
    throw new Error(`${event.uid}: time zone ${zone} is not defined in the file`);
  }
  const utc = new Date(start.toUnixTime() * 1000).toISOString();
  console.log(JSON.stringify({ uid: event.uid, summary: event.summary, start: utc, zone }));
}
