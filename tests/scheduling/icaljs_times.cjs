// Reads an iCalendar stream on stdin with ical.js (the parser in Thunderbird) and prints, as
// JSON, each VEVENT's UID with the UTC instant (seconds since the epoch) its DTSTART means,
// using only the VTIMEZONEs in the stream. Run by tests/scheduling/test_vtimezone.py.
const path = require("path");
const ICAL = require(path.join(__dirname, "..", "e2e", "node_modules", "ical.js", "dist", "ical.es5.cjs"));

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const calendar = new ICAL.Component(ICAL.parse(input));
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtimezone);
  }
  const out = {};
  for (const vevent of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(vevent);
    out[event.uid] = event.startDate.toUnixTime();
  }
  process.stdout.write(JSON.stringify(out));
});
