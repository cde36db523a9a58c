/*
 * libical_check.c - read an iCalendar file with libical 3.0 (Debian's libical3) and
 * report, as JSON lines on stdout, what libical makes of it.  Part of the interop suite
 * of oewg_cal (tests/interop/parsers.py, read_with_libical); built by the suite with
 *
 *     gcc -std=c99 -Wall -Wextra -Werror -O2 -o libical_check libical_check.c \
 *         $(pkg-config --cflags --libs libical)
 *
 * usage: libical_check FILE.ics
 *
 * Lines, each a JSON object with a "type":
 *   "error"       an X-LIC-ERROR libical put into the tree, with its "phase":
 *                 "parse"          from the parser (unknown property, bad value, ...);
 *                 "restriction"    from icalrestriction_check() on each VCALENDAR;
 *                 "restriction-each" from icalrestriction_check() on each component
 *                                  alone, in a copy of its VCALENDAR: libical 3.0 stops
 *                                  at the first component that fails, so a whole-calendar
 *                                  check reports only that one;
 *                 "publish-lint"   each component alone under METHOD:PUBLISH with a
 *                                  stand-in ORGANIZER: the RFC 5546 PUBLISH table
 *                                  (UID, DTSTAMP, SUMMARY, STATUS values, no ATTENDEE)
 *                                  without its ORGANIZER rule, whatever METHOD the
 *                                  file has; without METHOD libical's own table is
 *                                  much looser.
 *                 libical 3.0.16 repeats some restriction messages (its "funcr" is
 *                 never reset): readers should de-duplicate.
 *   "event"       one per VEVENT: UID, RECURRENCE-ID (and its UTC), STATUS, SUMMARY,
 *                 DESCRIPTION, CATEGORIES, whether it recurs, and DTSTART/DTEND as
 *                 libical resolves them ("*_zone_source": vtimezone, builtin, utc, date,
 *                 floating, unresolved, none) converted to UTC by libical
 *                 (icaltime_convert_to_zone), null when it has no UTC time.
 *   "occurrence"  for a recurring master (RRULE/RDATE): each instance from 1970 to 2100
 *                 by icalcomponent_foreach_recurrence (EXDATE applied; RECURRENCE-ID
 *                 overrides are "event" lines of their own), at most MAX_OCCURRENCES;
 *                 then one "occurrences" line with the count.
 *   "summary"     last: the libical version, counts, METHOD.
 * Exit status: 0 nothing flagged, 1 some error line, 2 usage, I/O or nothing parsed.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libical/ical.h>

#define MAX_OCCURRENCES 10000

static void json_string(const char *s)
{
    if (s == NULL) {
        fputs("null", stdout);
        return;
    }
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", stdout); break;
        case '\\': fputs("\\\\", stdout); break;
        case '\n': fputs("\\n", stdout); break;
        case '\r': fputs("\\r", stdout); break;
        case '\t': fputs("\\t", stdout); break;
        default:
            if (*p < 0x20)
                printf("\\u%04x", *p);
            else
                putchar(*p); /* UTF-8 passes through */
        }
    }
    putchar('"');
}

static void json_key(const char *key) { printf(",\"%s\":", key); }

static void json_time(const char *key, struct icaltimetype t)
{
    json_key(key);
    if (icaltime_is_null_time(t))
        fputs("null", stdout);
    else if (t.is_date)
        printf("\"%04d-%02d-%02d\"", t.year, t.month, t.day);
    else
        printf("\"%04d-%02d-%02dT%02d:%02d:%02d%s\"", t.year, t.month, t.day, t.hour,
               t.minute, t.second, icaltime_is_utc(t) ? "Z" : "");
}

