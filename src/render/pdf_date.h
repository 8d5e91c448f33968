/* pdf_date.h - the one rule for a document's date, for every writer.
 *
 * Same input, same bytes: a PDF's creation and modification dates never come from the
 * clock. They are the career's `updated` date (doc->meta.date, set by the layout),
 * else SOURCE_DATE_EPOCH (the reproducible-builds convention: seconds since 1970, UTC),
 * else 1970-01-01T00:00:00Z. A SOURCE_DATE_EPOCH that is not such a number is refused
 * when the program starts (pdf_date_check_env), never read as 0 or as a negative year,
 * so every writer and the merge agree. */
#ifndef CP_PDF_DATE_H
#define CP_PDF_DATE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    int year, month, day, hour, minute, second;
    char zone;                   /* 'Z', '+' or '-' */
    int zone_hour, zone_minute;
} cp_pdf_date;

/* ISO 8601 "YYYY-MM-DD" or "YYYY-MM-DDThh:mm[:ss][Z|+hh:mm|-hh:mm]", a real calendar
 * day, years 1 to 9999. False for anything else. */
bool pdf_date_parse(const char *s, cp_pdf_date *d);

/* SOURCE_DATE_EPOCH when set: false with a sentence in *why (static text) when it is
 * not a whole number of seconds from 0 to the end of year 9999. */
bool pdf_date_check_env(const char **why);

/* The document's date by the rule above (`date` is doc->meta.date, may be NULL). */
void pdf_date_of(const char *date, cp_pdf_date *out);

/* "YYYY-MM-DDThh:mm:ssZ" (or with its +hh:mm offset), the form cairo takes. */
void pdf_date_iso(const cp_pdf_date *d, char *buf, size_t len);

/* The document's date by the rule above as ISO 8601 text for cairo: the data's own
 * text when it is valid (as written), else pdf_date_iso of the fallback. */
void pdf_date_text(const char *date, char *buf, size_t len);

#endif
