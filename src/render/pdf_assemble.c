/* pdf_assemble.c - one PDF from a template and an overlay, both written by cairo.
 *
 * The template is parsed once: its objects (the latest version of each, following every
 * cross-reference section) are cut into byte spans, the stand-in forms are found by
 * their content, and the output is planned as a fixed part (header and the template's
 * objects but the stand-ins, in file order so that neighbours merge into few runs) and
 * a cross-reference table whose template entries are already written. Per student only
 * the overlay is parsed; the new stand-in forms, the overlay's objects and the table
 * follow the fixed part, so the template's offsets never change.
 *
 * The parser reads PDF the way cairo 1.16 writes it: classic xref tables, generation 0,
 * streams with a /Length, no object streams. Anything else is refused rather than
 * guessed at. */
#include "pdf_assemble.h"

#include <limits.h>
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

/* The first bytes of a stream's content into out[cap]: *n of them, *whole when that
 * is all of it. Only no filter or /FlateDecode (all cairo uses) are read; a content
 * that only matters by its start is not inflated further. */
static bool stream_head(const pdf_file *f, const pdf_obj *o, char *out, size_t cap,
                        size_t *n, bool *whole)
{
    const char *d = f->buf + o->val, *de = f->buf + o->val_end, *vs, *ve;
    const char *data = f->buf + o->data;
    if (!dict_get(d, de, "/Filter", &vs, &ve)) {
        *n = MIN(o->data_len, cap);
        *whole = *n == o->data_len;
        memcpy(out, data, *n);
        return true;
    }
    if (!tk_is(lex(&vs, ve), "/FlateDecode") || lex(&vs, ve).kind != TK_END ||
        o->data_len > UINT_MAX)
        return false;
    z_stream z = {0};
    if (inflateInit(&z) != Z_OK)
        return false;
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)o->data_len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int rc = inflate(&z, Z_SYNC_FLUSH);
    *n = cap - z.avail_out;
    *whole = rc == Z_STREAM_END;
    inflateEnd(&z);
    return rc == Z_OK || rc == Z_STREAM_END || (rc == Z_BUF_ERROR && *n == cap);
}

/* The slot of form object o, or -1 when it is not a stand-in. Stand-ins are a few
 * dozen bytes: a form whose content does not fit in 512 is something else. */
