/* pdf_assemble.c - one PDF from a template and an overlay, both written by cairo (and
 * finished by libqpdf, pdf_finish.h, which writes the same kind of file).
 *
 * The template is parsed once: its objects (the latest version of each, following every
 * cross-reference section) are cut into byte spans, the stand-in forms are found by
 * their content, and so is what their pages hold around them (the slot's element in the
 * structure tree, its marked content in the page's content). The output is planned as a
 * fixed part (header and the template's objects but those a student changes, in file
 * order so that neighbours merge into few runs) and a cross-reference table whose
 * template entries are already written. Per student only the overlay is parsed; the
 * student's content, the overlay's objects (resources and structure elements) and the
 * template objects written again (the slot's page, its ParentTree array, the slot
 * element's parent) follow the fixed part, so the template's offsets never change.
 *
 * The parser reads PDF the way cairo 1.16 writes it: classic xref tables, generation 0,
 * streams with a /Length, no object streams. Anything else is refused rather than
 * guessed at. */
#include "pdf_assemble.h"

#include <limits.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <zlib.h>

/* cairo's own header: the binary comment tells transfer tools the file is not text. */
static const char HEADER[] = "%PDF-1.5\n%\xb5\xed\xae\xfb\n";

/* More objects than this is not a file cairo wrote for us (and bounds the tables). */
enum { MAX_OBJECTS = 4000000, MAX_XREF_SECTIONS = 64, MAX_PAGE_DEPTH = 16 };

/* ---- tokens ------------------------------------------------------------------------ */

typedef enum {
    TK_END, TK_BAD, TK_NUM, TK_NAME, TK_STR, TK_HEX, TK_DICT, TK_DICT_END, TK_ARR,
    TK_ARR_END, TK_WORD
} tk_kind;

typedef struct {
    tk_kind kind;
    const char *s;
    size_t n;
} token;

/* Character classes of PDF syntax, by table: the lexer is the assembler's hot loop. */
enum { C_SPACE = 1, C_DELIM = 2, C_DIGIT = 4 };
static const unsigned char CCLASS[256] = {
    ['\0'] = C_SPACE, ['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\f'] = C_SPACE, ['\r'] = C_SPACE,
    [' '] = C_SPACE, ['('] = C_DELIM, [')'] = C_DELIM, ['<'] = C_DELIM, ['>'] = C_DELIM,
    ['['] = C_DELIM, [']'] = C_DELIM, ['{'] = C_DELIM, ['}'] = C_DELIM, ['/'] = C_DELIM,
    ['%'] = C_DELIM, ['0'] = C_DIGIT, ['1'] = C_DIGIT, ['2'] = C_DIGIT, ['3'] = C_DIGIT,
    ['4'] = C_DIGIT, ['5'] = C_DIGIT, ['6'] = C_DIGIT, ['7'] = C_DIGIT, ['8'] = C_DIGIT,
    ['9'] = C_DIGIT,
};

static int cclass(char c)
{
    return CCLASS[(unsigned char)c];
}

/* A literal string: balanced parentheses, a backslash escapes the next byte. */
static const char *skip_string(const char *p, const char *end)
{
    int depth = 0;
    for (; p < end; p++) {
        if (*p == '\\')
            p++;
        else if (*p == '(')
            depth++;
        else if (*p == ')' && --depth == 0)
            return p + 1;
    }
    return NULL;
}

/* The next token at or after *pp; whitespace and comments are skipped. *pp moves past
 * the token. Strings come whole, so nothing inside them is ever taken for syntax. */
static token lex(const char **pp, const char *end)
{
    const char *p = *pp;
    for (;;) {
        while (p < end && cclass(*p) == C_SPACE)
            p++;
        if (p < end && *p == '%') {
            while (p < end && *p != '\n' && *p != '\r')
                p++;
            continue;
        }
        break;
    }
    token t = {TK_END, p, 0};
    if (p >= end)
        return t;
    const char *q = p + 1;
    switch (*p) {
    case '(':
        q = skip_string(p, end);
        t.kind = q ? TK_STR : TK_BAD;
        break;
    case '<':
        if (q < end && *q == '<') {
            t.kind = TK_DICT;
            q++;
        } else {
            q = memchr(q, '>', (size_t)(end - q));
            t.kind = q ? TK_HEX : TK_BAD;
            q = q ? q + 1 : NULL;
        }
        break;
    case '>':
        t.kind = q < end && *q == '>' ? TK_DICT_END : TK_BAD;
        q += t.kind == TK_DICT_END;
        break;
    case '[': t.kind = TK_ARR; break;
    case ']': t.kind = TK_ARR_END; break;
    case ')': t.kind = TK_BAD; break;
    case '{': case '}': t.kind = TK_WORD; break;
    default:
        if (*p == '/')
            t.kind = TK_NAME;
        /* A number is digits, a point and a leading sign; anything else a keyword. */
        bool num = t.kind != TK_NAME;
        num = num && (cclass(*p) == C_DIGIT || *p == '.' || *p == '-' || *p == '+');
        while (q < end && !(cclass(*q) & (C_SPACE | C_DELIM))) {
            num = num && (cclass(*q) == C_DIGIT || *q == '.');
            q++;
        }
        if (t.kind != TK_NAME)
            t.kind = num ? TK_NUM : TK_WORD;
        break;
    }
    if (t.kind == TK_BAD || !q)
        return (token){TK_BAD, p, 0};
    t.n = (size_t)(q - p);
    *pp = q;
    return t;
}

static bool tk_is(token t, const char *text)
{
    return t.n == strlen(text) && memcmp(t.s, text, t.n) == 0;
}

/* A non-negative integer token (object numbers, offsets, lengths); -1 otherwise. */
static long tk_int(token t)
{
    if (t.kind != TK_NUM || t.n == 0 || t.n > 12)
        return -1;
    long v = 0;
    for (size_t i = 0; i < t.n; i++) {
        if (t.s[i] < '0' || t.s[i] > '9')
            return -1;
        v = v * 10 + (t.s[i] - '0');
    }
    return v;
}

static bool tk_real(token t, double *v)
{
    char buf[64];
    if (t.kind != TK_NUM || t.n >= sizeof buf)
        return false;
    memcpy(buf, t.s, t.n);
    buf[t.n] = '\0';
    *v = g_ascii_strtod(buf, NULL); /* '.' whatever the locale */
    return true;
}

/* At p, "N 0 R"? Then *num is N and *pp moves past the R. cairo only writes
 * generation 0 (next_ref refuses any other). */
static bool lex_ref(const char **pp, const char *end, long *num)
{
    const char *p = *pp;
    long n = tk_int(lex(&p, end));
    if (n < 0 || tk_int(lex(&p, end)) != 0 || !tk_is(lex(&p, end), "R"))
        return false;
    *num = n;
    *pp = p;
    return true;
}

/* Walks [p, end) for references, each token lexed once: the last two tokens are kept
 * so that an "R" can look back at its "N 0". */
typedef struct {
    const char *p, *end;
    token prev[2];
    bool bad; /* stopped at bad syntax */
} ref_scan;

static ref_scan scan_refs(const char *p, const char *end)
{
    return (ref_scan){p, end, {{TK_END, p, 0}, {TK_END, p, 0}}, false};
}

/* The next reference: *at is where its number starts, *num the number. False at the
 * end, or on bad syntax (then s->bad). A reference to another generation is bad too:
 * left as it is, it would point into the template's numbers. */
static bool next_ref(ref_scan *s, const char **at, long *num)
{
    for (;;) {
        token t = lex(&s->p, s->end);
        bool ref = t.kind == TK_WORD && tk_is(t, "R") && tk_int(s->prev[0]) >= 0 &&
                   tk_int(s->prev[1]) >= 0;
        if (t.kind == TK_END || t.kind == TK_BAD || (ref && tk_int(s->prev[1]) != 0)) {
            s->bad = t.kind != TK_END;
            return false;
        }
        if (ref) {
            *at = s->prev[0].s;
            *num = tk_int(s->prev[0]);
            s->prev[0] = s->prev[1] = (token){TK_END, s->p, 0};
            return true;
        }
        s->prev[0] = s->prev[1];
        s->prev[1] = t;
    }
}

/* One value at *pp (a dictionary or array whole, a reference as one value); its
 * tokens are [*s, *pp). False on bad syntax. */
static bool skip_value(const char **pp, const char *end, const char **s)
{
    const char *p = *pp;
    token t = lex(&p, end);
    *s = t.s;
    if (t.kind == TK_BAD || t.kind == TK_END || t.kind == TK_DICT_END ||
        t.kind == TK_ARR_END)
        return false;
    if (t.kind == TK_DICT || t.kind == TK_ARR) {
        int depth = 1;
        while (depth > 0) {
            t = lex(&p, end);
            if (t.kind == TK_BAD || t.kind == TK_END)
                return false;
            depth += (t.kind == TK_DICT || t.kind == TK_ARR) -
                     (t.kind == TK_DICT_END || t.kind == TK_ARR_END);
        }
    } else if (t.kind == TK_NUM) {
        long num;
        const char *r = t.s;
        if (lex_ref(&r, end, &num))
            p = r;
    }
    *pp = p;
    return true;
}

/* The value of `key` in the dictionary starting at d: [*vs, *ve), set only when found. */
static bool dict_get(const char *d, const char *end, const char *key, const char **vs,
                     const char **ve)
{
    const char *p = d, *v;
    if (lex(&p, end).kind != TK_DICT)
        return false;
    for (;;) {
        token k = lex(&p, end);
        if (k.kind != TK_NAME)
            return false; /* the end of the dictionary, or not one */
        if (!skip_value(&p, end, &v))
            return false;
        if (tk_is(k, key)) {
            *vs = v;
            *ve = p;
            return true;
        }
    }
}

static bool dict_has_name(const char *d, const char *end, const char *key, const char *name)
{
    const char *vs, *ve;
    return dict_get(d, end, key, &vs, &ve) && tk_is(lex(&vs, ve), name);
}