static char *read_file(const char *path)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        return NULL;
    size_t size = 0, capacity = 1 << 16, got;
    char *data = malloc(capacity + 1);
    while (data != NULL && (got = fread(data + size, 1, capacity - size, file)) > 0) {
        size += got;
        if (size == capacity) {
            char *bigger = realloc(data, 2 * capacity + 1);
            if (bigger == NULL) {
                free(data);
                data = NULL;
                break;
            }
            data = bigger;
            capacity *= 2;
        }
    }
    fclose(file);
    if (data != NULL)
        data[size] = '\0';
    return data;
}

/* Print every X-LIC-ERROR in comp and below; return how many. */
static int report_errors(icalcomponent *comp, const char *phase, const char *uid)
{
    int count = 0;
    icalproperty *uid_prop = icalcomponent_get_first_property(comp, ICAL_UID_PROPERTY);
    if (uid_prop != NULL)
        uid = icalproperty_get_uid(uid_prop);
    for (icalproperty *p = icalcomponent_get_first_property(comp, ICAL_XLICERROR_PROPERTY);
         p != NULL; p = icalcomponent_get_next_property(comp, ICAL_XLICERROR_PROPERTY)) {
        icalparameter *kind = icalproperty_get_first_parameter(p, ICAL_XLICERRORTYPE_PARAMETER);
        fputs("{\"type\":\"error\"", stdout);
        json_key("phase");
        json_string(phase);
        json_key("component");
        json_string(icalcomponent_kind_to_string(icalcomponent_isa(comp)));
        json_key("uid");
        json_string(uid);
        json_key("errortype");
        json_string(kind ? icalparameter_enum_to_string(icalparameter_get_xlicerrortype(kind))
                         : NULL);
        json_key("message");
        json_string(icalproperty_get_xlicerror(p));
        fputs("}\n", stdout);
        count++;
    }
    for (icalcomponent *c = icalcomponent_get_first_component(comp, ICAL_ANY_COMPONENT);
         c != NULL; c = icalcomponent_get_next_component(comp, ICAL_ANY_COMPONENT))
        count += report_errors(c, phase, uid);
    return count;
}

/* Check each component of vcal alone, in a VCALENDAR with vcal's VERSION and PRODID and
 * either vcal's METHOD ("restriction-each") or METHOD:PUBLISH and a stand-in ORGANIZER
 * ("publish-lint"). */
static int check_each(icalcomponent *vcal, int publish)
{
    int count = 0;
    for (icalcomponent *c = icalcomponent_get_first_component(vcal, ICAL_ANY_COMPONENT);
         c != NULL; c = icalcomponent_get_next_component(vcal, ICAL_ANY_COMPONENT)) {
        if (!publish && icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY))
            continue; /* already reported by the whole-calendar check */
        icalcomponent *alone = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
        icalproperty_kind copied[] = {ICAL_VERSION_PROPERTY, ICAL_PRODID_PROPERTY,
                                      ICAL_METHOD_PROPERTY};
        for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++) {
            icalproperty *p = icalcomponent_get_first_property(vcal, copied[i]);
            if (p != NULL && !(publish && copied[i] == ICAL_METHOD_PROPERTY))
                icalcomponent_add_property(alone, icalproperty_new_clone(p));
        }
        icalcomponent *copy = icalcomponent_new_clone(c);
        icalcomponent_strip_errors(copy);
        if (publish) {
            icalcomponent_add_property(alone, icalproperty_new_method(ICAL_METHOD_PUBLISH));
            if (icalcomponent_isa(copy) == ICAL_VEVENT_COMPONENT &&
                icalcomponent_get_first_property(copy, ICAL_ORGANIZER_PROPERTY) == NULL)
                icalcomponent_add_property(copy, icalproperty_new_organizer("mailto:x@invalid"));
        }
        icalcomponent_add_component(alone, copy);
        (void)icalrestriction_check(alone);
        count += report_errors(copy, publish ? "publish-lint" : "restriction-each", NULL);
        icalcomponent_free(alone);
    }
    return count;
}

