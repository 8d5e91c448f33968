/* roster.c - CSV (libcsv, streamed) and YAML rosters to located row mappings.
 *
 * libcsv reports fields and records through callbacks but not where they are, so the
 * input is fed in runs that cannot end a field, and every byte that can (a comma, CR or
 * LF) on its own: when a callback fires, the byte that fired it is known, and so is
 * where the field began (the first byte after the previous callback that is not a
 * space or a line break). That gives every cell its LINE:COL without re-parsing. */
#include "roster.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>
#include <glib.h>

#include "../core/xalloc.h"

#define CHUNK 65536

typedef struct {
    char *text;             /* "" when too long: the text is not kept */
    size_t len;
    int line, col;
    bool too_long;          /* more than ROSTER_MAX_CELL bytes */
} cell;

typedef struct record {
    cell *cells;
    size_t n, cap;
    int line;
    bool too_many;          /* more than ROSTER_MAX_COLUMNS fields: cells dropped */
    struct record *next;
} record;

struct cp_roster {
    const char *display;
    bool yaml;
    cp_arena *ma;           /* column names, aliases: as long as the roster */
    /* --roster-encoding: the bytes are converted to UTF-8 as they are read */
    GIConv cd;
    const char *encoding;
    unsigned char carry[8]; /* the start of a character the last chunk cut in two */
    size_t ncarry;
    /* --column FIELD=HEADER: each row also has FIELD, holding HEADER's value */
    const char **alias_field, **alias_column;
    size_t nalias;
    /* CSV */
    FILE *fp;
    struct csv_parser p;
    bool parser_live;
    int line, col;          /* position of the next byte */
    bool prev_cr, at_start, eof;
    int broken;             /* BROKEN_*: the parser stopped here */
    cp_loc broken_at;
    int broken_errno;
    unsigned char bad_byte; /* BROKEN_ENCODING */
    bool reported;
    bool need_start;        /* the next field's first byte is still to come */
    bool field_too_long;    /* the field being read outgrew the parser's buffer */
    int start_line, start_col, trig_line, trig_col;
    record cur;
    record *head, *tail;    /* complete records not yet handed out */
    const char **columns;   /* CSV: the header; YAML: every key of any item, in order */
    size_t ncols;
    /* YAML */
    cp_arena *ya;
    const cp_node *list;
    size_t next_item;
    size_t rows;
};

/* libcsv's field buffer also holds what it has not decided on yet: the quote that may
 * close a quoted field, blanks that may turn out to trail the text, and the NUL it
 * appends. The slack keeps a cell of exactly ROSTER_MAX_CELL bytes (and blanks after
 * it) inside the buffer; the limit itself is checked on the finished field, so it is
 * exact. */
#define CELL_BUFFER ((size_t)ROSTER_MAX_CELL + 4096)

/* libcsv grows its field buffer with this: a field longer than the buffer makes
 * csv_parse stop with CSV_ENOMEM (see drop_field_text) instead of growing without
 * bound. Only a refusal above the limit is ours: real exhaustion aborts as everywhere. */
static void *limited_realloc(void *p, size_t n)
{
    return n > CELL_BUFFER ? NULL : xrealloc(p, n);
}

static void fatal(const cp_roster *r, int line, const char *fmt, const char *arg)
{
    cp_loc loc = {r->display, line, line ? 1 : 0};
    char msg[512];
    snprintf(msg, sizeof msg, fmt, arg);
    diag_error(&loc, NULL, "%s", msg);
}

/* --- CSV: positions and callbacks -------------------------------------------------------- */

static void record_clear(record *rec)
{
    for (size_t i = 0; i < rec->n; i++)
        free(rec->cells[i].text);
    free(rec->cells);
    memset(rec, 0, sizeof *rec);
}