/* "[ x0 y0 x1 y1 ]" with the origin at 0 0 (cairo's boxes): width and height. */
static bool read_box(const char *p, const char *end, double *w, double *h)
{
    double v[4];
    if (lex(&p, end).kind != TK_ARR)
        return false;
    for (int i = 0; i < 4; i++)
        if (!tk_real(lex(&p, end), &v[i]))
            return false;
    *w = v[2];
    *h = v[3];
    return lex(&p, end).kind == TK_ARR_END && v[0] == 0 && v[1] == 0;
}

/* ---- objects ----------------------------------------------------------------------- */

typedef enum { OBJ_UNSET, OBJ_FREE, OBJ_USED, OBJ_PARSING, OBJ_PARSED, OBJ_BROKEN } obj_state;

typedef struct {
    obj_state state;
    size_t start;          /* "N 0 obj" */
    size_t val, val_end;   /* the value: after "obj", up to "stream" or "endobj" */
    size_t data, data_len; /* stream data (data == 0: no stream) */
    size_t end;            /* past "endobj" and its end of line */
} pdf_obj;

typedef struct {
    const char *buf;
    size_t len;
    GArray *objs; /* pdf_obj by number */
    long size, root, info;
} pdf_file;

static pdf_obj *obj_at(const pdf_file *f, long n)
{
    return n >= 0 && (size_t)n < f->objs->len ? &g_array_index(f->objs, pdf_obj, n) : NULL;
}

static const pdf_obj *obj_get(const pdf_file *f, long n);

/* An integer, written directly or as a reference to an object holding it (cairo's
 * stream lengths are such objects). */
static bool int_value(const pdf_file *f, const char *vs, const char *ve, long *v)
{
    long num;
    const char *p = vs;
    if (lex_ref(&p, ve, &num)) {
        const pdf_obj *o = obj_get(f, num);
        if (!o || o->data)
            return false;
        p = f->buf + o->val;
        ve = f->buf + o->val_end;
    }
    *v = tk_int(lex(&p, ve));
    return *v >= 0 && lex(&p, ve).kind == TK_END;
}

/* "stream" EOL data EOL? "endstream": the data's span from its /Length. */
static bool parse_stream(const pdf_file *f, pdf_obj *o, const char **pp)
{
    const char *p = *pp, *end = f->buf + f->len, *vs, *ve;
    p += p < end && *p == '\r';
    if (p >= end || *p != '\n')
        return false;
    p++;
    long n;
    const char *d = f->buf + o->val;
    if (!dict_get(d, f->buf + o->val_end, "/Length", &vs, &ve) || !int_value(f, vs, ve, &n) ||
        (size_t)n > (size_t)(end - p))
        return false;
    o->data = (size_t)(p - f->buf);
    o->data_len = (size_t)n;
    p += n;
    if (!tk_is(lex(&p, end), "endstream"))
        return false;
    *pp = p;
    return true;
}

/* Object n at its offset: checks "n 0 obj" and finds the value, the stream and the
 * end. The end comes from the syntax (and /Length), never from the next offset. */
static bool parse_obj(const pdf_file *f, long n, pdf_obj *o)
{
    const char *p = f->buf + o->start, *end = f->buf + f->len;
    if (tk_int(lex(&p, end)) != n || tk_int(lex(&p, end)) != 0 || !tk_is(lex(&p, end), "obj"))
        return false;
    o->val = (size_t)(p - f->buf);
    token t;
    do
        t = lex(&p, end);
    while (t.kind != TK_END && t.kind != TK_BAD && !tk_is(t, "stream") && !tk_is(t, "endobj"));
    if (t.kind == TK_END || t.kind == TK_BAD)
        return false;
    o->val_end = (size_t)(t.s - f->buf);
    if (tk_is(t, "stream") && (!parse_stream(f, o, &p) || !tk_is(lex(&p, end), "endobj")))
        return false;
    /* The span ends with its line so that neighbouring objects join into one run. */
    if (p < end && *p == '\r')
        p++;
    if (p < end && *p == '\n')
        p++;
    else if (p[-1] != '\r')
        return false;
    o->end = (size_t)(p - f->buf);
    return true;
}

/* The object numbered n, parsed on first use; NULL when free, missing or malformed. A
 * /Length that leads back to its own stream counts as malformed. */
static const pdf_obj *obj_get(const pdf_file *f, long n)
{
    pdf_obj *o = obj_at(f, n);
    if (!o || o->state == OBJ_PARSED)
        return o && o->state == OBJ_PARSED ? o : NULL;
    if (o->state != OBJ_USED)
        return NULL;
    o->state = OBJ_PARSING;
    o->state = parse_obj(f, n, o) ? OBJ_PARSED : OBJ_BROKEN;
    return o->state == OBJ_PARSED ? o : NULL;
}

/* ---- cross-reference tables -------------------------------------------------------- */

/* Offset of the last cross-reference section: "startxref\nN" near the end. */
static long last_startxref(const char *buf, size_t len)
{
    static const char key[] = "startxref";
    size_t k = sizeof key - 1, from = len > 1024 ? len - 1024 : 0;
    for (size_t i = len >= k ? len - k + 1 : 0; i-- > from;)
        if (!memcmp(buf + i, key, k)) {
            const char *p = buf + i + k;
            return tk_int(lex(&p, buf + len));
        }
    return -1;
}

/* Entries of one subsection ("first count" then 20-byte lines). A number keeps the
 * entry of the newest section that lists it: sections are read newest first. */
static bool read_entries(pdf_file *f, const char **pp, long first, long count)
{
    const char *p = *pp, *end = f->buf + f->len;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    p += p < end && *p == '\r';
    p += p < end && *p == '\n';
    if (first < 0 || count < 0 || first + count > MAX_OBJECTS || count > (end - p) / 20)
        return false;
    if ((size_t)(first + count) > f->objs->len)
        g_array_set_size(f->objs, (guint)(first + count));
    for (long i = 0; i < count; i++, p += 20) {
        long off = tk_int((token){TK_NUM, p, 10});
        long gen = tk_int((token){TK_NUM, p + 11, 5});
        if (off < 0 || gen < 0 || p[10] != ' ' || p[16] != ' ' ||
            (p[17] != 'n' && p[17] != 'f'))
            return false;
        pdf_obj *o = obj_at(f, first + i);
        if (o->state != OBJ_UNSET)
            continue;
        if (p[17] == 'f' || first + i == 0) {
            o->state = OBJ_FREE;
            continue;
        }
        if (gen != 0 || (size_t)off >= f->len)
            return false;
        o->state = OBJ_USED;
        o->start = (size_t)off;
    }
    *pp = p;
    return true;
}

/* The trailer after a section: the newest one gives /Size, /Root and /Info. */
static bool read_trailer(pdf_file *f, const char *p, bool newest, long *prev)
{
    const char *end = f->buf + f->len, *vs, *ve, *d = p;
    const char *dummy;
    if (!skip_value(&p, end, &dummy))
        return false;
    if (dict_get(d, p, "/Encrypt", &vs, &ve) || dict_get(d, p, "/XRefStm", &vs, &ve))
        return false;
    *prev = -1;
    if (dict_get(d, p, "/Prev", &vs, &ve) && (*prev = tk_int(lex(&vs, ve))) < 0)
        return false;
    if (!newest)
        return true;
    if (!dict_get(d, p, "/Size", &vs, &ve) || (f->size = tk_int(lex(&vs, ve))) <= 0 ||
        !dict_get(d, p, "/Root", &vs, &ve) || !lex_ref(&vs, ve, &f->root))
        return false;
    f->info = -1;
    return !dict_get(d, p, "/Info", &vs, &ve) || lex_ref(&vs, ve, &f->info);
}

/* One section at off: "xref", subsections, "trailer" and its dictionary. */
static bool read_section(pdf_file *f, long off, bool newest, long *prev)
{
    const char *p = f->buf + off, *end = f->buf + f->len;
    if (!tk_is(lex(&p, end), "xref"))
        return false;
    for (;;) {
        token t = lex(&p, end);
        if (tk_is(t, "trailer"))
            return read_trailer(f, p, newest, prev);
        long first = tk_int(t), count = tk_int(lex(&p, end));
        if (first < 0 || !read_entries(f, &p, first, count))
            return false;
    }
}

/* Follows startxref and the /Prev chain, newest section first. */
static bool pdf_open(pdf_file *f, const char *buf, size_t len)
{
    *f = (pdf_file){buf, len, g_array_new(FALSE, TRUE, sizeof(pdf_obj)), 0, 0, -1};
    if (len < 16 || memcmp(buf, "%PDF-", 5) != 0)
        return false;
    long off = last_startxref(buf, len);
    for (int i = 0; off >= 0; i++) {
        long prev;
        if (i == MAX_XREF_SECTIONS || (size_t)off >= len ||
            !read_section(f, off, i == 0, &prev))
            return false;
        off = prev;
    }
    return f->root > 0;
}

static void pdf_close(pdf_file *f)
{
    g_array_free(f->objs, TRUE);
}

/* ---- stand-ins --------------------------------------------------------------------- */

/* The slot a stand-in's content marks: cairo writes "q 0 0 0 rg /a0 gs X 10 1 1 re f Q"
 * for the square of cairo_out.c's draw_slot, X = 10 + slot. Any other operator or a
 * second square means a real drawing: -1. */
static long content_slot(const char *s, size_t n)
{
    static const char *const harmless[] = {"q", "Q", "rg", "g", "gs", "f", "cm"};
    const char *p = s, *end = s + n;
    token args[6]; /* operands of the current operator; cm has the most */
    int nargs = 0, squares = 0;
    long slot = -1;
    for (token t; (t = lex(&p, end)).kind != TK_END;) {
        if (t.kind == TK_NUM || t.kind == TK_NAME) {
            if (nargs == (int)G_N_ELEMENTS(args))
                return -1;
            args[nargs++] = t;
            continue;
        }
        if (t.kind != TK_WORD)
            return -1;
        if (tk_is(t, "re")) {
            long x = nargs == 4 ? tk_int(args[0]) : -1;
            if (x < 10 || !tk_is(args[1], "10") || !tk_is(args[2], "1") ||
                !tk_is(args[3], "1"))
                return -1;
            slot = x - 10;
            squares++;
        } else {
            bool ok = false;
            for (size_t i = 0; i < G_N_ELEMENTS(harmless) && !ok; i++)
                ok = tk_is(t, harmless[i]);
            if (!ok)
                return -1;
        }
        nargs = 0;
    }
    return squares == 1 ? slot : -1;
}