/* DTSTART or DTEND: its TZID, how libical resolved the zone, and libical's UTC. */
static void report_time(icalcomponent *vcal, icalcomponent *event, const char *name,
                        icalproperty_kind kind, struct icaltimetype t)
{
    icalproperty *p = icalcomponent_get_first_property(event, kind);
    icalparameter *tzid_param = p ? icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER)
                                  : NULL;
    const char *tzid = tzid_param ? icalparameter_get_tzid(tzid_param) : NULL;
    const char *zone = (t.zone != NULL && !icaltime_is_utc(t))
                           ? icaltimezone_get_tzid((icaltimezone *)t.zone)
                           : NULL;
    const char *source;
    if (icaltime_is_null_time(t))
        source = "none";
    else if (t.is_date)
        source = "date";
    else if (icaltime_is_utc(t))
        source = "utc";
    else if (zone != NULL && icalcomponent_get_timezone(vcal, zone) == t.zone)
        source = "vtimezone";
    else if (t.zone != NULL)
        source = "builtin";
    else if (tzid != NULL)
        source = "unresolved"; /* a TZID libical could not find: read as floating */
    else
        source = "floating";
    char key[32];
    snprintf(key, sizeof key, "%s_tzid", name);
    json_key(key);
    json_string(tzid);
    snprintf(key, sizeof key, "%s_zone_source", name);
    json_key(key);
    json_string(source);
    snprintf(key, sizeof key, "%s_local", name);
    json_time(key, t);
    snprintf(key, sizeof key, "%s_utc", name);
    if (t.zone != NULL && !t.is_date)
        json_time(key, icaltime_convert_to_zone(t, icaltimezone_get_utc_timezone()));
    else
        json_time(key, icaltime_null_time());
}

struct occurrences {
    const char *uid;
    int count;
};

static void print_utc(const char *key, time_t when)
{
    json_time(key, icaltime_from_timet_with_zone(when, 0, icaltimezone_get_utc_timezone()));
}

static void on_occurrence(icalcomponent *comp, struct icaltime_span *span, void *data)
{
    struct occurrences *seen = data;
    (void)comp;
    if (++seen->count > MAX_OCCURRENCES)
        return;
    fputs("{\"type\":\"occurrence\"", stdout);
    json_key("uid");
    json_string(seen->uid);
    print_utc("start_utc", span->start);
    print_utc("end_utc", span->end);
    fputs("}\n", stdout);
}

static int recurs(icalcomponent *event)
{
    return icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY) != NULL ||
           icalcomponent_get_first_property(event, ICAL_RDATE_PROPERTY) != NULL;
}