static void on_field(void *data, size_t len, void *cb)
{
    cp_roster *r = cb;
    record *rec = &r->cur;
    int line = r->need_start ? r->trig_line : r->start_line;
    int col = r->need_start ? r->trig_col : r->start_col;
    bool too_long = r->field_too_long || len > ROSTER_MAX_CELL;
    r->need_start = true;
    r->field_too_long = false;
    if (rec->n == 0)
        rec->line = line;
    if (rec->n >= ROSTER_MAX_COLUMNS) {
        rec->too_many = true;
        return;
    }
    if (rec->n == rec->cap) {
        rec->cap = rec->cap ? rec->cap * 2 : 16;
        rec->cells = xrealloc(rec->cells, rec->cap * sizeof *rec->cells);
    }
    cell *c = &rec->cells[rec->n++];
    if (too_long)
        len = 0;   /* the row fails: its text is never needed */
    c->text = xmalloc(len + 1);
    if (len)
        memcpy(c->text, data, len);
    c->text[len] = '\0';
    c->len = len;
    c->line = line;
    c->col = col;
    c->too_long = too_long;
}

static void on_record(int term, void *cb)
{
    (void)term;
    cp_roster *r = cb;
    r->need_start = true;
    record *rec = xmalloc(sizeof *rec);
    *rec = r->cur;
    rec->next = NULL;
    memset(&r->cur, 0, sizeof r->cur);
    if (r->tail)
        r->tail->next = rec;
    else
        r->head = rec;
    r->tail = rec;
}

/* Moves the position over bytes the parser has been (or is being) given. */
static void advance(cp_roster *r, const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char b = s[i];
        /* A field starts at its first byte that is not blank, a line break or the
         * comma that ended the field before it. */
        if (r->need_start && b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != ',') {
            r->need_start = false;
            r->start_line = r->line;
            r->start_col = r->col;
        }
        if (b == '\n') {
            if (!r->prev_cr)
                r->line++;
            r->col = 1;
        } else if (b == '\r') {
            r->line++;
            r->col = 1;
        } else if ((b & 0xC0) != 0x80) {
            r->col++;
        }
        r->prev_cr = b == '\r';
    }
}

/* The field being read is over the cell limit and fills the parser's buffer. libcsv
 * has no call to skip the rest of a field, but its state is public (csv.h): the parser
 * stays where it is (inside quotes or not, after a quote or not) and only the text
 * gathered so far is thrown away, so the rest of the field costs no memory and the
 * rows after it are read as usual. The last two bytes stay, with at most one blank
 * counted as pending: when a quoted field ends, the parser takes the pending blanks
 * and the quote before them off the end again, and must not run below the start. */
static void drop_field_text(cp_roster *r)
{
    struct csv_parser *p = &r->p;
    size_t keep = p->entry_pos < 2 ? p->entry_pos : 2;
    memmove(p->entry_buf, p->entry_buf + p->entry_pos - keep, keep);
    p->entry_pos = keep;
    if (p->spaces >= keep)
        p->spaces = keep ? keep - 1 : 0;
    p->status = CSV_SUCCESS;
    r->field_too_long = true;
}

/* Parses all n bytes (and moves the position over them); false when the parser stops
 * on a quote in the wrong place, the position then that of the offending byte. */
static bool parse(cp_roster *r, const unsigned char *s, size_t n)
{
    size_t done = 0;
    while (done < n) {
        size_t k = csv_parse(&r->p, s + done, n - done, on_field, on_record, r);
        advance(r, s + done, k);
        done += k;
        if (done == n)
            break;
        if (csv_error(&r->p) != CSV_ENOMEM)
            return false;
        drop_field_text(r);
    }
    return true;
}

static bool feed(cp_roster *r, const unsigned char *buf, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && buf[j] != ',' && buf[j] != '\n' && buf[j] != '\r')
            j++;
        if (!parse(r, buf + i, j - i))
            return false;
        if (j == n)
            break;
        r->trig_line = r->line;
        r->trig_col = r->col;
        if (!parse(r, buf + j, 1))
            return false;
        i = j + 1;
    }
    return true;
}

