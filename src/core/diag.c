/* diag.c - diagnostics as values and their printer (diag.h). */
#include "diag.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

static FILE *stream;
static int quiet;
static int errors;
static cp_diag_format format = DIAG_TEXT;
static cp_diag_list *collector;
static char last[1024];

/* The last diagnostic's value, kept in fixed buffers (its strings point into them). */
typedef struct {
    cp_diag d;
    char file[512], path[256], code[64], message[768], hint[256];
} last_diag;
static last_diag last_value;

void diag_set_stream(FILE *f) { stream = f; }
void diag_set_quiet(int q) { quiet = q; }
void diag_set_format(cp_diag_format f) { format = f; }
int diag_error_count(void) { return errors; }
const char *diag_last_message(void) { return last; }
const cp_diag *diag_last(void) { return last_value.d.message ? &last_value.d : NULL; }

void diag_reset(void)
{
    errors = 0;
    last[0] = '\0';
    last_value.d.message = NULL;
}

const char *diag_path(const char *path)
{
    static char cwd[PATH_MAX];
    static size_t n;
    while (path && path[0] == '.' && path[1] == '/' && path[2])   /* "./content" */
        path += 2;
    if (!n && getcwd(cwd, sizeof cwd))
        n = strlen(cwd);
    if (!path || path[0] != '/' || n <= 1 || strncmp(path, cwd, n) || path[n] != '/')
        return path;
    const char *rel = path + n + 1;
    while (*rel == '/')
        rel++;
    return *rel ? rel : path;
}

/* ---- the lists ------------------------------------------------------------------ */

struct cp_diag_list {
    cp_diag *items;
    size_t len, cap, errors;
};

cp_diag_list *diag_list_new(void) { return xcalloc(1, sizeof(cp_diag_list)); }
size_t diag_list_len(const cp_diag_list *l) { return l ? l->len : 0; }
size_t diag_list_errors(const cp_diag_list *l) { return l ? l->errors : 0; }
const cp_diag *diag_list_get(const cp_diag_list *l, size_t i)
{
    return l && i < l->len ? &l->items[i] : NULL;
}

static char *dup_or_null(const char *s) { return s ? xstrdup(s) : NULL; }

static void list_add(cp_diag_list *l, const cp_diag *d)
{
    if (l->len == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->len++] = (cp_diag){d->severity, dup_or_null(d->file), d->line, d->col,
                                   dup_or_null(d->path), dup_or_null(d->code),
                                   dup_or_null(d->message), dup_or_null(d->hint)};
    l->errors += d->severity == DIAG_ERROR;
}

void diag_list_free(cp_diag_list *l)
{
    for (size_t i = 0; l && i < l->len; i++) {
        cp_diag *d = &l->items[i];
        free((char *)d->file);
        free((char *)d->path);
        free((char *)d->code);
        free((char *)d->message);
        free((char *)d->hint);
    }
    if (l)
        free(l->items);
    free(l);
}

cp_diag_list *diag_collect(cp_diag_list *l)
{
    cp_diag_list *was = collector;
    collector = l;
    return was;
}

/* ---- printing ------------------------------------------------------------------- */

/* What a trial must give back: the count and the last message (with its value, whose
 * strings point into the static buffers copied along). */
typedef struct {
    int errors;
    char last[sizeof last];
    last_diag value;
} trial_saved;

void diag_trial_begin(cp_diag_trial *t)
{
    trial_saved *s = xcalloc(1, sizeof *s);
    s->errors = errors;
    memcpy(s->last, last, sizeof last);
    s->value = last_value;
    *t = (cp_diag_trial){.list = diag_list_new(), .errors = errors, .saved = s};
    t->outer = diag_collect(t->list);
}

void diag_trial_end(cp_diag_trial *t)
{
    trial_saved *s = t->saved;
    diag_collect(t->outer);
    errors = s->errors;
    memcpy(last, s->last, sizeof last);
    last_value = s->value;
    free(s);
    diag_list_free(t->list);
    *t = (cp_diag_trial){0};
}