static int report_events(icalcomponent *vcal)
{
    int count = 0;
    icaltimezone *utc = icaltimezone_get_utc_timezone();
    for (icalcomponent *event = icalcomponent_get_first_component(vcal, ICAL_VEVENT_COMPONENT);
         event != NULL; event = icalcomponent_get_next_component(vcal, ICAL_VEVENT_COMPONENT)) {
        icalproperty *rid = icalcomponent_get_first_property(event, ICAL_RECURRENCEID_PROPERTY);
        icalproperty *status = icalcomponent_get_first_property(event, ICAL_STATUS_PROPERTY);
        fputs("{\"type\":\"event\"", stdout);
        json_key("uid");
        json_string(icalcomponent_get_uid(event));
        json_key("recurrence_id");
        json_string(rid ? icalproperty_get_value_as_string(rid) : NULL);
        if (rid != NULL) {
            /* icalcomponent_get_recurrenceid ignores the TZID parameter in 3.0 */
            struct icaltimetype r = icalcomponent_get_recurrenceid(event);
            icalparameter *tz = icalproperty_get_first_parameter(rid, ICAL_TZID_PARAMETER);
            if (tz != NULL && r.zone == NULL) {
                const char *name = icalparameter_get_tzid(tz);
                icaltimezone *zone = icalcomponent_get_timezone(vcal, name);
                if (zone == NULL)
                    zone = icaltimezone_get_builtin_timezone(name);
                if (zone != NULL)
                    r = icaltime_set_timezone(&r, zone);
            }
            json_time("recurrence_id_utc", (r.zone != NULL && !r.is_date)
                                               ? icaltime_convert_to_zone(r, utc)
                                               : icaltime_null_time());
        }
        json_key("status");
        json_string(status ? icalproperty_get_value_as_string(status) : NULL);
        json_key("summary");
        json_string(icalcomponent_get_summary(event));
        json_key("description");
        json_string(icalcomponent_get_description(event));
        fputs(",\"categories\":[", stdout);
        int n = 0; /* libical 3.0 gives one CATEGORIES property per value */
        for (icalproperty *c = icalcomponent_get_first_property(event, ICAL_CATEGORIES_PROPERTY);
             c != NULL; c = icalcomponent_get_next_property(event, ICAL_CATEGORIES_PROPERTY)) {
            if (n++)
                putchar(',');
            json_string(icalproperty_get_categories(c));
        }
        printf("],\"recurring\":%s", recurs(event) ? "true" : "false");
        report_time(vcal, event, "start", ICAL_DTSTART_PROPERTY, icalcomponent_get_dtstart(event));
        report_time(vcal, event, "end", ICAL_DTEND_PROPERTY, icalcomponent_get_dtend(event));
        fputs("}\n", stdout);
        if (rid == NULL && recurs(event)) {
            struct occurrences seen = {icalcomponent_get_uid(event), 0};
            icalcomponent_foreach_recurrence(event, icaltime_from_timet_with_zone(0, 0, utc),
                                             icaltime_from_string("21000101T000000Z"),
                                             on_occurrence, &seen);
            fputs("{\"type\":\"occurrences\"", stdout);
            json_key("uid");
            json_string(seen.uid);
            printf(",\"count\":%d,\"truncated\":%s}\n", seen.count,
                   seen.count > MAX_OCCURRENCES ? "true" : "false");
        }
        count++;
    }
    return count;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE.ics\n", argv[0]);
        return 2;
    }
    icalerror_set_errors_are_fatal(0);
    char *text = read_file(argv[1]);
    if (text == NULL) {
        perror(argv[1]);
        return 2;
    }
    icalcomponent *root = icalparser_parse_string(text);
    free(text);
    printf("{\"type\":\"libical\",\"version\":\"%d.%d.%d\"}\n", ICAL_MAJOR_VERSION,
           ICAL_MINOR_VERSION, ICAL_PATCH_VERSION);
    if (root == NULL) {
        fputs("{\"type\":\"summary\",\"fatal\":\"nothing parsed\"}\n", stdout);
        return 2;
    }
    /* several top-level components come back under an XROOT */
    icalcomponent *calendars[64];
    int ncal = 0;
    if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT)
        calendars[ncal++] = root;
    else
        for (icalcomponent *c = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT);
             c != NULL && ncal < 64;
             c = icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT))
            calendars[ncal++] = c;

    int errors = report_errors(root, "parse", NULL), events = 0;
    icalcomponent_strip_errors(root); /* what follows sees only restriction errors */
    char *method = NULL;              /* copied: libical recycles its string buffers */
    for (int i = 0; i < ncal; i++) {
        icalproperty *m = icalcomponent_get_first_property(calendars[i], ICAL_METHOD_PROPERTY);
        if (m != NULL && method == NULL)
            method = strdup(icalproperty_get_value_as_string(m));
        (void)icalrestriction_check(calendars[i]);
        errors += report_errors(calendars[i], "restriction", NULL);
        errors += check_each(calendars[i], 0);
        errors += check_each(calendars[i], 1);
        events += report_events(calendars[i]);
    }
    fputs("{\"type\":\"summary\"", stdout);
    printf(",\"vcalendars\":%d,\"events\":%d,\"errors\":%d", ncal, events, errors);
    json_key("method");
    json_string(method);
    fputs("}\n", stdout);
    free(method);
    icalcomponent_free(root);
    return (errors > 0 || ncal == 0) ? 1 : 0;
}