/* Why the parser stopped; reported once the rows read before the problem are out. */
enum { BROKEN_NONE, BROKEN_QUOTE, BROKEN_OPEN_QUOTE, BROKEN_READ, BROKEN_ENCODING };

static void stop(cp_roster *r, int why, int line, int col)
{
    r->broken = why;
    r->broken_at = (cp_loc){r->display, line, col};
    r->broken_errno = errno;
}

/* Not text in the roster's encoding: the roster is refused as a whole (roster_count
 * reads it through before any work), naming the first bad byte. */
static void stop_encoding(cp_roster *r, unsigned char byte)
{
    stop(r, BROKEN_ENCODING, r->line, r->col);
    r->bad_byte = byte;
}

static void report_broken(cp_roster *r)
{
    const cp_loc *at = &r->broken_at;
    switch (r->broken) {
    case BROKEN_QUOTE:
        diag_error(at, NULL, "a quote inside an unquoted field or after a closing quote, "
                   "expected the field in quotes with inner quotes doubled "
                   "(\"say \"\"hi\"\"\")");
        break;
    case BROKEN_OPEN_QUOTE:
        diag_error(at, NULL, "this quoted field is never closed, expected a closing quote "
                   "before the end of the file");
        break;
    case BROKEN_ENCODING:
        if (r->encoding)
            diag_error(at, NULL, "byte 0x%02X is not %s text, expected the roster in the "
                       "encoding --roster-encoding names (windows-1252, iso-8859-1, "
                       "utf-16...)", r->bad_byte, r->encoding);
        else
            diag_error(at, NULL, "byte 0x%02X is not UTF-8 text, expected the roster saved "
                       "as UTF-8; a roster saved by Excel or an older system is often "
                       "windows-1252: try --roster-encoding windows-1252", r->bad_byte);
        break;
    default:
        diag_error(at, NULL, "cannot read the roster: %s", strerror(r->broken_errno));
    }
}

/* Hands UTF-8 text to the parser, up to the first byte that is not UTF-8 (then the
 * roster stops there). A character cut in two by the chunk's end waits in the carry
 * for the rest; NUL is valid UTF-8 (a cell holding it fails as a control character). */
