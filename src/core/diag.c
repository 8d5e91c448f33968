#include "diag.h"

#include <stdarg.h>
#include <string.h>

static FILE *stream;
static int quiet;
static int errors;
static char last[1024];

void diag_set_stream(FILE *f) { stream = f; }
void diag_set_quiet(int q) { quiet = q; }
int diag_error_count(void) { return errors; }
const char *diag_last_message(void) { return last; }

void diag_reset(void)
{
    errors = 0;
    last[0] = '\0';
}

static void emit(const char *severity, const cp_loc *loc, const char *path,
                 const char *fmt, va_list ap)
{
    char where[512] = "";
    if (loc && loc->file && loc->line > 0)
        snprintf(where, sizeof where, "%s:%d:%d: ", loc->file, loc->line, loc->col);
    else if (loc && loc->file)
        snprintf(where, sizeof where, "%s: ", loc->file);

    char what[768];
    vsnprintf(what, sizeof what, fmt, ap);
    snprintf(last, sizeof last, "%s%s: %s%s%s", where, severity, path ? path : "",
             path && *path ? ": " : "", what);
    if (!quiet)
        fprintf(stream ? stream : stderr, "careerpdf: %s\n", last);
}

void diag_error(const cp_loc *loc, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    errors++;
    emit("error", loc, path, fmt, ap);
    va_end(ap);
}

void diag_warning(const cp_loc *loc, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit("warning", loc, path, fmt, ap);
    va_end(ap);
}