/* A stream's content, up to `cap` bytes of it (*whole when that is all of it); NULL
 * when it cannot be read. Only no filter or /FlateDecode (all cairo and qpdf write
 * here) are read; a content that only matters by its start is not inflated further. */
static GString *stream_data(const pdf_file *f, const pdf_obj *o, size_t cap, bool *whole)
{
    const char *d = f->buf + o->val, *de = f->buf + o->val_end, *vs, *ve;
    const char *data = f->buf + o->data;
    if (!o->data || dict_get(d, de, "/DecodeParms", &vs, &ve))
        return NULL;
    if (!dict_get(d, de, "/Filter", &vs, &ve)) {
        GString *s = g_string_sized_new(MIN(o->data_len, cap));
        g_string_append_len(s, data, (gssize)MIN(o->data_len, cap));
        *whole = s->len == o->data_len;
        return s;
    }
    if (!tk_is(lex(&vs, ve), "/FlateDecode") || lex(&vs, ve).kind != TK_END ||
        o->data_len > UINT_MAX)
        return NULL;
    z_stream z = {0};
    if (inflateInit(&z) != Z_OK)
        return NULL;
    GString *s = g_string_sized_new(MIN(o->data_len * 4, cap));
    char buf[16384];
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)o->data_len;
    int rc;
    do {
        z.next_out = (Bytef *)buf;
        z.avail_out = (uInt)MIN(sizeof buf, cap - s->len);
        rc = inflate(&z, Z_NO_FLUSH);
        g_string_append_len(s, buf, (gssize)((char *)z.next_out - buf));
    } while (rc == Z_OK && s->len < cap);
    inflateEnd(&z);
    *whole = rc == Z_STREAM_END;
    if (rc != Z_STREAM_END && !(s->len == cap && (rc == Z_OK || rc == Z_BUF_ERROR))) {
        g_string_free(s, TRUE);
        return NULL;
    }
    return s;
}

/* A stream's whole content, NULL when it cannot be read. */
static GString *stream_inflate(const pdf_file *f, const pdf_obj *o)
{
    bool whole;
    GString *s = stream_data(f, o, SIZE_MAX, &whole);
    if (s && !whole) {
        g_string_free(s, TRUE);
        return NULL;
    }
    return s;
}

/* The slot of form object o, or -1 when it is not a stand-in. Stand-ins are a few
 * dozen bytes: a form whose content does not fit in 512 is something else. */
static long stand_in_slot(const pdf_file *f, const pdf_obj *o)
{
    const char *d = f->buf + o->val, *de = f->buf + o->val_end;
    if (!o->data || !dict_has_name(d, de, "/Subtype", "/Form"))
        return -1;
    bool whole;
    GString *c = stream_data(f, o, 512, &whole);
    long slot = c && whole ? content_slot(c->str, c->len) : -1;
    if (c)
        g_string_free(c, TRUE);
    return slot;
}

/* ---- values, streams and pages ----------------------------------------------------- */

/* The value [*vs, *ve) itself, or, when it is a reference, the value of its object. */
static bool deref(const pdf_file *f, const char **vs, const char **ve)
{
    const char *p = *vs;
    long num;
    if (!lex_ref(&p, *ve, &num))
        return true;
    const pdf_obj *o = obj_get(f, num);
    if (!o)
        return false;
    *vs = f->buf + o->val;
    *ve = f->buf + o->val_end;
    return true;
}

/* The value of `key` in the dictionary d, followed when it is a reference. */
static bool dict_get_deref(const pdf_file *f, const char *d, const char *de, const char *key,
                           const char **vs, const char **ve)
{
    return dict_get(d, de, key, vs, ve) && deref(f, vs, ve);
}

/* Object `num` as a stream of `data`, deflated. */
static void append_stream_object(GString *out, long num, const char *extra, const char *data,
                                 size_t len)
{
    uLongf n = compressBound((uLong)len);
    unsigned char *z = g_malloc(n);
    bool zipped = compress2(z, &n, (const Bytef *)data, (uLong)len, 6) == Z_OK;
    g_string_append_printf(out, "%ld 0 obj\n<< %s%s/Length %lu >>\nstream\n", num,
                           extra ? extra : "", zipped ? "/Filter /FlateDecode " : "",
                           zipped ? (unsigned long)n : (unsigned long)len);
    if (zipped)
        g_string_append_len(out, (const char *)z, (gssize)n);
    else
        g_string_append_len(out, data, (gssize)len);
    g_string_append(out, "\nendstream\nendobj\n");
    g_free(z);
}

/* The page objects under page tree node `num`, in order (cairo writes one flat /Pages
 * node; nesting is followed). */
static bool page_list(const pdf_file *f, long num, int depth, GArray *pages)
{
    const pdf_obj *o = obj_get(f, num);
    if (!o || depth > MAX_PAGE_DEPTH)
        return false;
    const char *d = f->buf + o->val, *de = f->buf + o->val_end, *vs, *ve, *at;
    if (dict_has_name(d, de, "/Type", "/Page")) {
        g_array_append_val(pages, num);
        return true;
    }
    if (!dict_has_name(d, de, "/Type", "/Pages") || !dict_get(d, de, "/Kids", &vs, &ve))
        return false;
    long kid;
    ref_scan rs = scan_refs(vs, ve);
    while (next_ref(&rs, &at, &kid))
        if (!page_list(f, kid, depth + 1, pages))
            return false;
    return !rs.bad;
}

/* The document's pages in order. */
static bool document_pages(const pdf_file *f, GArray *pages)
{
    const pdf_obj *cat = obj_get(f, f->root);
    const char *vs, *ve;
    long num;
    return cat && dict_get(f->buf + cat->val, f->buf + cat->val_end, "/Pages", &vs, &ve) &&
           lex_ref(&vs, ve, &num) && page_list(f, num, 0, pages);
}

/* The array the ParentTree gives for a page's /StructParents: [*vs, *ve), and its
 * object number in *num (0 when the array is written directly). */
static bool parent_tree_array(const pdf_file *f, long key, const char **vs, const char **ve,
                              long *num)
{
    const pdf_obj *cat = obj_get(f, f->root);
    const char *s, *e;
    if (!cat || key < 0 ||
        !dict_get_deref(f, f->buf + cat->val, f->buf + cat->val_end, "/StructTreeRoot", &s,
                        &e) ||
        !dict_get_deref(f, s, e, "/ParentTree", &s, &e) ||
        !dict_get_deref(f, s, e, "/Nums", &s, &e) || lex(&s, e).kind != TK_ARR)
        return false;
    for (;;) {
        const char *v;
        token k = lex(&s, e);
        if (k.kind != TK_NUM || !skip_value(&s, e, &v))
            return false;
        if (tk_int(k) != key)
            continue;
        const char *p = v;
        *num = 0;
        if (lex_ref(&p, s, num)) {
            const pdf_obj *o = obj_get(f, *num);
            if (!o || o->data)
                return false;
            *vs = f->buf + o->val;
            *ve = f->buf + o->val_end;
        } else {
            *vs = v;
            *ve = s;
        }
        return true;
    }
}

/* The items of an array value: item i is [starts[i], ends[i]). */
static bool array_items(const char *p, const char *end, GArray *starts, GArray *ends)
{
    if (lex(&p, end).kind != TK_ARR)
        return false;
    for (;;) {
        const char *q = p, *v;
        if (lex(&q, end).kind == TK_ARR_END)
            return true;
        if (!skip_value(&p, end, &v))
            return false;
        g_array_append_val(starts, v);
        g_array_append_val(ends, p);
    }
}

/* ---- the template ------------------------------------------------------------------ */

typedef struct {
    size_t start, len;
} span;

typedef struct {
    long num;          /* its object number, kept for the new form */
    size_t slot;
    double w, h;       /* its /BBox: the page it stands on */
} stand_in;

/* The resource subdictionaries whose names the content uses. */
static const char *const RES_KINDS[] = {"/ExtGState", "/Font", "/XObject", "/Pattern",
                                        "/Shading", "/ColorSpace", "/Properties"};

enum { N_RES_KINDS = G_N_ELEMENTS(RES_KINDS) };

/* Where a slot's student elements go in the template's structure tree. The template
 * reserves an element for the slot (a Div whose marked content paints the stand-in);
 * each student's elements take its place among its parent's kids. Their content goes
 * into the page's own content, between what the template draws before the stand-in and
 * what it draws after (the page lists three streams), with its marked content numbered
 * after the page's own (`base` on) and listed in the page's ParentTree array: readers
 * look for a page's marked content in the page's content, not in the forms it paints.
 * The slot's own marked-content sequence goes, so that the student's are not nested in
 * it; the student's resources join the page's under names of their own. */
typedef struct {
    bool tagged;       /* false: an untagged template, the drawing goes in as a form */
    long page;         /* the page object */
    const char *page_s, *page_e; /* its value in the template */
    const char *res_s, *res_e;   /* its resources */
    const char *kind_s[N_RES_KINDS], *kind_e[N_RES_KINDS]; /* their subdictionaries */
    long stand_in;     /* the stand-in form: its number holds the student's content */
    long content;      /* the page's content stream: now what comes before the slot */
    long after;        /* a new stream: what comes after it */
    GString *before_obj, *after_obj; /* those two objects, made once */
    GString *before_raw, *after_raw; /* their content until then */
    long parents;      /* the page's ParentTree array */
    const char *pt_s, *pt_e; /* its value in the template */
    long mcid;         /* the slot's MCID: its entry becomes null */
    long base;         /* the array's length: the student's first MCID */
    long elem, parent; /* the slot's element and the element it is a kid of */
    const char *par_s, *par_e; /* the parent's value in the template */
} slot_tree;

struct cp_pdf_template {
    char *buf;
    size_t len;
    size_t slots;
    GArray *runs;      /* span: template bytes written as they are, in file order */
    size_t fixed_len;  /* the header and the runs: where per-call objects begin */
    GArray *stand_ins; /* stand_in, by object number */
    slot_tree *trees;  /* by slot */
    GArray *patched;   /* long: template objects written again per call, ascending */
    GString *xref;     /* 20-byte entries 0..size-1; per-call objects' offsets patched */
    long size, root, info;
};