static void feed_utf8(cp_roster *r, const unsigned char *buf, size_t n, bool last)
{
    size_t skip = 0;
    if (r->at_start && n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        skip = 3;   /* byte order mark: not part of the first column's name */
    r->at_start = false;
    const unsigned char *p = buf + skip, *stop_at = buf + n;
    const gchar *end = (const gchar *)p;
    while (!g_utf8_validate_len(end, (gsize)(stop_at - (const unsigned char *)end), &end) &&
           *end == '\0')
        end++;
    size_t good = (size_t)((const unsigned char *)end - p), rest = (size_t)(stop_at - p) - good;
    bool cut = rest && rest < 4 && !last &&
               g_utf8_get_char_validated(end, (gssize)rest) == (gunichar)-2;
    if (!feed(r, p, good)) {
        stop(r, BROKEN_QUOTE, r->line, r->col);
        return;
    }
    if (cut) {
        memcpy(r->carry, end, rest);
        r->ncarry = rest;
    } else if (rest) {
        stop_encoding(r, (unsigned char)*end);
    }
}

/* --roster-encoding: converts a chunk (after the carry) to UTF-8 and feeds it. */
static void feed_converted(cp_roster *r, unsigned char *in, size_t n, bool last)
{
    char out[CHUNK * 4 + 64];
    gchar *ip = (gchar *)in, *op = out;
    gsize il = n, ol = sizeof out;
    size_t res = g_iconv(r->cd, &ip, &il, &op, &ol);
    int err = res == (size_t)-1 ? errno : 0;
    feed_utf8(r, (unsigned char *)out, (size_t)(op - out), last && !err);
    if (r->broken || !err)
        return;
    if (err == EINVAL && !last && il < sizeof r->carry) {
        memcpy(r->carry, ip, il);   /* a character cut in two: the rest comes next */
        r->ncarry = il;
    } else {
        stop_encoding(r, (unsigned char)*ip);
    }
}

/* Reads on until a record is complete or the input ends. False (after a message) when
 * the roster cannot be read further and no complete record is left. */
static bool fill(cp_roster *r)
{
    unsigned char buf[CHUNK + sizeof r->carry];
    while (!r->head && !r->eof && !r->broken) {
        memcpy(buf, r->carry, r->ncarry);
        size_t held = r->ncarry;
        r->ncarry = 0;
        size_t n = fread(buf + held, 1, CHUNK, r->fp);
        if (n == 0 && ferror(r->fp)) {
            stop(r, BROKEN_READ, 0, 0);
            break;
        }
        bool last = n == 0;
        if (r->cd)
            feed_converted(r, buf, held + n, last);
        else
            feed_utf8(r, buf, held + n, last);
        if (r->broken || !last)
            continue;
        r->eof = true;
        r->trig_line = r->line;
        r->trig_col = r->col;
        if (csv_fini(&r->p, on_field, on_record, r) != 0)
            stop(r, BROKEN_OPEN_QUOTE, r->start_line, r->start_col);
    }
    if (r->head || !r->broken)
        return true;
    if (!r->reported)
        report_broken(r);
    r->reported = true;
    return false;
}

static record *take(cp_roster *r)
{
    record *rec = r->head;
    if (rec) {
        r->head = rec->next;
        if (!r->head)
            r->tail = NULL;
    }
    return rec;
}

static bool record_blank(const record *rec)
{
    for (size_t i = 0; i < rec->n; i++)
        if (rec->cells[i].len || rec->cells[i].too_long)
            return false;
    return !rec->too_many;
}

/* --- opening ----------------------------------------------------------------------------- */

static bool read_header(cp_roster *r)
{
    record *rec = NULL;
    while (fill(r) && (rec = take(r)) && record_blank(rec)) {
        record_clear(rec);
        free(rec);
        rec = NULL;
    }
    if (!rec) {
        if (r->eof)
            fatal(r, 0, "%s", "the roster is empty, expected a header row such as "
                  "name,career,grade,school");
        return false;
    }
    bool ok = !rec->too_many;
    if (!ok)
        fatal(r, rec->line, "more than %s columns", "1,000");
    r->columns = ARENA_ARRAY(r->ma, const char *, rec->n ? rec->n : 1);
    r->ncols = rec->n;
    for (size_t i = 0; ok && i < rec->n; i++) {
        const cell *c = &rec->cells[i];
        if (c->too_long) {
            cp_loc loc = {r->display, c->line, c->col};
            diag_error(&loc, NULL, "this column name is longer than 64 KiB (65,536 bytes), "
                       "expected a header row of short names");
            ok = false;
            break;
        }
        if (!g_utf8_validate(c->text, (gssize)c->len, NULL) || strlen(c->text) != c->len) {
            cp_loc loc = {r->display, c->line, c->col};
            diag_error(&loc, NULL, "this column name is not valid UTF-8 text, expected "
                       "the roster saved as UTF-8");
            ok = false;
            break;
        }
        r->columns[i] = column_key(r->ma, c->text, c->len);
        for (size_t k = 0; k < i && *r->columns[i]; k++)
            if (!strcmp(r->columns[k], r->columns[i])) {
                cp_loc loc = {r->display, c->line, c->col};
                diag_error(&loc, NULL, "column '%s' appears twice in the header, expected "
                           "each column once", r->columns[i]);
                ok = false;
            }
    }
    record_clear(rec);
    free(rec);
    return ok;
}

static cp_roster *roster_new(const char *display, const char *encoding)
{
    cp_roster *r = xcalloc(1, sizeof *r);
    r->display = display;
    r->ma = arena_new();
    if (encoding && *encoding) {
        r->encoding = arena_strdup(r->ma, encoding);
        r->cd = g_iconv_open("UTF-8", encoding);
        if (r->cd == (GIConv)-1) {
            r->cd = NULL;
            fprintf(stderr, "careerpdf: error: --roster-encoding '%s': an encoding this "
                    "system cannot convert, expected a name such as windows-1252, "
                    "iso-8859-1 or utf-16 (iconv --list shows them all)\n", encoding);
            roster_close(r);
            return NULL;
        }
    }
    return r;
}

static cp_roster *open_csv(FILE *fp, const char *display, const char *encoding)
{
    cp_roster *r = roster_new(display, encoding);
    if (!r) {
        fclose(fp);
        return NULL;
    }
    r->fp = fp;
    r->line = r->col = 1;
    r->at_start = r->need_start = true;
    /* Strict: a stray quote stops with its position instead of silently merging rows
     * (the non-strict recovery can swallow the rest of the file into one field). */
    csv_init(&r->p, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI);
    csv_set_realloc_func(&r->p, limited_realloc);
    r->parser_live = true;
    if (!read_header(r)) {
        roster_close(r);
        return NULL;
    }
    return r;
}

/* Every key any student has, in the order they first appear. */
static void yaml_columns(cp_roster *r)
{
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    cp_vec cols = {0};
    for (size_t i = 0; i < r->list->len; i++) {
        const cp_node *it = r->list->items[i];
        for (size_t k = 0; node_is_map(it) && k < it->len; k++) {
            const char *key = column_key(r->ma, it->keys[k], strlen(it->keys[k]));
            if (!g_hash_table_contains(seen, key)) {
                g_hash_table_add(seen, (gpointer)key);
                vec_push(r->ma, &cols, (void *)key);
            }
        }
    }
    g_hash_table_destroy(seen);
    r->columns = (const char **)cols.items;
    r->ncols = cols.len;
}

static cp_roster *open_yaml(cp_node *root, cp_arena *a, const char *display)
{
    if (!root) {
        arena_free(a);
        return NULL;
    }
    if (!node_is_seq(root)) {
        diag_error(&root->loc, NULL, "a YAML roster is a list of students, expected "
                   "- {name: ..., career: ...} items");
        arena_free(a);
        return NULL;
    }
    cp_roster *r = roster_new(display, NULL);
    r->yaml = true;
    r->ya = a;
    r->list = root;
    yaml_columns(r);
    return r;
}

static bool is_yaml_name(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot && (!g_ascii_strcasecmp(dot, ".yaml") || !g_ascii_strcasecmp(dot, ".yml"));
}

/* A YAML roster in another encoding: converted whole (it is loaded whole anyway). */
static cp_roster *open_yaml_converted(const char *path, const char *display,
                                      const char *encoding)
{
    gchar *raw = NULL, *text = NULL;
    gsize len = 0, out_len = 0;
    GError *err = NULL;
    cp_loc loc = {display, 0, 0};
    if (!g_file_get_contents(path, &raw, &len, &err)) {
        diag_error(&loc, NULL, "cannot read the roster: %s", err->message);
    } else if (!(text = g_convert(raw, (gssize)len, "UTF-8", encoding, NULL, &out_len,
                                  &err))) {
        diag_error(&loc, NULL, "cannot convert the roster from %s: %s, expected the "
                   "encoding it was saved in", encoding, err->message);
    }
    g_clear_error(&err);
    g_free(raw);
    if (!text)
        return NULL;
    cp_arena *a = arena_new();
    cp_roster *r = open_yaml(yaml_load_string(a, display, text, out_len, &CP_DEFAULT_LIMITS),
                             a, display);
    g_free(text);
    return r;
}

/* A YAML roster that is not UTF-8 gets the same message (and hint) as a CSV one. */
static bool yaml_is_utf8(const char *path, const char *display)
{
    gchar *raw = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &raw, &len, NULL))
        return true;   /* the loader says why it cannot be read */
    const gchar *end = raw;
    while (!g_utf8_validate_len(end, len - (gsize)(end - raw), &end) && *end == '\0')
        end++;
    bool ok = (gsize)(end - raw) == len;
    if (!ok) {
        cp_roster r = {.display = display, .line = 1, .col = 1, .bad_byte = (unsigned char)*end};
        advance(&r, (const unsigned char *)raw, (size_t)(end - raw));
        r.broken_at = (cp_loc){display, r.line, r.col};
        r.broken = BROKEN_ENCODING;
        report_broken(&r);
    }
    g_free(raw);
    return ok;
}

