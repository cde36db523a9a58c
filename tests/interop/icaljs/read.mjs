// Read an iCalendar feed (or, with --jcal, its RFC 7265 jCal form) on stdin
// with ical.js and print, as JSON on stdout, what ical.js sees for every
// event occurrence.
//
// Usage: node read.mjs [--jcal] WINDOW_START_UNIX WINDOW_END_UNIX MAX_OCCURRENCES
//
// Times are resolved only through the VTIMEZONE components of the feed
// itself: they are registered with ICAL.TimezoneService (after a reset, so
// nothing else is known) and each TZID-local time must end up in exactly
// that zone.  Anything ical.js would otherwise silently treat as floating
// time is reported as an error (exit status 1, message on stderr).

import ICAL from "ical.js";

function fail(message) {
  process.stderr.write(`read.mjs: ${message}\n`);
  process.exit(1);
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseArgs(argv) {
  const args = argv.slice(2);
  let jcal = false;
  if (args[0] === "--jcal") {
    jcal = true;
    args.shift();
  }
  if (args.length !== 3) {
    fail("expected [--jcal] WINDOW_START_UNIX WINDOW_END_UNIX MAX_OCCURRENCES");
  }
  const [start, end, max] = args.map((value) => Number.parseInt(value, 10));
  if (![start, end, max].every(Number.isFinite)) {
    fail(`bad numeric arguments: ${args.join(" ")}`);
  }
  return { jcal, windowStart: start, windowEnd: end, maxOccurrences: max };
}

// Check that a DTSTART/DTEND value was resolved the way its property asks:
// UTC for a trailing Z, the feed's own VTIMEZONE for a TZID parameter.
function checkZone(time, prop, uid) {
  const name = prop.name.toUpperCase();
  if (time.isDate) {
    fail(`event ${uid}: ${name} is a DATE; only DATE-TIME events are supported`);
  }
  const tzid = prop.getParameter("tzid");
  if (tzid) {
    const registered = ICAL.TimezoneService.get(tzid);
    if (!registered || !time.zone || time.zone.tzid !== tzid) {
      const got = time.zone ? time.zone.tzid : "none";
      fail(`event ${uid}: ${name} TZID=${tzid} not resolved through the feed (zone: ${got})`);
    }
  } else if (time.zone !== ICAL.Timezone.utcTimezone) {
    fail(`event ${uid}: ${name} is floating time; only UTC or TZID times are supported`);
  }
}

function utcFields(time) {
  const utc = time.convertToZone(ICAL.Timezone.utcTimezone);
  return {
    unix: time.toUnixTime(),
    // ISO form from the zone conversion, cross-checked against unix on the Python side.
    iso: utc.toString(),
  };
}

function textList(component, name) {
  const values = [];
  for (const prop of component.getAllProperties(name)) {
    for (const value of prop.getValues()) {
      values.push(String(value));
    }
  }
  return values;
}

function record(event, item, start, end, startProp, endProp) {
  checkZone(start, startProp, event.uid);
  if (endProp) {
    checkZone(end, endProp, event.uid);
  }
  const component = item.component;
  const status = component.getFirstPropertyValue("status");
  return {
    uid: item.uid,
    start: utcFields(start),
    end: utcFields(end),
    summary: item.summary ?? "",
    description: item.description ?? "",
    categories: textList(component, "categories"),
    status: status === null || status === undefined ? null : String(status),
  };
}

function main(text, options) {
  let jcal;
  try {
    jcal = options.jcal ? JSON.parse(text) : ICAL.parse(text);
  } catch (error) {
    fail(`parse error: ${error.message}`);
  }
  // ICAL.parse returns a list when the input holds several components.
  if (Array.isArray(jcal) && Array.isArray(jcal[0])) {
    if (jcal.length !== 1) {
      fail(`expected exactly one VCALENDAR, got ${jcal.length} components`);
    }
    jcal = jcal[0];
  }
  const calendar = new ICAL.Component(jcal);
  if (calendar.name !== "vcalendar") {
    fail(`top-level component is ${calendar.name}, not vcalendar`);
  }

  ICAL.TimezoneService.reset();
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
  }

  // Masters and their RECURRENCE-ID overrides, grouped by UID.
  const masters = new Map();
  const overrides = [];
  for (const vevent of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(vevent);
    if (event.isRecurrenceException()) {
      overrides.push(event);
    } else {
      if (masters.has(event.uid)) {
        fail(`two VEVENTs without RECURRENCE-ID share UID ${event.uid}`);
      }
      masters.set(event.uid, event);
    }
  }
  for (const override of overrides) {
    const master = masters.get(override.uid);
    if (!master) {
      fail(`RECURRENCE-ID override for unknown UID ${override.uid}`);
    }
    master.relateException(override);
  }

  const seen = [];
  for (const event of masters.values()) {
    const startProp = event.component.getFirstProperty("dtstart");
    if (!startProp) {
      fail(`event ${event.uid} has no DTSTART`);
    }
    if (!event.isRecurring()) {
      const endProp = event.component.getFirstProperty("dtend");
      seen.push(record(event, event, event.startDate, event.endDate, startProp, endProp));
      continue;
    }
    const iterator = event.iterator();
    let count = 0;
    for (let next = iterator.next(); next; next = iterator.next()) {
      if (next.toUnixTime() >= options.windowEnd) {
        break;
      }
      count += 1;
      if (count > options.maxOccurrences) {
        fail(`event ${event.uid} has more than ${options.maxOccurrences} occurrences`);
      }
      const details = event.getOccurrenceDetails(next);
      const item = details.item;
      const itemStartProp = item.component.getFirstProperty("dtstart");
      const itemEndProp = item.component.getFirstProperty("dtend");
      if (details.endDate.toUnixTime() <= options.windowStart) {
        continue;
      }
      seen.push(
        record(event, item, details.startDate, details.endDate, itemStartProp, itemEndProp),
      );
    }
  }
  process.stdout.write(JSON.stringify(seen));
  process.stdout.write("\n");
}

const options = parseArgs(process.argv);
main(await readStdin(), options);