static void json_string(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\t')
            fputs("\\t", f);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

/* "FILE:LINE:COL: error: path: message (hint)", without the program name. */
static void text_of(const cp_diag *d, char *out, size_t size)
{
    char where[600] = "";
    if (d->file && d->line > 0)
        snprintf(where, sizeof where, "%s:%d:%d: ", d->file, d->line, d->col);
    else if (d->file)
        snprintf(where, sizeof where, "%s: ", d->file);
    snprintf(out, size, "%s%s: %s%s%s%s%s%s", where,
             d->severity == DIAG_ERROR ? "error" : "warning", d->path ? d->path : "",
             d->path && *d->path ? ": " : "", d->message, d->hint ? " (" : "",
             d->hint ? d->hint : "", d->hint ? ")" : "");
}

void diag_print(const cp_diag *d, FILE *json_out)
{
    if (format == DIAG_JSON && json_out) {
        const char *names[] = {"severity", "file", "path", "code", "message", "hint"};
        const char *values[] = {d->severity == DIAG_ERROR ? "error" : "warning", d->file,
                                d->path && *d->path ? d->path : NULL, d->code, d->message,
                                d->hint};
        fputc('{', json_out);
        for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
            fprintf(json_out, "%s\"%s\": ", i ? ", " : "", names[i]);
            json_string(json_out, values[i]);
            if (i == 1 && d->line > 0)
                fprintf(json_out, ", \"line\": %d, \"column\": %d", d->line, d->col);
            else if (i == 1)
                fputs(", \"line\": null, \"column\": null", json_out);
        }
        fputs("}\n", json_out);
        return;
    }
    char text[1700];
    text_of(d, text, sizeof text);
    fprintf(stream ? stream : stderr, "careerpdf: %s\n", text);
}

void diag_list_print(const cp_diag_list *l, FILE *json_out)
{
    for (size_t i = 0; l && i < l->len; i++)
        diag_print(&l->items[i], json_out);
}

/* ---- reporting ------------------------------------------------------------------ */

static void emit(cp_severity severity, const cp_loc *loc, const char *path,
                 const char *code, const char *hint, const char *fmt, va_list ap)
{
    char what[768];
    vsnprintf(what, sizeof what, fmt, ap);
    cp_diag d = {severity, loc ? diag_path(loc->file) : NULL, loc ? loc->line : 0,
                 loc ? loc->col : 0, path, code ? code : "input", what, hint};
    if (!d.file)
        d.line = d.col = 0;
    errors += severity == DIAG_ERROR;
    text_of(&d, last, sizeof last);
    snprintf(last_value.file, sizeof last_value.file, "%s", d.file ? d.file : "");
    snprintf(last_value.path, sizeof last_value.path, "%s", path ? path : "");
    snprintf(last_value.code, sizeof last_value.code, "%s", d.code);
    snprintf(last_value.message, sizeof last_value.message, "%s", what);
    snprintf(last_value.hint, sizeof last_value.hint, "%s", hint ? hint : "");
    last_value.d = (cp_diag){severity, d.file ? last_value.file : NULL, d.line, d.col,
                             last_value.path, last_value.code, last_value.message,
                             hint ? last_value.hint : NULL};
    if (collector)
        list_add(collector, &d);
    else if (!quiet)
        diag_print(&d, stdout);
}

void diag_error(const cp_loc *loc, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(DIAG_ERROR, loc, path, NULL, NULL, fmt, ap);
    va_end(ap);
}

void diag_warning(const cp_loc *loc, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(DIAG_WARNING, loc, path, NULL, NULL, fmt, ap);
    va_end(ap);
}

void diag_report(cp_severity severity, const cp_loc *loc, const char *path,
                 const char *code, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(severity, loc, path, code, hint, fmt, ap);
    va_end(ap);
}