cp_roster *roster_open(const char *path, const char *display, const char *encoding)
{
    if (is_yaml_name(path)) {
        if (encoding && *encoding)
            return open_yaml_converted(path, display, encoding);
        if (!yaml_is_utf8(path, display))
            return NULL;
        cp_arena *a = arena_new();
        return open_yaml(yaml_load_file(a, path, &CP_DEFAULT_LIMITS), a, display);
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        cp_loc loc = {display, 0, 0};
        diag_error(&loc, NULL, "cannot read the roster: %s", strerror(errno));
        return NULL;
    }
    return open_csv(fp, display, encoding);
}

cp_roster *roster_open_mem(const char *display, const char *buf, size_t len, bool yaml)
{
    if (yaml) {
        cp_arena *a = arena_new();
        return open_yaml(yaml_load_string(a, display, buf, len, &CP_DEFAULT_LIMITS), a,
                         display);
    }
    /* fmemopen of a zero-length buffer fails; an empty roster is still just empty. */
    FILE *fp = len ? fmemopen((void *)buf, len, "rb") : fopen("/dev/null", "rb");
    return fp ? open_csv(fp, display, NULL) : NULL;
}

void roster_close(cp_roster *r)
{
    if (!r)
        return;
    if (r->parser_live)
        csv_free(&r->p);
    for (record *rec; (rec = take(r));) {
        record_clear(rec);
        free(rec);
    }
    record_clear(&r->cur);
    if (r->cd)
        g_iconv_close(r->cd);
    g_free(r->alias_field);
    g_free(r->alias_column);
    arena_free(r->ma);
    if (r->fp)
        fclose(r->fp);
    if (r->ya)
        arena_free(r->ya);
    free(r);
}