typedef struct {
    size_t start;
    long num;
} placed;

static int by_start(const void *a, const void *b)
{
    const placed *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Every object in use is parsed; the stand-ins are set apart, the others listed by
 * their place in the file (the order they are written in). */
static bool sort_objects(cp_pdf_template *t, const pdf_file *f, GArray *order)
{
    for (long n = 1; n < (long)f->objs->len; n++) {
        if (obj_at(f, n)->state == OBJ_FREE || obj_at(f, n)->state == OBJ_UNSET)
            continue;
        const pdf_obj *o = obj_get(f, n);
        if (!o)
            return false;
        long slot = stand_in_slot(f, o);
        if (slot < 0) {
            g_array_append_val(order, ((placed){o->start, n}));
            continue;
        }
        stand_in s = {n, (size_t)slot, 0, 0};
        const char *vs, *ve, *de = f->buf + o->val_end;
        if ((size_t)slot >= t->slots || !dict_get(f->buf + o->val, de, "/BBox", &vs, &ve) ||
            !read_box(vs, ve, &s.w, &s.h))
            return false; /* a stand-in the caller does not know would stay visible */
        g_array_append_val(t->stand_ins, s);
    }
    qsort(order->data, order->len, sizeof(placed), by_start);
    return true;
}

/* ---- the template's structure around its slots ------------------------------------- */

/* The marked-content sequence with an MCID innermost around "name Do" in content c:
 * its MCID, and the spans of its BDC (with the operands), of its EMC and of the "name
 * Do". False when there is none, or on syntax this does not read (inline images). */
static bool slot_sequence(const GString *c, token name, long *mcid, size_t cut[6])
{
    typedef struct { const char *s, *e; long mcid; bool slot; } open_mc;
    enum { MAX_DEPTH = 64 };
    open_mc stack[MAX_DEPTH];
    int depth = 0;
    const char *p = c->str, *end = c->str + c->len, *ops = NULL;
    long mc = -1;
    bool mcid_next = false, found = false;
    token last = {TK_END, p, 0};
    for (token t; (t = lex(&p, end)).kind != TK_END;) {
        if (t.kind == TK_BAD)
            return false;
        if (t.kind != TK_WORD) {
            ops = ops ? ops : t.s;
            if (mcid_next && t.kind == TK_NUM)
                mc = tk_int(t);
            mcid_next = t.kind == TK_NAME && tk_is(t, "/MCID");
            last = t;
            continue;
        }
        if (tk_is(t, "BI") || tk_is(t, "ID"))
            return false;
        if (tk_is(t, "BDC") || tk_is(t, "BMC")) {
            if (depth == MAX_DEPTH)
                return false;
            stack[depth++] = (open_mc){ops ? ops : t.s, t.s + t.n,
                                       tk_is(t, "BDC") ? mc : -1, false};
        } else if (tk_is(t, "EMC")) {
            if (depth == 0)
                return false;
            if (stack[--depth].slot) {
                cut[2] = (size_t)(t.s - c->str);
                cut[3] = cut[2] + t.n;
                found = true;
            }
        } else if (tk_is(t, "Do") && last.kind == TK_NAME && last.n == name.n &&
                   !memcmp(last.s, name.s, name.n)) {
            int k = depth - 1;
            while (k >= 0 && stack[k].mcid < 0)
                k--;
            if (k < 0 || *mcid >= 0)
                return false;   /* outside tagged content, or drawn twice */
            stack[k].slot = true;
            *mcid = stack[k].mcid;
            cut[0] = (size_t)(stack[k].s - c->str);
            cut[1] = (size_t)(stack[k].e - c->str);
            cut[4] = (size_t)(last.s - c->str);
            cut[5] = (size_t)(t.s + t.n - c->str);
        }
        ops = NULL;
        mc = -1;
        mcid_next = false;
        last = t;
    }
    return found && depth == 0;
}

/* The stand-in drawn on a page: its slot and its name in the page's /XObject
 * resources; -1 when none, -2 when more than one (not a page this assembler fills). */
static long page_stand_in(const cp_pdf_template *t, const pdf_file *f, const pdf_obj *pg,
                          token *name)
{
    const char *d = f->buf + pg->val, *de = f->buf + pg->val_end, *vs, *ve;
    if (!dict_get_deref(f, d, de, "/Resources", &vs, &ve) ||
        !dict_get_deref(f, vs, ve, "/XObject", &vs, &ve) || lex(&vs, ve).kind != TK_DICT)
        return -1;
    long slot = -1;
    for (;;) {
        token k = lex(&vs, ve);
        const char *v, *r;
        long num;
        if (k.kind != TK_NAME || !skip_value(&vs, ve, &v))
            return slot;
        r = v;
        if (!lex_ref(&r, vs, &num))
            continue;
        for (guint i = 0; i < t->stand_ins->len; i++) {
            const stand_in *si = &g_array_index(t->stand_ins, stand_in, i);
            if (si->num != num)
                continue;
            if (slot >= 0)
                return -2;
            slot = (long)si->slot;
            *name = k;
        }
    }
}

static long stand_in_num(const cp_pdf_template *t, size_t slot)
{
    for (guint i = 0; i < t->stand_ins->len; i++)
        if (g_array_index(t->stand_ins, stand_in, i).slot == slot)
            return g_array_index(t->stand_ins, stand_in, i).num;
    return 0;
}

/* A page's slot: where its element is, and the page's content without the slot's own
 * marked-content sequence. An untagged template (no /StructParents) keeps its content. */
static bool find_slot_tree(cp_pdf_template *t, const pdf_file *f, long page)
{
    const pdf_obj *pg = obj_get(f, page);
    token name = {TK_END, NULL, 0};
    long slot = pg ? page_stand_in(t, f, pg, &name) : -2;
    if (slot == -1)
        return true;
    if (slot < 0 || t->trees[slot].tagged)
        return false;
    const char *d = f->buf + pg->val, *de = f->buf + pg->val_end, *vs, *ve;
    slot_tree *tr = &t->trees[slot];
    long key;
    if (!dict_get(d, de, "/StructParents", &vs, &ve) || (key = tk_int(lex(&vs, ve))) < 0)
        return true;
    const pdf_obj *content;
    if (!parent_tree_array(f, key, &tr->pt_s, &tr->pt_e, &tr->parents) || !tr->parents ||
        !dict_get(d, de, "/Contents", &vs, &ve) || !lex_ref(&vs, ve, &tr->content) ||
        !(content = obj_get(f, tr->content)))
        return false;
    GString *c = stream_inflate(f, content);
    size_t cut[6];
    tr->mcid = -1;
    bool ok = c && slot_sequence(c, name, &tr->mcid, cut);
    GArray *starts = g_array_new(FALSE, FALSE, sizeof(char *));
    GArray *ends = g_array_new(FALSE, FALSE, sizeof(char *));
    ok = ok && array_items(tr->pt_s, tr->pt_e, starts, ends) && tr->mcid < (long)starts->len;
    if (ok) {
        const char *it = g_array_index(starts, const char *, tr->mcid);
        const pdf_obj *e;
        const pdf_obj *par;
        ok = lex_ref(&it, tr->pt_e, &tr->elem) && (e = obj_get(f, tr->elem)) &&
             dict_get(f->buf + e->val, f->buf + e->val_end, "/P", &vs, &ve) &&
             lex_ref(&vs, ve, &tr->parent) && (par = obj_get(f, tr->parent)) && !par->data;
        if (ok) {
            tr->par_s = f->buf + par->val;
            tr->par_e = f->buf + par->val_end;
        }
        tr->base = (long)starts->len;
    }
    ok = ok && cut[1] <= cut[4] && cut[5] <= cut[2] &&
         dict_get_deref(f, d, de, "/Resources", &tr->res_s, &tr->res_e);
    if (ok) {
        tr->before_raw = g_string_new(NULL);
        g_string_append_len(tr->before_raw, c->str, (gssize)cut[0]);
        g_string_append_len(tr->before_raw, c->str + cut[1], (gssize)(cut[4] - cut[1]));
        tr->after_raw = g_string_new(NULL);
        g_string_append_len(tr->after_raw, c->str + cut[5], (gssize)(cut[2] - cut[5]));
        g_string_append_len(tr->after_raw, c->str + cut[3], (gssize)(c->len - cut[3]));
        for (size_t k = 0; k < N_RES_KINDS; k++)
            if (!dict_get_deref(f, tr->res_s, tr->res_e, RES_KINDS[k], &tr->kind_s[k],
                                &tr->kind_e[k]))
                tr->kind_s[k] = tr->kind_e[k] = NULL;
        tr->page = page;
        tr->page_s = d;
        tr->page_e = de;
        tr->stand_in = stand_in_num(t, (size_t)slot);
        tr->tagged = true;
    }
    g_array_free(starts, TRUE);
    g_array_free(ends, TRUE);
    if (c)
        g_string_free(c, TRUE);
    return ok;
}

static int by_num(const void *a, const void *b)
{
    const long *x = a, *y = b;
    return *x < *y ? -1 : *x > *y;
}

static bool is_patched(const cp_pdf_template *t, long num)
{
    /* An untagged template has none (and GArray's data may then be NULL). */
    return t->patched->len &&
           bsearch(&num, t->patched->data, t->patched->len, sizeof(long), by_num) != NULL;
}

/* Every slot's tree; the objects written again per call (each slot's page, its
 * content and ParentTree array, the slot element's parent) listed once, ascending
 * (plan_template adds the new streams and sorts again). */
static bool find_trees(cp_pdf_template *t, const pdf_file *f)
{
    GArray *pages = g_array_new(FALSE, FALSE, sizeof(long));
    bool ok = document_pages(f, pages);
    for (guint i = 0; ok && i < pages->len; i++)
        ok = find_slot_tree(t, f, g_array_index(pages, long, i));
    g_array_free(pages, TRUE);
    for (size_t s = 0; ok && s < t->slots; s++) {
        const slot_tree *tr = &t->trees[s];
        if (!tr->tagged)
            continue;
        long nums[4] = {tr->content, tr->parents, tr->parent, tr->page};
        for (int k = 0; k < 4; k++) {
            bool dup = false;
            for (guint i = 0; i < t->patched->len; i++)
                dup = dup || g_array_index(t->patched, long, i) == nums[k];
            if (!dup)
                g_array_append_val(t->patched, nums[k]);
        }
    }
    if (t->patched->len)
        qsort(t->patched->data, t->patched->len, sizeof(long), by_num);
    return ok;
}

/* Runs of adjacent objects, and the entries of the new table for them. */
static bool plan_runs(cp_pdf_template *t, const pdf_file *f, const GArray *order,
                      size_t *offsets)
{
    size_t out = sizeof HEADER - 1;
    span *run = NULL;
    for (guint i = 0; i < order->len; i++) {
        const placed *pl = &g_array_index(order, placed, i);
        const pdf_obj *o = obj_at(f, pl->num);
        bool adjacent = run && run->start + run->len == o->start;
        if (run && run->start + run->len > o->start)
            return false; /* overlapping objects: not a file we understand */
        if (!adjacent) {
            g_array_append_val(t->runs, ((span){o->start, 0}));
            run = &g_array_index(t->runs, span, t->runs->len - 1);
        }
        offsets[pl->num] = out;
        run->len = o->end - run->start;
        out += o->end - o->start;
    }
    t->fixed_len = sizeof HEADER - 1;
    for (guint i = 0; i < t->runs->len; i++)
        t->fixed_len += g_array_index(t->runs, span, i).len;
    return true;
}

/* Entries 0..size-1: the template objects at their new offsets, stand-ins as
 * placeholders, every other number free (chained from entry 0, as the format asks). */
static void plan_xref(cp_pdf_template *t, const size_t *offsets, const bool *in_use)
{
    long next_free = 0;
    GString *x = g_string_sized_new((gsize)t->size * 20);
    g_string_set_size(x, (gsize)t->size * 20);
    for (long n = t->size - 1; n >= 0; n--) {
        char e[21];
        if (n > 0 && in_use[n]) {
            snprintf(e, sizeof e, "%010zu 00000 n \n", offsets[n]);
        } else {
            snprintf(e, sizeof e, "%010ld 65535 f \n", next_free);
            next_free = n;
        }
        memcpy(x->str + n * 20, e, 20);
    }
    t->xref = x;
}

static bool plan_template(cp_pdf_template *t, const pdf_file *f)
{
    GArray *order = g_array_new(FALSE, FALSE, sizeof(placed));
    bool ok = sort_objects(t, f, order) && find_trees(t, f);
    /* The objects written per call leave the fixed part, and so do the slots' own
     * elements: the students' take their places (their numbers are free). */
    guint kept = 0;
    for (guint i = 0; ok && i < order->len; i++) {
        long num = g_array_index(order, placed, i).num;
        bool slot_elem = false;
        for (size_t s = 0; s < t->slots; s++)
            slot_elem = slot_elem || (t->trees[s].tagged && t->trees[s].elem == num);
        if (!is_patched(t, num) && !slot_elem)
            g_array_index(order, placed, kept++) = g_array_index(order, placed, i);
    }
    if (ok)
        g_array_set_size(order, kept);
    for (size_t s = 0; ok && s < t->slots; s++) {
        bool found = false;
        for (guint i = 0; i < t->stand_ins->len && !found; i++)
            found = g_array_index(t->stand_ins, stand_in, i).slot == s;
        ok = found;
    }
    /* Numbers run up to the largest in use even if /Size says less. */
    t->size = MAX(f->size, (long)f->objs->len);
    /* Each slot's page gets a stream for what the template draws after the slot. */
    for (size_t s = 0; ok && s < t->slots; s++) {
        slot_tree *tr = &t->trees[s];
        if (!tr->tagged)
            continue;
        tr->after = t->size++;
        g_array_append_val(t->patched, tr->after);
        tr->before_obj = g_string_new(NULL);
        append_stream_object(tr->before_obj, tr->content, NULL, tr->before_raw->str,
                             tr->before_raw->len);
        tr->after_obj = g_string_new(NULL);
        append_stream_object(tr->after_obj, tr->after, NULL, tr->after_raw->str,
                             tr->after_raw->len);
    }
    if (t->patched->len)
        qsort(t->patched->data, t->patched->len, sizeof(long), by_num);
    size_t *offsets = g_new0(size_t, (gsize)t->size);
    bool *in_use = g_new0(bool, (gsize)t->size);
    for (guint i = 0; ok && i < order->len; i++)
        in_use[g_array_index(order, placed, i).num] = true;
    for (guint i = 0; ok && i < t->stand_ins->len; i++)
        in_use[g_array_index(t->stand_ins, stand_in, i).num] = true;
    for (guint i = 0; ok && i < t->patched->len; i++)
        in_use[g_array_index(t->patched, long, i)] = true;
    ok = ok && plan_runs(t, f, order, offsets);
    if (ok)
        plan_xref(t, offsets, in_use);
    g_free(in_use);
    g_free(offsets);
    g_array_free(order, TRUE);
    return ok;
}

cp_pdf_template *pdf_template_new(const char *pdf, size_t len, size_t slots)
{
    if (!pdf || slots == 0)
        return NULL;
    cp_pdf_template *t = g_new0(cp_pdf_template, 1);
    /* A NUL after the bytes, so no scan can run off the end. */
    t->buf = g_malloc(len + 1);
    memcpy(t->buf, pdf, len);
    t->buf[len] = '\0';
    t->len = len;
    t->slots = slots;
    t->runs = g_array_new(FALSE, FALSE, sizeof(span));
    t->stand_ins = g_array_new(FALSE, FALSE, sizeof(stand_in));
    t->trees = g_new0(slot_tree, slots);
    t->patched = g_array_new(FALSE, FALSE, sizeof(long));
    pdf_file f;
    bool ok = pdf_open(&f, t->buf, len) && plan_template(t, &f);
    t->root = f.root;
    t->info = f.info;
    pdf_close(&f);
    if (!ok) {
        pdf_template_free(t);
        return NULL;
    }
    return t;
}

void pdf_template_free(cp_pdf_template *t)
{
    if (!t)
        return;
    g_free(t->buf);
    g_array_free(t->runs, TRUE);
    g_array_free(t->stand_ins, TRUE);
    for (size_t s = 0; s < t->slots; s++) {
        GString *parts[4] = {t->trees[s].before_obj, t->trees[s].after_obj,
                             t->trees[s].before_raw, t->trees[s].after_raw};
        for (int k = 0; k < 4; k++)
            if (parts[k])
                g_string_free(parts[k], TRUE);
    }
    g_free(t->trees);
    g_array_free(t->patched, TRUE);
    if (t->xref)
        g_string_free(t->xref, TRUE);
    g_free(t);
}

/* ---- the overlay ------------------------------------------------------------------- */

/* What one overlay page gives its stand-in. */
typedef struct {
    long num;                 /* the page object */
    long struct_parents;      /* its /StructParents, -1 when none */
    token w, h;               /* /MediaBox width and height, as written */
    const char *res, *res_end; /* /Resources: a reference or a dictionary */
    const pdf_obj *content;
    const char *filter, *filter_end; /* the content's /Filter, NULL when none */
} ov_page;

typedef struct {
    pdf_file f;
    GArray *pages;  /* ov_page, in page order */
    long *renum;    /* overlay number → output number, 0 when not copied */
    GArray *copied; /* overlay numbers copied, ascending */
    long doc;       /* the overlay's root structure element, 0 when untagged */
    GArray *tops;   /* long: the root's kids, in order (each a slot's element) */
    long *slot_of;  /* overlay number → the slot of the element, -1 when not one */
} overlay;

/* cairo starts every page's content with the flip into its y-down space,
 * "1 0 0 -1 0 H cm" (the finisher may have begun an artifact before it); the form's
 * /Matrix counts on it. */
static bool starts_with_flip(const pdf_file *f, const ov_page *pg)
{
    static const char *const flip[] = {"1", "0", "0", "-1", "0"};
    bool whole;
    double h, page_h;
    GString *head = stream_data(f, pg->content, 96, &whole);
    if (!head)
        return false;
    const char *p = head->str, *end = head->str + head->len, *q = p;
    if (tk_is(lex(&q, end), "/Artifact") && tk_is(lex(&q, end), "BMC"))
        p = q;
    bool ok = true;
    for (size_t i = 0; i < G_N_ELEMENTS(flip) && ok; i++)
        ok = tk_is(lex(&p, end), flip[i]);
    ok = ok && tk_real(lex(&p, end), &h) && tk_real(pg->h, &page_h) &&
         fabs(h - page_h) < 0.01 && tk_is(lex(&p, end), "cm");
    g_string_free(head, TRUE);
    return ok;
}

static bool add_page(overlay *ov, long page)
{
    const pdf_file *f = &ov->f;
    const pdf_obj *o = obj_get(f, page);
    const char *d = f->buf + o->val, *de = f->buf + o->val_end, *vs, *ve;
    ov_page pg = {.num = page, .struct_parents = -1};
    double w, h;
    long num;
    if (!dict_get(d, de, "/MediaBox", &vs, &ve) || !read_box(vs, ve, &w, &h))
        return false;
    lex(&vs, ve); /* "[" 0 0 */
    lex(&vs, ve);
    lex(&vs, ve);
    pg.w = lex(&vs, ve);
    pg.h = lex(&vs, ve);
    if (dict_get(d, de, "/StructParents", &vs, &ve))
        pg.struct_parents = tk_int(lex(&vs, ve));
    if (dict_get(d, de, "/Annots", &vs, &ve))
        return false; /* a link would need the page's annotations: none is drawn */
    if (!dict_get(d, de, "/Resources", &pg.res, &pg.res_end) ||
        !dict_get(d, de, "/Contents", &vs, &ve) || !lex_ref(&vs, ve, &num) ||
        !(pg.content = obj_get(f, num)) || !pg.content->data)
        return false; /* cairo writes one content stream per page */
    d = f->buf + pg.content->val;
    de = f->buf + pg.content->val_end;
    if (dict_get(d, de, "/DecodeParms", &vs, &ve))
        return false;
    /* No filter or /FlateDecode, as starts_with_flip makes sure. */
    dict_get(d, de, "/Filter", &pg.filter, &pg.filter_end);
    if (!starts_with_flip(f, &pg))
        return false;
    g_array_append_val(ov->pages, pg);
    return true;
}

/* Marks what [p, end) refers to, and what that refers to in turn (never into stream
 * data). Reaching a page, the page tree or the catalog means resources that point
 * back at the document: refused. */
static bool mark_reachable(overlay *ov, const char *p, const char *end, bool *seen)
{
    GArray *todo = g_array_new(FALSE, FALSE, sizeof(long));
    const char *at, *vs, *ve;
    long num;
    bool ok = true;
    for (;;) {
        ref_scan rs = scan_refs(p, end);
        while (ok && next_ref(&rs, &at, &num)) {
            ok = obj_get(&ov->f, num) != NULL;
            if (ok && !seen[num]) {
                seen[num] = true;
                g_array_append_val(todo, num);
            }
        }
        ok = ok && !rs.bad;
        if (!ok || todo->len == 0)
            break;
        num = g_array_index(todo, long, todo->len - 1);
        g_array_set_size(todo, todo->len - 1);
        const pdf_obj *o = obj_at(&ov->f, num);
        p = ov->f.buf + o->val;
        end = ov->f.buf + o->val_end;
        if (dict_get(p, end, "/Type", &vs, &ve)) {
            token type = lex(&vs, ve);
            ok = !tk_is(type, "/Page") && !tk_is(type, "/Pages") && !tk_is(type, "/Catalog");
        }
    }
    g_array_free(todo, TRUE);
    return ok;
}

/* The slot of every element under `elem` (its element kids, found through /K). */
static bool mark_slot(overlay *ov, long elem, long slot, int depth)
{
    const pdf_obj *o = obj_get(&ov->f, elem);
    const char *vs, *ve, *at;
    if (!o || depth > 100 || ov->slot_of[elem] >= 0)
        return false;   /* a cycle, or an element under two parents */
    ov->slot_of[elem] = slot;
    const char *d = ov->f.buf + o->val, *de = ov->f.buf + o->val_end;
    if (!dict_get(d, de, "/K", &vs, &ve))
        return true;
    if (g_strstr_len(vs, ve - vs, "/OBJR"))
        return false;   /* an annotation's element: not drawn in a student's block */
    long kid;
    ref_scan rs = scan_refs(vs, ve);
    while (next_ref(&rs, &at, &kid)) {
        const pdf_obj *k = obj_get(&ov->f, kid);
        if (!k)
            return false;
        const char *kd = ov->f.buf + k->val, *kde = ov->f.buf + k->val_end, *s, *e;
        if (dict_get(kd, kde, "/S", &s, &e) && !mark_slot(ov, kid, slot, depth + 1))
            return false;
    }
    return !rs.bad;
}

/* The page an element's content is on: its /Pg, else its first kid's (cairo gives /Pg
 * only to elements with content of their own); 0 when none. */
static long elem_page(const overlay *ov, long elem, int depth)
{
    const pdf_obj *o = obj_get(&ov->f, elem);
    const char *vs, *ve, *at;
    long pg;
    if (!o || depth > 100)
        return 0;
    const char *d = ov->f.buf + o->val, *de = ov->f.buf + o->val_end;
    if (dict_get(d, de, "/Pg", &vs, &ve))
        return lex_ref(&vs, ve, &pg) ? pg : 0;
    if (!dict_get(d, de, "/K", &vs, &ve))
        return 0;
    ref_scan rs = scan_refs(vs, ve);
    long kid;
    while (next_ref(&rs, &at, &kid))
        if ((pg = elem_page(ov, kid, depth + 1)) > 0)
            return pg;
    return 0;
}

/* The overlay's structure: its root's kids, each with the slot of its page, and
 * everything they refer to marked for copying but the pages and the root, which the
 * template's own stand for. An overlay without a tree has no elements to add. */
static bool read_structure(overlay *ov, bool *seen)
{
    const pdf_file *f = &ov->f;
    const pdf_obj *cat = obj_get(f, f->root);
    const char *vs, *ve, *at;
    long root;
    if (!dict_get(f->buf + cat->val, f->buf + cat->val_end, "/StructTreeRoot", &vs, &ve))
        return true;
    const char *r = vs;
    if (!lex_ref(&r, ve, &root) || !deref(f, &vs, &ve) || !dict_get(vs, ve, "/K", &vs, &ve))
        return false;
    ref_scan rs = scan_refs(vs, ve);
    const pdf_obj *doc;
    if (!next_ref(&rs, &at, &ov->doc) || next_ref(&rs, &at, &root) || rs.bad ||
        !(doc = obj_get(f, ov->doc)))
        return false;   /* cairo's one root element */
    if (!dict_get(f->buf + doc->val, f->buf + doc->val_end, "/K", &vs, &ve))
        return true;
    /* The pages and the root are the template's: never copied. */
    bool *keep = g_new0(bool, f->objs->len);
    keep[ov->doc] = keep[f->root] = keep[root] = true;
    for (guint i = 0; i < ov->pages->len; i++)
        keep[g_array_index(ov->pages, ov_page, i).num] = true;
    for (size_t i = 0; i < f->objs->len; i++)
        if (keep[i])
            seen[i] = true;
    bool ok = mark_reachable(ov, vs, ve, seen);
    long top;
    rs = scan_refs(vs, ve);
    while (ok && next_ref(&rs, &at, &top)) {
        long pg = elem_page(ov, top, 0), slot = -1;
        ok = pg > 0;
        for (guint i = 0; ok && i < ov->pages->len; i++)
            if (g_array_index(ov->pages, ov_page, i).num == pg)
                slot = (long)i;
        ok = ok && slot >= 0 && mark_slot(ov, top, slot, 0);
        if (ok)
            g_array_append_val(ov->tops, top);
    }
    ok = ok && !rs.bad;
    for (size_t i = 0; i < f->objs->len; i++)
        if (keep[i])
            seen[i] = false;
    g_free(keep);
    return ok;
}

/* The overlay's pages (one per slot of t), the objects their resources need and, when
 * the template is tagged, its structure elements, numbered after the template's
 * objects in the order of their overlay numbers. */
static bool read_overlay(overlay *ov, const cp_pdf_template *t, const char *buf, size_t len)
{
    size_t pages = t->slots;
    long base = t->size;
    bool tagged = true;
    for (size_t s = 0; s < t->slots; s++)
        tagged = tagged && t->trees[s].tagged;
    ov->pages = g_array_new(FALSE, TRUE, sizeof(ov_page));
    ov->copied = g_array_new(FALSE, FALSE, sizeof(long));
    ov->tops = g_array_new(FALSE, FALSE, sizeof(long));
    if (!pdf_open(&ov->f, buf, len))
        return false;
    GArray *nums = g_array_new(FALSE, FALSE, sizeof(long));
    bool ok = document_pages(&ov->f, nums) && nums->len == pages;
    for (guint i = 0; ok && i < nums->len; i++)
        ok = add_page(ov, g_array_index(nums, long, i));
    g_array_free(nums, TRUE);
    if (!ok)
        return false;
    size_t n = ov->f.objs->len;
    bool *seen = g_new0(bool, n);
    ov->slot_of = g_new(long, n);
    for (size_t i = 0; i < n; i++)
        ov->slot_of[i] = -1;
    for (guint i = 0; ok && i < ov->pages->len; i++) {
        const ov_page *pg = &g_array_index(ov->pages, ov_page, i);
        ok = mark_reachable(ov, pg->res, pg->res_end, seen);
    }
    ok = ok && (!tagged || read_structure(ov, seen));
    ov->renum = g_new0(long, n);
    for (size_t i = 0; ok && i < n; i++)
        if (seen[i]) {
            long k = (long)i;
            ov->renum[i] = base + (long)ov->copied->len;
            g_array_append_val(ov->copied, k);
        }
    g_free(seen);
    return ok;
}

static void overlay_free(overlay *ov)
{
    if (ov->f.objs)
        pdf_close(&ov->f);
    if (ov->pages)
        g_array_free(ov->pages, TRUE);
    if (ov->copied)
        g_array_free(ov->copied, TRUE);
    if (ov->tops)
        g_array_free(ov->tops, TRUE);
    g_free(ov->slot_of);
    g_free(ov->renum);
}

/* ---- writing ----------------------------------------------------------------------- */

/* A non-negative number in decimal, zero-padded to `width`: printf is too slow for the
 * dozens of numbers each call writes. */
static void append_num(GString *out, size_t v, int width)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 && n < (int)sizeof digits);
    while (n < width && n < (int)sizeof digits)
        digits[n++] = '0';
    while (n > 0)
        g_string_append_c(out, digits[--n]);
}

