/* pdf_date.c - parsing and the fallback chain of pdf_date.h. */
#include "pdf_date.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

/* Exactly `n` digits at *s, advanced past them. */
static bool digits(const char **s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if ((*s)[i] < '0' || (*s)[i] > '9')
            return false;
        v = v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    *out = v;
    return true;
}

static bool sep(const char **s, char c)
{
    if (**s != c)
        return false;
    (*s)++;
    return true;
}

bool pdf_date_parse(const char *s, cp_pdf_date *d)
{
    memset(d, 0, sizeof *d);
    d->zone = 'Z';
    if (!s || !digits(&s, 4, &d->year) || !sep(&s, '-') || !digits(&s, 2, &d->month) ||
        !sep(&s, '-') || !digits(&s, 2, &d->day))
        return false;
    if (*s == 'T') {
        s++;
        if (!digits(&s, 2, &d->hour) || !sep(&s, ':') || !digits(&s, 2, &d->minute))
            return false;
        if (*s == ':' && (s++, !digits(&s, 2, &d->second)))
            return false;
        if (*s == '+' || *s == '-') {
            d->zone = *s++;
            if (!digits(&s, 2, &d->zone_hour) || !sep(&s, ':') ||
                !digits(&s, 2, &d->zone_minute))
                return false;
        } else if (*s == 'Z') {
            s++;
        }
    }
    return *s == '\0' && d->year >= 1 && d->month >= 1 && d->month <= 12 &&
           d->day >= 1 && d->day <= 31 &&
           g_date_valid_dmy((GDateDay)d->day, (GDateMonth)d->month, (GDateYear)d->year) &&
           d->hour < 24 && d->minute < 60 && d->second < 60 && d->zone_hour < 24 &&
           d->zone_minute < 60;
}

/* 9999-12-31T23:59:59Z: the last second a four-digit year can write. */
#define LAST_SECOND 253402300799LL

static bool env_epoch(long long *out, const char **why)
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    *out = 0;
    if (why)
        *why = NULL;
    if (!env || !*env)   /* set but empty: unset, as build systems export it */
        return true;
    char *end;
    errno = 0;
    long long v = strtoll(env, &end, 10);
    if (!*env || *end || errno || v < 0 || v > LAST_SECOND || env[0] == '+' ||
        env[0] == ' ') {
        if (why)
            *why = "SOURCE_DATE_EPOCH: expected a whole number of seconds since "
                   "1970-01-01 UTC, from 0 to 253402300799 (or unset it)";
        return false;
    }
    *out = v;
    return true;
}

bool pdf_date_check_env(const char **why)
{
    long long v;
    return env_epoch(&v, why);
}

void pdf_date_of(const char *date, cp_pdf_date *out)
{
    if (pdf_date_parse(date, out))
        return;
    long long v;
    if (!env_epoch(&v, NULL))
        v = 0;   /* refused at start (pdf_date_check_env); never guessed here */
    time_t t = (time_t)v;
    struct tm tm;
    memset(out, 0, sizeof *out);
    out->zone = 'Z';
    out->year = 1970;
    out->month = out->day = 1;
    if (gmtime_r(&t, &tm)) {
        out->year = tm.tm_year + 1900;
        out->month = tm.tm_mon + 1;
        out->day = tm.tm_mday;
        out->hour = tm.tm_hour;
        out->minute = tm.tm_min;
        out->second = tm.tm_sec > 59 ? 59 : tm.tm_sec;
    }
}

void pdf_date_iso(const cp_pdf_date *d, char *buf, size_t len)
{
    if (d->zone == 'Z')
        snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02dZ", d->year, d->month, d->day,
                 d->hour, d->minute, d->second);
    else
        snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", d->year, d->month,
                 d->day, d->hour, d->minute, d->second, d->zone, d->zone_hour,
                 d->zone_minute);
}

void pdf_date_text(const char *date, char *buf, size_t len)
{
    cp_pdf_date d;
    if (pdf_date_parse(date, &d)) {
        snprintf(buf, len, "%s", date);
        return;
    }
    pdf_date_of(NULL, &d);
    pdf_date_iso(&d, buf, len);
}