bool roster_has_column(const cp_roster *r, const char *name)
{
    for (size_t i = 0; i < r->ncols; i++)
        if (!strcmp(r->columns[i], name))
            return true;
    return false;
}

const char *const *roster_columns(const cp_roster *r, size_t *n)
{
    *n = r->ncols;
    return r->columns;
}

bool roster_alias(cp_roster *r, const char *field, const char *header)
{
    const char *key = column_key(r->ma, header, strlen(header));
    if (!roster_has_column(r, key))
        return false;
    for (size_t i = 0; i < r->nalias; i++)
        if (!strcmp(r->alias_field[i], field)) {   /* a later mapping wins */
            r->alias_column[i] = key;
            return true;
        }
    r->alias_field = g_renew(const char *, r->alias_field, r->nalias + 1);
    r->alias_column = g_renew(const char *, r->alias_column, r->nalias + 1);
    r->alias_field[r->nalias] = arena_strdup(r->ma, field);
    r->alias_column[r->nalias++] = key;
    return true;
}

bool roster_has_field(const cp_roster *r, const char *field)
{
    for (size_t i = 0; i < r->nalias; i++)
        if (!strcmp(r->alias_field[i], field))
            return true;
    return roster_has_column(r, field);
}

bool roster_is_mapped(const cp_roster *r, const char *column)
{
    for (size_t i = 0; i < r->nalias; i++)
        if (!strcmp(r->alias_column[i], column))
            return true;
    return false;
}

/* --- rows -------------------------------------------------------------------------------- */

/* Why a cell's text cannot be used, or NULL. Line breaks and tabs are fine in a note;
 * other control characters would print as boxes or hide text. */