/* [p, end) with every reference renumbered (every one is in the map: mark_reachable
 * saw the same text). Strings and comments are copied untouched by construction. */
static void append_renumbered(GString *out, const overlay *ov, const char *p, const char *end)
{
    const char *at;
    long num;
    ref_scan rs = scan_refs(p, end);
    for (const char *from = p; ; from = rs.p) {
        if (!next_ref(&rs, &at, &num)) {
            g_string_append_len(out, from, end - from);
            return;
        }
        g_string_append_len(out, from, at - from);
        append_num(out, (size_t)ov->renum[num], 0);
        g_string_append(out, " 0 R");
    }
}

/* The names of an overlay page's resources (`/f-0-0`, `/a0`...): a student's content
 * uses them under a name of its own in the template page's resources, NAME_MARK
 * prefixed (cairo's own names are lower case). */
#define NAME_MARK "S"

static void resource_names(const pdf_file *f, const char *rs, const char *re, GPtrArray *names)
{
    for (size_t k = 0; k < N_RES_KINDS; k++) {
        const char *vs, *ve, *v;
        if (!dict_get_deref(f, rs, re, RES_KINDS[k], &vs, &ve) || lex(&vs, ve).kind != TK_DICT)
            continue;
        for (token n; (n = lex(&vs, ve)).kind == TK_NAME && skip_value(&vs, ve, &v);)
            g_ptr_array_add(names, g_strndup(n.s, n.n));
    }
}