static long stand_in_slot(const pdf_file *f, const pdf_obj *o)
{
    const char *d = f->buf + o->val, *de = f->buf + o->val_end;
    if (!o->data || !dict_has_name(d, de, "/Subtype", "/Form"))
        return -1;
    char out[512];
    size_t n;
    bool whole;
    return stream_head(f, o, out, sizeof out, &n, &whole) && whole ? content_slot(out, n) : -1;
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

struct cp_pdf_template {
    char *buf;
    size_t len;
    size_t slots;
    GArray *runs;      /* span: template bytes written as they are, in file order */
    size_t fixed_len;  /* the header and the runs: where per-call objects begin */
    GArray *stand_ins; /* stand_in, by object number */
    GString *xref;     /* 20-byte entries 0..size-1; stand-ins' offsets patched per call */
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
    bool ok = sort_objects(t, f, order);
    for (size_t s = 0; ok && s < t->slots; s++) {
        bool found = false;
        for (guint i = 0; i < t->stand_ins->len && !found; i++)
            found = g_array_index(t->stand_ins, stand_in, i).slot == s;
        ok = found;
    }
    /* Numbers run up to the largest in use even if /Size says less. */
    t->size = MAX(f->size, (long)f->objs->len);
    size_t *offsets = g_new0(size_t, (gsize)t->size);
    bool *in_use = g_new0(bool, (gsize)t->size);
    for (guint i = 0; ok && i < order->len; i++)
        in_use[g_array_index(order, placed, i).num] = true;
    for (guint i = 0; ok && i < t->stand_ins->len; i++)
        in_use[g_array_index(t->stand_ins, stand_in, i).num] = true;
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
    if (t->xref)
        g_string_free(t->xref, TRUE);
    g_free(t);
}

/* ---- the overlay ------------------------------------------------------------------- */

/* What one overlay page gives its stand-in. */
typedef struct {
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
} overlay;

/* cairo starts every page's content with the flip into its y-down space,
 * "1 0 0 -1 0 H cm"; the form's /Matrix counts on it. */
static bool starts_with_flip(const pdf_file *f, const ov_page *pg)
{
    static const char *const flip[] = {"1", "0", "0", "-1", "0"};
    char head[64];
    size_t n;
    bool whole;
    double h, page_h;
    if (!stream_head(f, pg->content, head, sizeof head, &n, &whole))
        return false;
    const char *p = head, *end = head + n;
    for (size_t i = 0; i < G_N_ELEMENTS(flip); i++)
        if (!tk_is(lex(&p, end), flip[i]))
            return false;
    return tk_real(lex(&p, end), &h) && tk_real(pg->h, &page_h) && fabs(h - page_h) < 0.01 &&
           tk_is(lex(&p, end), "cm");
}

static bool add_page(overlay *ov, const pdf_obj *o)
{
    const pdf_file *f = &ov->f;
    const char *d = f->buf + o->val, *de = f->buf + o->val_end, *vs, *ve;
    ov_page pg = {0};
    double w, h;
    long num;
    if (!dict_get(d, de, "/MediaBox", &vs, &ve) || !read_box(vs, ve, &w, &h))
        return false;
    lex(&vs, ve); /* "[" 0 0 */
    lex(&vs, ve);
    lex(&vs, ve);
    pg.w = lex(&vs, ve);
    pg.h = lex(&vs, ve);
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

/* The page tree in order (cairo writes one flat /Pages node; nesting is followed). */
static bool collect_pages(overlay *ov, long num, int depth)
{
    const pdf_obj *o = obj_get(&ov->f, num);
    if (!o || depth > MAX_PAGE_DEPTH)
        return false;
    const char *d = ov->f.buf + o->val, *de = ov->f.buf + o->val_end, *vs, *ve, *at;
    if (dict_has_name(d, de, "/Type", "/Page"))
        return add_page(ov, o);
    if (!dict_has_name(d, de, "/Type", "/Pages") || !dict_get(d, de, "/Kids", &vs, &ve))
        return false;
    long kid;
    ref_scan rs = scan_refs(vs, ve);
    while (next_ref(&rs, &at, &kid))
        if (!collect_pages(ov, kid, depth + 1))
            return false;
    return !rs.bad;
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

/* The overlay's pages and the objects their resources need, numbered from `base` in
 * the order of their overlay numbers. */
static bool read_overlay(overlay *ov, const char *buf, size_t len, size_t pages, long base)
{
    ov->pages = g_array_new(FALSE, TRUE, sizeof(ov_page));
    ov->copied = g_array_new(FALSE, FALSE, sizeof(long));
    if (!pdf_open(&ov->f, buf, len))
        return false;
    const pdf_obj *cat = obj_get(&ov->f, ov->f.root);
    const char *vs, *ve;
    long num;
    if (!cat || !dict_get(buf + cat->val, buf + cat->val_end, "/Pages", &vs, &ve) ||
        !lex_ref(&vs, ve, &num) || !collect_pages(ov, num, 0) || ov->pages->len != pages)
        return false;
    size_t n = ov->f.objs->len;
    bool *seen = g_new0(bool, n);
    bool ok = true;
    for (guint i = 0; ok && i < ov->pages->len; i++) {
        const ov_page *pg = &g_array_index(ov->pages, ov_page, i);
        ok = mark_reachable(ov, pg->res, pg->res_end, seen);
    }
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

/* The stand-in's replacement: the overlay page's content under a /Matrix that undoes
 * the flip cairo put on the template page (the content flips back itself), so the
 * drawing lands where it was on its own page. */
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

/* Everything after the template's runs: forms, overlay objects, table and trailer. */
static void build_tail(GString *out, const cp_pdf_template *t, const overlay *ov)
{
    size_t n_st = t->stand_ins->len, n_ov = ov->copied->len;
    size_t *st_off = g_new(size_t, n_st + n_ov), *ov_off = st_off + n_st;
    for (size_t i = 0; i < n_st; i++) {
        const stand_in *s = &g_array_index(t->stand_ins, stand_in, i);
        st_off[i] = t->fixed_len + out->len;
        append_form(out, ov, s, &g_array_index(ov->pages, ov_page, s->slot));
    }
    for (size_t i = 0; i < n_ov; i++) {
        ov_off[i] = t->fixed_len + out->len;
        append_object(out, ov, g_array_index(ov->copied, long, i));
    }
    size_t xref_at = t->fixed_len + out->len;
    long size = t->size + (long)n_ov;
    g_string_append_printf(out, "xref\n0 %ld\n", size);
    size_t entries = out->len;
    g_string_append_len(out, t->xref->str, (gssize)t->xref->len);
    for (size_t i = 0; i < n_st; i++) {
        char e[21];
        snprintf(e, sizeof e, "%010zu", st_off[i]);
        memcpy(out->str + entries + g_array_index(t->stand_ins, stand_in, i).num * 20, e, 10);
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
    bool ok = read_overlay(&ov, overlay_pdf, len, t->slots, t->size) && sizes_match(t, &ov);
    if (!ok) {
        overlay_free(&ov);
        return false;
    }
    GString *tail = g_string_sized_new(len + t->xref->len + 4096);
    build_tail(tail, t, &ov);
    overlay_free(&ov);
    ok = fwrite(tail->str, 1, tail->len, out) == tail->len;
    g_string_free(tail, TRUE);
    return ok;
}

bool pdf_assemble(const cp_pdf_template *t, const char *overlay_pdf, size_t len, FILE *out)
{
    if (!t || !overlay_pdf)
        return false;
    /* Checked first, so that a malformed overlay leaves `out` untouched. */
    overlay ov = {0};
    bool ok = read_overlay(&ov, overlay_pdf, len, t->slots, t->size) && sizes_match(t, &ov);
    overlay_free(&ov);
    return ok && pdf_assemble_head(t, out) && pdf_assemble_tail(t, overlay_pdf, len, out);
}