static const char *cell_problem(cp_arena *a, const char *text, size_t len)
{
    if (!g_utf8_validate(text, (gssize)len, NULL))
        return "not valid UTF-8, expected the roster saved as UTF-8";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
            return arena_printf(a, "control character U+%04X, expected printable text", c);
    }
    return NULL;
}

/* CRLF inside a quoted cell becomes LF: the text is the same on every system. */
static char *cell_text(cp_arena *a, const char *text, size_t len)
{
    char *out = arena_alloc(a, len + 1), *o = out;
    for (size_t i = 0; i < len; i++)
        if (!(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
            *o++ = text[i];
    *o = '\0';
    return out;
}

/* The row with each mapped field first (FIELD holds HEADER's value), then its own
 * columns; a column named like a mapped field is left out, so FIELD means one thing. */
static cp_node *with_aliases(const cp_roster *r, cp_arena *a, cp_node *m)
{
    if (!r->nalias)
        return m;
    cp_node *out = node_new_map(a, m->len + r->nalias, m->loc, "");
    for (size_t i = 0; i < r->nalias; i++) {
        for (size_t k = 0; k < m->len; k++)
            if (!strcmp(m->keys[k], r->alias_column[i])) {
                cp_node *v = node_add_scalar(a, out, r->alias_field[i], m->items[k]->text,
                                             m->items[k]->loc);
                v->path = m->keys[k];   /* errors name the column */
            }
    }
    for (size_t k = 0; k < m->len; k++) {
        bool shadowed = false;
        for (size_t i = 0; i < r->nalias; i++)
            shadowed |= !strcmp(m->keys[k], r->alias_field[i]);
        if (!shadowed)
            node_add_scalar(a, out, m->keys[k], m->items[k]->text, m->items[k]->loc);
    }
    return out;
}

static void csv_row(cp_roster *r, cp_arena *a, record *rec, cp_roster_row *row)
{
    row->line = rec->line;
    if (rec->too_many || rec->n != r->ncols) {
        row->error = arena_printf(a, "%s%zu fields, expected %zu as in the header row",
                                  rec->too_many ? "more than " : "", rec->n, r->ncols);
        return;
    }
    cp_node *m = node_new_map(a, rec->n, (cp_loc){r->display, rec->line, 1}, "");
    for (size_t i = 0; i < rec->n; i++) {
        const cell *c = &rec->cells[i];
        if (!*r->columns[i])
            continue;
        const char *why = c->too_long ? "longer than 64 KiB (65,536 bytes), expected "
                                        "shorter cells"
                                      : cell_problem(a, c->text, c->len);
        if (why) {
            row->error = arena_printf(a, "column '%s': %s", r->columns[i], why);
            return;
        }
        node_add_scalar(a, m, arena_strdup(a, r->columns[i]),
                        cell_text(a, c->text, c->len), (cp_loc){r->display, c->line, c->col});
    }
    row->node = with_aliases(r, a, m);
}

static int next_csv(cp_roster *r, cp_arena *a, cp_roster_row *row)
{
    for (;;) {
        if (!fill(r))
            return -1;
        record *rec = take(r);
        if (!rec)
            return 0;
        if (!record_blank(rec)) {
            row->row = ++r->rows;
            csv_row(r, a, rec, row);
        }
        bool blank = row->row == 0;
        record_clear(rec);
        free(rec);
        if (!blank)
            return 1;
    }
}

static const char *yaml_value(const cp_node *v)
{
    /* An empty YAML value is "no value", like an empty CSV cell. */
    if (v->plain && (!strcmp(v->text, "~") || !strcmp(v->text, "null")))
        return "";
    return v->text;
}

static int next_yaml(cp_roster *r, cp_arena *a, cp_roster_row *row)
{
    if (r->next_item >= r->list->len)
        return 0;
    const cp_node *it = r->list->items[r->next_item++];
    row->row = ++r->rows;
    row->line = it->loc.line;
    if (!node_is_map(it)) {
        row->error = "expected a mapping of column: value, like {name: ..., career: ...}";
        return 1;
    }
    if (it->len > ROSTER_MAX_COLUMNS) {
        row->error = "more than 1,000 columns";
        return 1;
    }
    cp_node *m = node_new_map(a, it->len, it->loc, "");
    for (size_t i = 0; i < it->len; i++) {
        const cp_node *v = it->items[i];
        const char *akey = column_key(a, it->keys[i], strlen(it->keys[i]));
        if (!node_is_scalar(v)) {
            row->error = arena_printf(a, "column '%s': expected a single value, not a %s",
                                      akey, node_is_seq(v) ? "list" : "mapping");
            return 1;
        }
        if (node_get(m, akey)) {
            row->error = arena_printf(a, "column '%s' appears twice, expected each "
                                      "column once", akey);
            return 1;
        }
        const char *text = yaml_value(v);
        if (strlen(text) > ROSTER_MAX_CELL) {
            row->error = arena_printf(a, "column '%s': longer than 64 KiB (65,536 bytes), "
                                      "expected shorter cells", akey);
            return 1;
        }
        node_add_scalar(a, m, akey, arena_strdup(a, text), v->loc);
    }
    row->node = with_aliases(r, a, m);
    return 1;
}

int roster_next(cp_roster *r, cp_arena *a, cp_roster_row *row)
{
    memset(row, 0, sizeof *row);
    if (r->rows >= ROSTER_MAX_ROWS) {
        bool more = r->yaml ? r->next_item < r->list->len : (fill(r) && r->head);
        if (more) {
            fatal(r, 0, "more than %s rows, expected a smaller roster (split it)",
                  "2,000,000");
            return -1;
        }
        return 0;
    }
    return r->yaml ? next_yaml(r, a, row) : next_csv(r, a, row);
}

long roster_count(const char *path, const char *display, const char *encoding)
{
    cp_roster *r = roster_open(path, display, encoding);
    if (!r)
        return -1;
    long n = 0;
    int got;
    cp_arena *a = arena_new();
    cp_roster_row row;
    while ((got = roster_next(r, a, &row)) == 1) {
        n++;
        if (n % 4096 == 0) {   /* keep memory flat on long rosters */
            arena_free(a);
            a = arena_new();
        }
    }
    arena_free(a);
    roster_close(r);
    return got < 0 ? -1 : n;
}

/* --- self-ratings ------------------------------------------------------------------------ */

const char *roster_skill_column(cp_arena *a, const char *name)
{
    size_t n = strlen(name);
    char *out = arena_alloc(a, n + 6), *o = out + 5;
    memcpy(out, "rate:", 5);
    int depth = 0;
    bool dash = false;
    for (const char *p = name; *p; p++) {
        if (*p == '(' || *p == '[')
            depth++;
        if (depth > 0) {   /* "(Python, C++, Rust)": examples, not the skill's name */
            depth -= *p == ')' || *p == ']';
            continue;
        }
        if (isalnum((unsigned char)*p)) {
            if (dash && o > out + 5)
                *o++ = '-';
            *o++ = (char)tolower((unsigned char)*p);
            dash = false;
        } else {
            dash = true;
        }
    }
    *o = '\0';
    return out;
}

const cp_node *roster_rate_by_index(cp_arena *a, const cp_node *row,
                                    const char *const *skills, size_t n)
{
    cp_node *m = NULL;
    for (size_t i = 0; i < n; i++) {
        const cp_node *v = node_get(row, roster_skill_column(a, skills[i]));
        const char *key = arena_printf(a, "rate:%zu", i + 1);
        if (!v || node_get(row, key) || (m && node_get(m, key)))
            continue;
        if (!m) {
            m = node_new_map(a, row->len + n, row->loc, "");
            for (size_t k = 0; k < row->len; k++)
                node_add_scalar(a, m, row->keys[k], row->items[k]->text, row->items[k]->loc);
        }
        /* Errors name the column as the user wrote it. */
        node_add_scalar(a, m, key, v->text, v->loc)->path = v->path;
    }
    return m ? m : row;
}