static bool is_resource_name(const GPtrArray *names, token t)
{
    for (guint i = 0; i < names->len; i++)
        if (tk_is(t, names->pdata[i]))
            return true;
    return false;
}

/* Content c with every marked-content /MCID moved up by `base` and every resource name
 * in `names` marked as the student's; NULL on syntax this does not read (inline
 * images). */
static GString *student_content(const GString *c, long base, const GPtrArray *names)
{
    GString *out = g_string_sized_new(c->len + 256);
    const char *p = c->str, *end = c->str + c->len, *from = p;
    bool next = false;
    for (token t; (t = lex(&p, end)).kind != TK_END;) {
        if (t.kind == TK_BAD || (t.kind == TK_WORD && (tk_is(t, "BI") || tk_is(t, "ID")))) {
            g_string_free(out, TRUE);
            return NULL;
        }
        if (next && tk_int(t) >= 0) {
            g_string_append_len(out, from, t.s - from);
            append_num(out, (size_t)(tk_int(t) + base), 0);
            from = p;
        } else if (t.kind == TK_NAME && is_resource_name(names, t)) {
            g_string_append_len(out, from, t.s - from);
            g_string_append(out, "/" NAME_MARK);
            g_string_append_len(out, t.s + 1, (gssize)(t.n - 1));
            from = p;
        }
        next = t.kind == TK_NAME && tk_is(t, "/MCID");
    }
    g_string_append_len(out, from, end - from);
    return out;
}

/* The student's content of a slot, as the middle one of its page's streams: the
 * overlay page's content under the matrix that undoes the flip cairo put on the
 * template page (the content flips back itself), so that the drawing lands where it was
 * on its own page. */
static bool append_student_stream(GString *out, const cp_pdf_template *t, const overlay *ov,
                                  size_t slot)
{
    const slot_tree *tr = &t->trees[slot];
    const ov_page *pg = &g_array_index(ov->pages, ov_page, slot);
    const char *rs = pg->res, *re = pg->res_end;
    GString *c = stream_inflate(&ov->f, pg->content);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    if (deref(&ov->f, &rs, &re))
        resource_names(&ov->f, rs, re, names);
    GString *own = c ? student_content(c, tr->base, names) : NULL;
    g_ptr_array_free(names, TRUE);
    if (c)
        g_string_free(c, TRUE);
    if (!own)
        return false;
    g_string_prepend(own, "q 1 0 0 -1 0 ");
    g_string_insert_len(own, (gssize)strlen("q 1 0 0 -1 0 "), pg->h.s, (gssize)pg->h.n);
    g_string_insert(own, (gssize)(strlen("q 1 0 0 -1 0 ") + pg->h.n), " cm\n");
    g_string_append(own, "\nQ\n");
    append_stream_object(out, tr->stand_in, NULL, own->str, own->len);
    g_string_free(own, TRUE);
    return true;
}

/* What a rewritten dictionary's values are written for. */
typedef struct {
    const cp_pdf_template *t;
    const overlay *ov;
    size_t slot;
} rewrite;

typedef bool (*value_fn)(GString *out, token key, const char *v, const char *ve,
                         const rewrite *rw);

/* Object `num` holding the dictionary [p, end) again, each value written by `fn`. */
static bool append_dict_object(GString *out, long num, const char *p, const char *end,
                               value_fn fn, const rewrite *rw)
{
    const char *v;
    if (lex(&p, end).kind != TK_DICT)
        return false;
    append_num(out, (size_t)num, 0);
    g_string_append(out, " 0 obj\n<<");
    for (;;) {
        token k = lex(&p, end);
        if (k.kind == TK_DICT_END)
            break;
        if (k.kind != TK_NAME || !skip_value(&p, end, &v))
            return false;
        g_string_append_c(out, ' ');
        g_string_append_len(out, k.s, (gssize)k.n);
        g_string_append_c(out, ' ');
        if (!fn(out, k, v, p, rw))
            return false;
    }
    g_string_append(out, " >>\nendobj\n");
    return true;
}

/* Resource subdictionary RES_KINDS[k] with the template page's entries (but the
 * stand-in) and the student's, under their marked names; nothing when it has none. */
static void append_res_kind(GString *out, const cp_pdf_template *t, const overlay *ov,
                            size_t slot, size_t k)
{
    const char *kind = RES_KINDS[k];
    const slot_tree *tr = &t->trees[slot];
    const ov_page *pg = &g_array_index(ov->pages, ov_page, slot);
    const char *vs, *ve, *v, *r;
    long num;
    size_t start = out->len, entries = 0;
    g_string_append_printf(out, " %s <<", kind);
    /* Template values are references into the template's own numbers: copied as
     * they are (a subdictionary given by reference was followed at parse time). */
    vs = tr->kind_s[k];
    ve = tr->kind_e[k];
    if (vs && lex(&vs, ve).kind == TK_DICT) {
        for (token n; (n = lex(&vs, ve)).kind == TK_NAME && skip_value(&vs, ve, &v);) {
            r = v;
            if (lex_ref(&r, vs, &num) && num == tr->stand_in)
                continue;
            g_string_append_c(out, ' ');
            g_string_append_len(out, n.s, (gssize)n.n);
            g_string_append_c(out, ' ');
            g_string_append_len(out, v, vs - v);
            entries++;
        }
    }
    const char *rs = pg->res, *re = pg->res_end;
    if (deref(&ov->f, &rs, &re) && dict_get_deref(&ov->f, rs, re, kind, &vs, &ve) &&
        lex(&vs, ve).kind == TK_DICT) {
        for (token n; (n = lex(&vs, ve)).kind == TK_NAME && skip_value(&vs, ve, &v);) {
            g_string_append(out, " /" NAME_MARK);
            g_string_append_len(out, n.s + 1, (gssize)(n.n - 1));
            g_string_append_c(out, ' ');
            append_renumbered(out, ov, v, vs);
            entries++;
        }
    }
    g_string_append(out, " >>");
    if (!entries)
        g_string_truncate(out, start);
}

/* A value of a slot's page: its three streams, and the template's resources with the
 * student's. */
static bool page_value(GString *out, token key, const char *v, const char *ve,
                       const rewrite *rw)
{
    const slot_tree *tr = &rw->t->trees[rw->slot];
    if (tk_is(key, "/Contents")) {
        g_string_append_printf(out, "[ %ld 0 R %ld 0 R %ld 0 R ]", tr->content, tr->stand_in,
                               tr->after);
    } else if (tk_is(key, "/Resources")) {
        const char *vs = tr->res_s, *rv;
        g_string_append(out, "<<");
        for (lex(&vs, tr->res_e);;) {
            token n = lex(&vs, tr->res_e);
            if (n.kind != TK_NAME || !skip_value(&vs, tr->res_e, &rv))
                break;
            bool kind = false;
            for (size_t i = 0; i < N_RES_KINDS && !kind; i++)
                kind = tk_is(n, RES_KINDS[i]);
            if (kind)
                continue;
            g_string_append_c(out, ' ');
            g_string_append_len(out, n.s, (gssize)n.n);
            g_string_append_c(out, ' ');
            g_string_append_len(out, rv, vs - rv);
        }
        for (size_t i = 0; i < N_RES_KINDS; i++)
            append_res_kind(out, rw->t, rw->ov, rw->slot, i);
        g_string_append(out, " >>");
    } else {
        g_string_append_len(out, v, ve - v);
    }
    return true;
}

/* The stand-in's replacement in an untagged template: the overlay page's content as a
 * form under the matrix that undoes the template page's flip. */
static void append_form(GString *out, const overlay *ov, const stand_in *s, const ov_page *pg)
{
    g_string_append_printf(out, "%ld 0 obj\n<< /Type /XObject\n   /Subtype /Form\n", s->num);
    g_string_append_printf(out, "   /BBox [ 0 0 %.*s %.*s ]\n", (int)pg->w.n, pg->w.s,
                           (int)pg->h.n, pg->h.s);
    g_string_append_printf(out, "   /Matrix [ 1 0 0 -1 0 %.*s ]\n   /Resources ", (int)pg->h.n,
                           pg->h.s);
    append_renumbered(out, ov, pg->res, pg->res_end);
    if (pg->filter) {
        g_string_append(out, "\n   /Filter ");
        g_string_append_len(out, pg->filter, pg->filter_end - pg->filter);
    }
    g_string_append_printf(out, "\n   /Length %zu\n>>\nstream\n", pg->content->data_len);
    g_string_append_len(out, ov->f.buf + pg->content->data, (gssize)pg->content->data_len);
    g_string_append(out, "\nendstream\nendobj\n");
}

/* An overlay object under its new number: the value renumbered, the stream and the
 * rest of the object as they are. */
static void append_object(GString *out, const overlay *ov, long num)
{
    const pdf_obj *o = obj_at(&ov->f, num);
    const char *b = ov->f.buf;
    append_num(out, (size_t)ov->renum[num], 0);
    g_string_append(out, " 0 obj");
    append_renumbered(out, ov, b + o->val, b + o->val_end);
    g_string_append_len(out, b + o->val_end, (gssize)(o->end - o->val_end));
}

/* [p, end) of a student's element in slot `slot`, its references renumbered (the page
 * is the template's page, the root the slot's parent; "null" for what is not copied)
 * and, with `shift`, its bare integers (the MCIDs of /K) moved up by it. */
static void append_mapped(GString *out, const cp_pdf_template *t, const overlay *ov,
                          size_t slot, const char *p, const char *end, long shift)
{
    const slot_tree *tr = &t->trees[slot];
    long page = g_array_index(ov->pages, ov_page, slot).num;
    const char *from = p;
    for (token tk; (tk = lex(&p, end)).kind != TK_END;) {
        if (tk.kind != TK_NUM)
            continue;
        const char *r = tk.s;
        long num;
        if (lex_ref(&r, end, &num)) {
            g_string_append_len(out, from, tk.s - from);
            long to = num == page ? tr->page : num == ov->doc ? tr->parent
                                                              : ov->renum[num];
            if (to > 0) {
                append_num(out, (size_t)to, 0);
                g_string_append(out, " 0 R");
            } else {
                g_string_append(out, "null");
            }
            p = from = r;
        } else if (shift && tk_int(tk) >= 0) {
            g_string_append_len(out, from, tk.s - from);
            append_num(out, (size_t)(tk_int(tk) + shift), 0);
            from = p;
        }
    }
    g_string_append_len(out, from, end - from);
}

/* A value of a student's structure element, in the template's tree: on the template's
 * page, its marked content numbered after the page's own. */
static bool element_value(GString *out, token key, const char *v, const char *ve,
                          const rewrite *rw)
{
    append_mapped(out, rw->t, rw->ov, rw->slot, v, ve,
                  tk_is(key, "/K") ? rw->t->trees[rw->slot].base : 0);
    return true;
}

/* A page's ParentTree array: the template's entries (the slot's own now null), then
 * the student's, in the order of their MCIDs. */
static bool append_parents(GString *out, const cp_pdf_template *t, const overlay *ov,
                           size_t slot)
{
    const slot_tree *tr = &t->trees[slot];
    GArray *starts = g_array_new(FALSE, FALSE, sizeof(char *));
    GArray *ends = g_array_new(FALSE, FALSE, sizeof(char *));
    bool ok = array_items(tr->pt_s, tr->pt_e, starts, ends);
    append_num(out, (size_t)tr->parents, 0);
    g_string_append(out, " 0 obj\n[");
    for (guint i = 0; ok && i < starts->len; i++) {
        const char *s = g_array_index(starts, const char *, i);
        g_string_append_c(out, ' ');
        if ((long)i == tr->mcid)
            g_string_append(out, "null");
        else
            g_string_append_len(out, s, g_array_index(ends, const char *, i) - s);
    }
    const ov_page *pg = &g_array_index(ov->pages, ov_page, slot);
    const char *vs, *ve;
    long num;
    g_array_set_size(starts, 0);
    g_array_set_size(ends, 0);
    if (ok && ov->doc && pg->struct_parents >= 0) {
        ok = parent_tree_array(&ov->f, pg->struct_parents, &vs, &ve, &num) &&
             array_items(vs, ve, starts, ends);
        for (guint i = 0; ok && i < starts->len; i++) {
            g_string_append_c(out, ' ');
            append_mapped(out, t, ov, slot, g_array_index(starts, const char *, i),
                          g_array_index(ends, const char *, i), 0);
        }
    }
    g_string_append(out, " ]\nendobj\n");
    g_array_free(starts, TRUE);
    g_array_free(ends, TRUE);
    return ok;
}

/* The student's elements of a slot, renumbered, one after the other. */
static void append_tops(GString *out, const overlay *ov, size_t slot)
{
    for (guint i = 0; i < ov->tops->len; i++) {
        long top = g_array_index(ov->tops, long, i);
        if ((size_t)ov->slot_of[top] != slot)
            continue;
        append_num(out, (size_t)ov->renum[top], 0);
        g_string_append(out, " 0 R ");
    }
}

/* A value of an element that holds slots' elements: each slot's element among its
 * kids is replaced by the student's elements of that slot. */
static bool parent_value(GString *out, token key, const char *v, const char *ve,
                         const rewrite *rw)
{
    const cp_pdf_template *t = rw->t;
    const char *q = v, *at;
    if (!tk_is(key, "/K")) {
        g_string_append_len(out, v, ve - v);
        return true;
    }
    bool array = lex(&q, ve).kind == TK_ARR;
    if (!array)
        g_string_append(out, "[ ");
    ref_scan rs = scan_refs(v, ve);
    const char *from = v;
    long kid;
    while (next_ref(&rs, &at, &kid)) {
        for (size_t s = 0; s < t->slots; s++) {
            if (!t->trees[s].tagged || t->trees[s].elem != kid)
                continue;
            g_string_append_len(out, from, at - from);
            append_tops(out, rw->ov, s);
            from = rs.p;
        }
    }
    g_string_append_len(out, from, ve - from);
    if (!array)
        g_string_append(out, " ]");
    return !rs.bad;
}

/* Template object `num` (or a slot's new stream), written for this call. */
static bool append_patched(GString *out, const cp_pdf_template *t, const overlay *ov, long num)
{
    for (size_t s = 0; s < t->slots; s++) {
        const slot_tree *tr = &t->trees[s];
        if (!tr->tagged)
            continue;
        if (tr->content == num || tr->after == num) {
            const GString *o = tr->content == num ? tr->before_obj : tr->after_obj;
            g_string_append_len(out, o->str, (gssize)o->len);
            return true;
        }
        if (tr->parents == num)
            return append_parents(out, t, ov, s);
        rewrite rw = {t, ov, s};
        if (tr->page == num)
            return append_dict_object(out, num, tr->page_s, tr->page_e, page_value, &rw);
    }
    for (size_t s = 0; s < t->slots; s++)
        if (t->trees[s].tagged && t->trees[s].parent == num) {
            rewrite rw = {t, ov, s};
            return append_dict_object(out, num, t->trees[s].par_s, t->trees[s].par_e,
                                      parent_value, &rw);
        }
    return false;
}

/* A stand-in whose page differs in size from the overlay page would put the drawing in
 * the wrong place. (The stand-in's size is its BBox.) */
static bool sizes_match(const cp_pdf_template *t, const overlay *ov)
{
    for (guint i = 0; i < t->stand_ins->len; i++) {
        const stand_in *s = &g_array_index(t->stand_ins, stand_in, i);
        const ov_page *pg = &g_array_index(ov->pages, ov_page, s->slot);
        double w, h;
        /* cairo rounds a recording's extents up to whole points for the BBox. */
        if (!tk_real(pg->w, &w) || !tk_real(pg->h, &h) || fabs(ceil(w - 0.01) - s->w) > 0.01 ||
            fabs(ceil(h - 0.01) - s->h) > 0.01)
            return false;
    }
    return true;
}

/* Everything after the template's runs: the students' content, overlay objects, the
 * template objects written again, table and trailer. */
static bool build_tail(GString *out, const cp_pdf_template *t, const overlay *ov)
{
    size_t n_st = t->stand_ins->len, n_ov = ov->copied->len, n_pa = t->patched->len;
    size_t *st_off = g_new(size_t, n_st + n_ov + n_pa), *ov_off = st_off + n_st;
    size_t *pa_off = ov_off + n_ov;
    bool ok = true;
    for (size_t i = 0; ok && i < n_st; i++) {
        const stand_in *s = &g_array_index(t->stand_ins, stand_in, i);
        st_off[i] = t->fixed_len + out->len;
        if (t->trees[s->slot].tagged)
            ok = append_student_stream(out, t, ov, s->slot);
        else
            append_form(out, ov, s, &g_array_index(ov->pages, ov_page, s->slot));
    }
    for (size_t i = 0; ok && i < n_ov; i++) {
        long num = g_array_index(ov->copied, long, i);
        ov_off[i] = t->fixed_len + out->len;
        if (ov->slot_of[num] >= 0) {
            const pdf_obj *o = obj_at(&ov->f, num);
            rewrite rw = {t, ov, (size_t)ov->slot_of[num]};
            ok = append_dict_object(out, ov->renum[num], ov->f.buf + o->val,
                                    ov->f.buf + o->val_end, element_value, &rw);
        } else
            append_object(out, ov, num);
    }
    for (size_t i = 0; ok && i < n_pa; i++) {
        pa_off[i] = t->fixed_len + out->len;
        ok = append_patched(out, t, ov, g_array_index(t->patched, long, i));
    }
    if (!ok) {
        g_free(st_off);
        return false;
    }
    size_t xref_at = t->fixed_len + out->len;
    long size = t->size + (long)n_ov;
    g_string_append_printf(out, "xref\n0 %ld\n", size);
    size_t entries = out->len;
    g_string_append_len(out, t->xref->str, (gssize)t->xref->len);
    for (size_t i = 0; i < n_st + n_pa; i++) {
        char e[21];
        long num = i < n_st ? g_array_index(t->stand_ins, stand_in, i).num
                            : g_array_index(t->patched, long, i - n_st);
        snprintf(e, sizeof e, "%010zu", i < n_st ? st_off[i] : pa_off[i - n_st]);
        memcpy(out->str + entries + num * 20, e, 10);
    }
    for (size_t i = 0; i < n_ov; i++) {
        append_num(out, ov_off[i], 10);
        g_string_append(out, " 00000 n \n");
    }
    g_string_append_printf(out, "trailer\n<< /Size %ld\n   /Root %ld 0 R\n", size, t->root);
    if (t->info > 0)
        g_string_append_printf(out, "   /Info %ld 0 R\n", t->info);
    g_string_append_printf(out, ">>\nstartxref\n%zu\n%%%%EOF\n", xref_at);
    g_free(st_off);
    return true;
}

bool pdf_assemble_head(const cp_pdf_template *t, FILE *out)
{
    if (!t)
        return false;
    bool ok = fwrite(HEADER, 1, sizeof HEADER - 1, out) == sizeof HEADER - 1;
    for (guint i = 0; ok && i < t->runs->len; i++) {
        const span *r = &g_array_index(t->runs, span, i);
        ok = fwrite(t->buf + r->start, 1, r->len, out) == r->len;
    }
    return ok;
}

bool pdf_assemble_tail(const cp_pdf_template *t, const char *overlay_pdf, size_t len,
                       FILE *out)
{
    if (!t || !overlay_pdf)
        return false;
    overlay ov = {0};
    /* The whole overlay is read before the first byte of the tail is written: a
     * malformed one adds nothing to `out`. */
    bool ok = read_overlay(&ov, t, overlay_pdf, len) && sizes_match(t, &ov);
    if (!ok) {
        overlay_free(&ov);
        return false;
    }
    GString *tail = g_string_sized_new(len + t->xref->len + 4096);
    ok = build_tail(tail, t, &ov);
    overlay_free(&ov);
    ok = ok && fwrite(tail->str, 1, tail->len, out) == tail->len;
    g_string_free(tail, TRUE);
    return ok;
}

bool pdf_assemble(const cp_pdf_template *t, const char *overlay_pdf, size_t len, FILE *out)
{
    if (!t || !overlay_pdf)
        return false;
    /* Checked first, so that a malformed overlay leaves `out` untouched. */
    overlay ov = {0};
    bool ok = read_overlay(&ov, t, overlay_pdf, len) && sizes_match(t, &ov);
    overlay_free(&ov);
    return ok && pdf_assemble_head(t, out) && pdf_assemble_tail(t, overlay_pdf, len, out);
}
