/* pdf_text.c - the text layer of a finished PDF: one CID per glyph reading, and /Lang
 * spans on runs of another script (see pdf_text.h for the why). */
#include "pdf_text.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

/* ---- content stream tokens ---------------------------------------------------------- */

typedef enum { TK_END, TK_OP, TK_NUM, TK_NAME, TK_HEX, TK_LIT, TK_OPEN, TK_CLOSE,
               TK_DOPEN, TK_DCLOSE } tk_kind;
typedef struct { tk_kind kind; const char *s, *e; } tk;

static bool is_delim(char c)
{
    return strchr("()<>[]{}/%", c) != NULL;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

/* The token at p; returns where the next one may begin. */
static const char *lex(const char *p, const char *end, tk *t)
{
    while (p < end && (is_space(*p) || *p == '%')) {
        if (*p == '%')
            while (p < end && *p != '\n' && *p != '\r')
                p++;
        else
            p++;
    }
    t->s = p;
    t->kind = TK_END;
    if (p >= end) {
        t->e = p;
        return p;
    }
    char c = *p;
    if (c == '(') {
        int depth = 0;
        for (; p < end; p++) {
            if (*p == '\\') { p++; continue; }
            if (*p == '(') depth++;
            else if (*p == ')' && --depth == 0) { p++; break; }
        }
        t->kind = TK_LIT;
    } else if (c == '<' && p + 1 < end && p[1] == '<') {
        p += 2;
        t->kind = TK_DOPEN;
    } else if (c == '>' && p + 1 < end && p[1] == '>') {
        p += 2;
        t->kind = TK_DCLOSE;
    } else if (c == '<') {
        const char *e = memchr(p, '>', (size_t)(end - p));
        p = e ? e + 1 : end;
        t->kind = TK_HEX;
    } else if (c == '[' || c == ']') {
        p++;
        t->kind = c == '[' ? TK_OPEN : TK_CLOSE;
    } else if (c == '{' || c == '}' || c == ')' || c == '>') {
        p++;
        t->kind = TK_NUM;   /* not in page content; kept as an operand */
    } else {
        const char *s = p++;
        while (p < end && !is_space(*p) && !is_delim(*p))
            p++;
        size_t n = (size_t)(p - s);
        if (c == '/')
            t->kind = TK_NAME;
        else if (g_ascii_isdigit(c) || c == '-' || c == '+' || c == '.' ||
                 (n == 4 && !memcmp(s, "true", 4)) || (n == 5 && !memcmp(s, "false", 5)) ||
                 (n == 4 && !memcmp(s, "null", 4)))
            t->kind = TK_NUM;
        else
            t->kind = TK_OP;
    }
    t->e = p;
    return p;
}

static bool tk_is(const tk *t, const char *word)
{
    return (size_t)(t->e - t->s) == strlen(word) && !memcmp(t->s, word, (size_t)(t->e - t->s));
}

/* The bytes of a string token (hex or literal). */
static GByteArray *string_bytes(const tk *t)
{
    GByteArray *b = g_byte_array_new();
    if (t->kind == TK_HEX) {
        int hi = -1;
        for (const char *p = t->s + 1; p < t->e && *p != '>'; p++) {
            if (!g_ascii_isxdigit(*p))
                continue;
            int v = g_ascii_xdigit_value(*p);
            if (hi < 0) {
                hi = v;
            } else {
                guint8 byte = (guint8)(hi * 16 + v);
                g_byte_array_append(b, &byte, 1);
                hi = -1;
            }
        }
        if (hi >= 0) {
            guint8 byte = (guint8)(hi * 16);
            g_byte_array_append(b, &byte, 1);
        }
        return b;
    }
    const char *p = t->s + 1, *end = t->e - 1;   /* inside the outer parentheses */
    while (p < end) {
        guint8 byte = (guint8)*p++;
        if (byte == '\\' && p < end) {
            char e = *p++;
            switch (e) {
            case 'n': byte = '\n'; break;
            case 'r': byte = '\r'; break;
            case 't': byte = '\t'; break;
            case 'b': byte = '\b'; break;
            case 'f': byte = '\f'; break;
            case '\r':
                if (p < end && *p == '\n')
                    p++;
                continue;
            case '\n':
                continue;
            default:
                if (e >= '0' && e <= '7') {
                    int v = e - '0';
                    for (int k = 0; k < 2 && p < end && *p >= '0' && *p <= '7'; k++)
                        v = v * 8 + (*p++ - '0');
                    byte = (guint8)v;
                } else {
                    byte = (guint8)e;
                }
            }
        }
        g_byte_array_append(b, &byte, 1);
    }
    return b;
}

/* UTF-16BE (with or without its byte order mark) as UTF-8; NULL when not UTF-16. */
static char *utf16be_to_utf8(const guint8 *b, size_t n)
{
    if (n >= 2 && b[0] == 0xfe && b[1] == 0xff) {
        b += 2;
        n -= 2;
    }
    if (n % 2)
        return NULL;
    gunichar2 *u = g_new(gunichar2, n / 2 + 1);
    for (size_t i = 0; i < n / 2; i++)
        u[i] = (gunichar2)(b[2 * i] << 8 | b[2 * i + 1]);
    char *s = g_utf16_to_utf8(u, (glong)(n / 2), NULL, NULL, NULL);
    g_free(u);
    return s;
}

/* ---- fonts ---------------------------------------------------------------------------- */

typedef struct {
    bool two_byte;       /* Type0 with Identity-H/V: two bytes per glyph */
    bool remappable;     /* a CIDFontType2 we can give new CIDs */
    qpdf_oh font, cidfont;
    GHashTable *tu;      /* code -> UTF-8 text (ToUnicode) */
    GHashTable *width;   /* CID -> width (/W) */
    int dw;              /* /DW */
    guint8 *c2g;         /* the CIDToGIDMap stream, or NULL for /Identity */
    size_t c2g_len;
    guint first_new;     /* the first CID free for new readings */
    GArray *new_gid;     /* new CID - first_new -> glyph id */
    GHashTable *by_reading;  /* "gid\x1ftext" -> new CID */
    GHashTable *used;    /* codes the content draws after rewriting */
} font_info;

struct pdf_text {
    qpdf_data q;
    GHashTable *fonts;   /* "id gen" -> font_info */
    GPtrArray *order;    /* the same fonts in the order first met: written back so */
    char *doc_lang;
    GHashTable *parents; /* StructParents key + 1 -> its ParentTree array; read once */
};

static void font_free(font_info *f)
{
    if (f->tu)
        g_hash_table_destroy(f->tu);
    if (f->width)
        g_hash_table_destroy(f->width);
    if (f->by_reading)
        g_hash_table_destroy(f->by_reading);
    if (f->used)
        g_hash_table_destroy(f->used);
    if (f->new_gid)
        g_array_free(f->new_gid, TRUE);
    g_free(f->c2g);
    g_free(f);
}

static guint code_of(const GByteArray *b)
{
    guint c = 0;
    for (guint i = 0; i < b->len && i < 4; i++)
        c = c << 8 | b->data[i];
    return c;
}

/* The mappings of a ToUnicode CMap (bfchar and bfrange). */
static void parse_tounicode(GHashTable *tu, const char *c, size_t len, guint *max)
{
    const char *p = c, *end = c + len;
    tk t;
    enum { NONE, CHAR, RANGE } mode = NONE;
    tk args[3];
    int n = 0;
    for (;;) {
        p = lex(p, end, &t);
        if (t.kind == TK_END)
            break;
        if (t.kind == TK_OP) {
            if (tk_is(&t, "beginbfchar")) mode = CHAR;
            else if (tk_is(&t, "beginbfrange")) mode = RANGE;
            else if (tk_is(&t, "endbfchar") || tk_is(&t, "endbfrange")) mode = NONE;
            n = 0;
            continue;
        }
        if (mode == NONE)
            continue;
        if (mode == RANGE && n == 2 && t.kind == TK_OPEN) {
            /* <lo> <hi> [<dst> ...]: one destination per code */
            GByteArray *lo = string_bytes(&args[0]), *hi = string_bytes(&args[1]);
            guint code = code_of(lo), last = code_of(hi);
            for (;;) {
                p = lex(p, end, &t);
                if (t.kind != TK_HEX || code > last)
                    break;
                GByteArray *d = string_bytes(&t);
                char *s = utf16be_to_utf8(d->data, d->len);
                if (s)
                    g_hash_table_replace(tu, GUINT_TO_POINTER(code), s);
                *max = MAX(*max, code);
                code++;
                g_byte_array_free(d, TRUE);
            }
            g_byte_array_free(lo, TRUE);
            g_byte_array_free(hi, TRUE);
            n = 0;
            continue;
        }
        if (t.kind != TK_HEX) {
            n = 0;
            continue;
        }
        args[n++] = t;
        if (mode == CHAR && n == 2) {
            GByteArray *a = string_bytes(&args[0]), *d = string_bytes(&args[1]);
            char *s = utf16be_to_utf8(d->data, d->len);
            if (s)
                g_hash_table_replace(tu, GUINT_TO_POINTER(code_of(a)), s);
            *max = MAX(*max, code_of(a));
            g_byte_array_free(a, TRUE);
            g_byte_array_free(d, TRUE);
            n = 0;
        } else if (mode == RANGE && n == 3) {
            /* <lo> <hi> <dst>: the last UTF-16 unit counts up */
            GByteArray *lo = string_bytes(&args[0]), *hi = string_bytes(&args[1]),
                       *d = string_bytes(&args[2]);
            guint code = code_of(lo), last = code_of(hi);
            for (guint k = 0; code <= last && k < 65536 && d->len >= 2; code++, k++) {
                char *s = utf16be_to_utf8(d->data, d->len);
                if (s)
                    g_hash_table_replace(tu, GUINT_TO_POINTER(code), s);
                *max = MAX(*max, code);
                guint v = (guint)(d->data[d->len - 2] << 8 | d->data[d->len - 1]) + 1;
                d->data[d->len - 2] = (guint8)(v >> 8);
                d->data[d->len - 1] = (guint8)v;
            }
            g_byte_array_free(lo, TRUE);
            g_byte_array_free(hi, TRUE);
            g_byte_array_free(d, TRUE);
            n = 0;
        }
    }
}

static guint8 *stream_bytes(qpdf_data q, qpdf_oh s, size_t *len)
{
    unsigned char *buf = NULL;
    QPDF_BOOL filtered = QPDF_FALSE;
    *len = 0;
    if (!qpdf_oh_is_stream(q, s) ||
        (qpdf_oh_get_stream_data(q, s, qpdf_dl_generalized, &filtered, &buf, len) &
         QPDF_ERRORS) || !filtered) {
        free(buf);
        *len = 0;
        return NULL;
    }
    guint8 *copy = g_memdup2(buf, *len);
    free(buf);
    return copy;
}

/* /W: [c [w1 w2 ...]] and [c1 c2 w]. */
static void parse_widths(qpdf_data q, qpdf_oh w, GHashTable *width, guint *max)
{
    int n = qpdf_oh_is_array(q, w) ? qpdf_oh_get_array_n_items(q, w) : 0;
    for (int i = 0; i + 1 < n;) {
        qpdf_oh a = qpdf_oh_get_array_item(q, w, i), b = qpdf_oh_get_array_item(q, w, i + 1);
        guint c = (guint)qpdf_oh_get_uint_value_as_uint(q, a);
        if (qpdf_oh_is_array(q, b)) {
            int m = qpdf_oh_get_array_n_items(q, b);
            for (int k = 0; k < m; k++)
                g_hash_table_replace(width, GUINT_TO_POINTER(c + (guint)k), GINT_TO_POINTER(
                    (int)qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, b, k))));
            *max = MAX(*max, c + (guint)(m ? m - 1 : 0));
            i += 2;
        } else if (i + 2 < n) {
            guint last = (guint)qpdf_oh_get_uint_value_as_uint(q, b);
            int v = (int)qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, w, i + 2));
            for (guint k = c; k <= last && k - c < 65536; k++)
                g_hash_table_replace(width, GUINT_TO_POINTER(k), GINT_TO_POINTER(v));
            *max = MAX(*max, last);
            i += 3;
        } else {
            break;
        }
    }
}

static font_info *font_read(qpdf_data q, qpdf_oh font)
{
    font_info *f = g_new0(font_info, 1);
    f->font = font;
    f->tu = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    f->used = g_hash_table_new(NULL, NULL);
    guint max = 0;
    size_t n;
    guint8 *cmap = stream_bytes(q, qpdf_oh_get_key(q, font, "/ToUnicode"), &n);
    if (cmap)
        parse_tounicode(f->tu, (const char *)cmap, n, &max);
    g_free(cmap);
    if (!qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, font, "/Subtype"), "/Type0"))
        return f;
    qpdf_oh enc = qpdf_oh_get_key(q, font, "/Encoding");
    f->two_byte = qpdf_oh_is_name_and_equals(q, enc, "/Identity-H") ||
                  qpdf_oh_is_name_and_equals(q, enc, "/Identity-V");
    qpdf_oh desc = qpdf_oh_get_key(q, font, "/DescendantFonts");
    f->cidfont = qpdf_oh_get_array_item(q, desc, 0);
    if (!f->two_byte || !qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, f->cidfont,
                                                     "/Subtype"), "/CIDFontType2"))
        return f;   /* a CFF CID font's CIDs are its charset's: no new ones without it */
    f->width = g_hash_table_new(NULL, NULL);
    parse_widths(q, qpdf_oh_get_key(q, f->cidfont, "/W"), f->width, &max);
    qpdf_oh dw = qpdf_oh_get_key(q, f->cidfont, "/DW");
    f->dw = qpdf_oh_is_number(q, dw) ? (int)qpdf_oh_get_numeric_value(q, dw) : 1000;
    qpdf_oh c2g = qpdf_oh_get_key(q, f->cidfont, "/CIDToGIDMap");
    if (qpdf_oh_is_stream(q, c2g)) {
        f->c2g = stream_bytes(q, c2g, &f->c2g_len);
        if (!f->c2g)
            return f;
        max = MAX(max, (guint)(f->c2g_len / 2));
    } else if (!qpdf_oh_is_null(q, c2g) && !qpdf_oh_is_name_and_equals(q, c2g, "/Identity")) {
        return f;
    }
    f->first_new = max + 1;
    if (f->first_new > 0xfff0)
        return f;
    f->remappable = true;
    f->new_gid = g_array_new(FALSE, FALSE, sizeof(guint16));
    f->by_reading = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return f;
}

static guint gid_of(const font_info *f, guint cid)
{
    if (!f->c2g)
        return cid;
    return 2 * (size_t)cid + 1 < f->c2g_len ? (guint)(f->c2g[2 * cid] << 8 | f->c2g[2 * cid + 1])
                                            : 0;
}

/* The CID that draws glyph `cid` draws and reads as `text`. */
static int width_of(const font_info *f, guint cid)
{
    gpointer w;
    return g_hash_table_lookup_extended(f->width, GUINT_TO_POINTER(cid), NULL, &w)
               ? GPOINTER_TO_INT(w) : f->dw;
}

/* The CID that draws the glyph `cid` draws, reads as `text` and advances by `width`
 * (glyph space, thousandths of the size). */
static guint reading_cid(font_info *f, guint cid, const char *text, int width)
{
    guint gid = gid_of(f, cid);
    char *key = g_strdup_printf("%u\x1f%d\x1f%s", gid, width, text);
    gpointer v;
    if (g_hash_table_lookup_extended(f->by_reading, key, NULL, &v)) {
        g_free(key);
        return GPOINTER_TO_UINT(v);
    }
    guint n = f->first_new + f->new_gid->len;
    guint16 g = (guint16)gid;
    g_array_append_val(f->new_gid, g);
    g_hash_table_insert(f->by_reading, key, GUINT_TO_POINTER(n));
    g_hash_table_replace(f->tu, GUINT_TO_POINTER(n), g_strdup(text));
    g_hash_table_replace(f->width, GUINT_TO_POINTER(n), GINT_TO_POINTER(width));
    return n;
}

static font_info *font_lookup(pdf_text *t, qpdf_oh fonts, const tk *name)
{
    char *key = g_strndup(name->s, (size_t)(name->e - name->s));
    qpdf_oh font = qpdf_oh_get_key(t->q, fonts, key);
    g_free(key);
    if (!qpdf_oh_is_dictionary(t->q, font))
        return NULL;
    int id = qpdf_oh_get_object_id(t->q, font);
    if (id == 0)
        return NULL;   /* cairo's fonts are indirect; a direct one is left as it is */
    char *k = g_strdup_printf("%d %d", id, qpdf_oh_get_generation(t->q, font));
    font_info *f = g_hash_table_lookup(t->fonts, k);
    if (!f) {
        f = font_read(t->q, font);
        g_hash_table_insert(t->fonts, k, f);
        g_ptr_array_add(t->order, f);
    } else {
        g_free(k);
    }
    return f;
}

/* ---- scripts and languages ---------------------------------------------------------- */

typedef struct { const char *lang; GUnicodeScript script; } lang_script;
/* The first language of a script is the one its runs are marked with. */
static const lang_script LANGS[] = {
    {"en", G_UNICODE_SCRIPT_LATIN},     {"hi", G_UNICODE_SCRIPT_DEVANAGARI},
    {"ar", G_UNICODE_SCRIPT_ARABIC},    {"ta", G_UNICODE_SCRIPT_TAMIL},
    {"mr", G_UNICODE_SCRIPT_DEVANAGARI}, {"ne", G_UNICODE_SCRIPT_DEVANAGARI},
    {"fa", G_UNICODE_SCRIPT_ARABIC},    {"ur", G_UNICODE_SCRIPT_ARABIC},
    {"he", G_UNICODE_SCRIPT_HEBREW},    {"el", G_UNICODE_SCRIPT_GREEK},
    {"ru", G_UNICODE_SCRIPT_CYRILLIC},  {"uk", G_UNICODE_SCRIPT_CYRILLIC},
    {"bn", G_UNICODE_SCRIPT_BENGALI},   {"th", G_UNICODE_SCRIPT_THAI},
    {"zh", G_UNICODE_SCRIPT_HAN},       {"ko", G_UNICODE_SCRIPT_HANGUL},
};

/* The script of a language tag; Latin for those not listed (fr, de, es...). */
static GUnicodeScript script_of(const char *lang)
{
    size_t n = lang ? strcspn(lang, "-_") : 0;
    for (size_t i = 0; i < G_N_ELEMENTS(LANGS); i++)
        if (n == strlen(LANGS[i].lang) && !strncmp(lang, LANGS[i].lang, n))
            return LANGS[i].script;
    return G_UNICODE_SCRIPT_LATIN;
}

static const char *lang_of(GUnicodeScript s)
{
    for (size_t i = 0; i < G_N_ELEMENTS(LANGS); i++)
        if (LANGS[i].script == s)
            return LANGS[i].lang;
    return NULL;
}

/* The script of a text's letters (the first one's), or INVALID_CODE when it has none:
 * digits, punctuation and spaces belong to every language. */
static GUnicodeScript text_script(const char *text)
{
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        GUnicodeScript s = g_unichar_get_script(g_utf8_get_char(p));
        if (s != G_UNICODE_SCRIPT_COMMON && s != G_UNICODE_SCRIPT_INHERITED &&
            s != G_UNICODE_SCRIPT_UNKNOWN)
            return s;
    }
    return G_UNICODE_SCRIPT_INVALID_CODE;
}

/* ---- a page ------------------------------------------------------------------------ */

/* One operator with its operands: the bytes from the end of the previous operator to
 * its own end, and its operand tokens. */
typedef struct {
    const char *s, *e;
    guint arg0, nargs;
    tk op;
    bool drop;           /* an ActualText span's BDC or EMC, replaced by CIDs */
    GArray *codes;       /* the new codes of a text operator inside such a span */
    GString *tj;         /* a TJ written again whole (marks_take_offsets), or NULL */
    bool scanned;        /* script known (a text operator's letters are read once) */
    GUnicodeScript script;
} cop;

typedef struct {
    pdf_text *t;
    qpdf_oh fonts;       /* the page's /Resources /Font */
    qpdf_oh page;
    qpdf_oh parents;     /* the page's ParentTree array: MCID -> element */
    GPtrArray *mcid_lang;  /* MCID -> the language of its element (borrowed strings) */
    GPtrArray *owned;
    GArray *args;        /* tk */
    GArray *ops;         /* cop */
    GHashTable *by_name; /* "/f-0-1" -> font_info (NULL: not ours), for this page */
} page_ctx;

/* Every entry of the number tree `node` into `t` (key + 1 -> value), read once per
 * pass: a merged file has thousands of pages, and a search per page made the pass
 * quadratic in time and in libqpdf's handles. */
static void tree_read(qpdf_data q, qpdf_oh node, GHashTable *t, int depth)
{
    qpdf_oh nums = qpdf_oh_get_key(q, node, "/Nums");
    int n = qpdf_oh_is_array(q, nums) ? qpdf_oh_get_array_n_items(q, nums) : 0;
    for (int i = 0; i + 1 < n; i += 2) {
        qpdf_oh k = qpdf_oh_get_array_item(q, nums, i);
        long long key = qpdf_oh_is_integer(q, k) ? qpdf_oh_get_int_value(q, k) : -1;
        qpdf_oh_release(q, k);
        if (key >= 0 && key < G_MAXINT && !g_hash_table_contains(t, GINT_TO_POINTER(key + 1)))
            g_hash_table_insert(t, GINT_TO_POINTER(key + 1),
                                GUINT_TO_POINTER(qpdf_oh_get_array_item(q, nums, i + 1)));
    }
    qpdf_oh kids = qpdf_oh_get_key(q, node, "/Kids");
    n = qpdf_oh_is_array(q, kids) && depth < 32 ? qpdf_oh_get_array_n_items(q, kids) : 0;
    for (int i = 0; i < n; i++)
        tree_read(q, qpdf_oh_get_array_item(q, kids, i), t, depth + 1);
}

static qpdf_oh tree_lookup(pdf_text *t, qpdf_oh tree, long long key)
{
    if (!t->parents) {
        t->parents = g_hash_table_new(NULL, NULL);
        tree_read(t->q, tree, t->parents, 0);
    }
    gpointer v = key >= 0 && key < G_MAXINT
                     ? g_hash_table_lookup(t->parents, GINT_TO_POINTER(key + 1)) : NULL;
    return v ? GPOINTER_TO_UINT(v) : qpdf_oh_new_null(t->q);
}

/* The language each MCID of the page is in: its element's /Lang, else the nearest
 * ancestor's, else the document's. */
static void page_langs(page_ctx *pc, qpdf_oh page)
{
    qpdf_data q = pc->t->q;
    qpdf_oh key = qpdf_oh_get_key(q, page, "/StructParents");
    qpdf_oh tree = qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_get_root(q), "/StructTreeRoot"),
                                   "/ParentTree");
    if (!qpdf_oh_is_integer(q, key) || !qpdf_oh_is_dictionary(q, tree))
        return;
    qpdf_oh arr = tree_lookup(pc->t, tree, qpdf_oh_get_int_value(q, key));
    pc->parents = arr;
    int n = qpdf_oh_is_array(q, arr) ? qpdf_oh_get_array_n_items(q, arr) : 0;
    /* Many MCIDs share an element: each element's language is looked up once. */
    GHashTable *seen = g_hash_table_new(NULL, NULL);
    for (int i = 0; i < n; i++) {
        qpdf_oh e = qpdf_oh_get_array_item(q, arr, i);
        int id = qpdf_oh_get_object_id(q, e);
        gpointer known;
        if (id && g_hash_table_lookup_extended(seen, GINT_TO_POINTER(id), NULL, &known)) {
            g_ptr_array_add(pc->mcid_lang, known);
            qpdf_oh_release(q, e);
            continue;
        }
        /* Each handle is released once read: libqpdf keeps every handle until the
         * pass ends, and a merged file's pages hold tens of thousands of elements. */
        const char *lang = pc->t->doc_lang;
        for (int d = 0; d < 100 && qpdf_oh_is_dictionary(q, e); d++) {
            qpdf_oh l = qpdf_oh_get_key(q, e, "/Lang");
            bool found = qpdf_oh_is_string(q, l);
            if (found) {
                char *s = g_strdup(qpdf_oh_get_utf8_value(q, l));
                g_ptr_array_add(pc->owned, s);
                lang = s;
            }
            qpdf_oh_release(q, l);
            qpdf_oh up = found ? 0 : qpdf_oh_get_key(q, e, "/P");
            qpdf_oh_release(q, e);
            e = up;
            if (found)
                break;
        }
        if (e)
            qpdf_oh_release(q, e);
        if (id)
            g_hash_table_insert(seen, GINT_TO_POINTER(id), (gpointer)lang);
        g_ptr_array_add(pc->mcid_lang, (gpointer)lang);
    }
    g_hash_table_destroy(seen);
}

static bool is_show(const tk *op)
{
    return tk_is(op, "Tj") || tk_is(op, "TJ") || tk_is(op, "'") || tk_is(op, "\"");
}

static tk *arg(page_ctx *pc, const cop *o, guint i)
{
    return &g_array_index(pc->args, tk, o->arg0 + i);
}

/* The string operands of a text operator, in order. */
static guint show_strings(page_ctx *pc, const cop *o, tk **out, guint max)
{
    guint n = 0;
    for (guint i = 0; i < o->nargs && n < max; i++) {
        tk *a = arg(pc, o, i);
        if (a->kind == TK_HEX || a->kind == TK_LIT)
            out[n++] = a;
    }
    return n;
}

/* The two-byte codes of a hex string of plain digits appended to `codes` (the common
 * case, read without a copy); false for anything else. */
static bool hex_codes(const tk *a, GArray *codes)
{
    const char *p = a->s + 1, *e = a->e - 1;
    if ((e - p) % 4)
        return false;
    for (const char *q = p; q < e; q++)
        if (!g_ascii_isxdigit(*q))
            return false;
    for (; p < e; p += 4) {
        guint c = (guint)(g_ascii_xdigit_value(p[0]) << 12 | g_ascii_xdigit_value(p[1]) << 8 |
                          g_ascii_xdigit_value(p[2]) << 4 | g_ascii_xdigit_value(p[3]));
        g_array_append_val(codes, c);
    }
    return true;
}

/* The glyph codes of a text operator in font f. */
static GArray *show_codes(page_ctx *pc, const cop *o, const font_info *f)
{
    GArray *codes = g_array_new(FALSE, FALSE, sizeof(guint));
    for (guint i = 0; i < o->nargs; i++) {
        tk *a = arg(pc, o, i);
        if (a->kind != TK_HEX && a->kind != TK_LIT)
            continue;
        guint step = f && f->two_byte ? 2 : 1;
        if (a->kind == TK_HEX && step == 2 && hex_codes(a, codes))
            continue;
        GByteArray *b = string_bytes(a);
        for (guint k = 0; k + step <= b->len; k += step) {
            guint c = step == 2 ? (guint)(b->data[k] << 8 | b->data[k + 1]) : b->data[k];
            g_array_append_val(codes, c);
        }
        g_byte_array_free(b, TRUE);
    }
    return codes;
}

static bool parse_ops(page_ctx *pc, const char *c, size_t len)
{
    const char *p = c, *end = c + len, *from = c;
    guint arg0 = 0;
    for (;;) {
        tk t;
        p = lex(p, end, &t);
        if (t.kind == TK_END)
            break;
        if (t.kind != TK_OP) {
            g_array_append_val(pc->args, t);
            continue;
        }
        if (tk_is(&t, "BI") || tk_is(&t, "ID"))
            return false;   /* inline image data is not tokens */
        cop o = {from, t.e, arg0, pc->args->len - arg0, t, false, NULL, NULL, false, 0};
        g_array_append_val(pc->ops, o);
        arg0 = pc->args->len;
        from = t.e;
    }
    cop tail = {from, end, arg0, 0, {TK_END, end, end}, false, NULL, NULL, false, 0};
    g_array_append_val(pc->ops, tail);
    return true;
}

static cop *op_at(page_ctx *pc, guint i)
{
    return &g_array_index(pc->ops, cop, i);
}

/* The UTF-8 text of a BDC's /ActualText, when it is a span without an MCID. */
static char *actual_text(page_ctx *pc, const cop *o)
{
    for (guint i = 0; i < o->nargs; i++)
        if (arg(pc, o, i)->kind == TK_NAME && tk_is(arg(pc, o, i), "/MCID"))
            return NULL;
    for (guint i = 0; i + 1 < o->nargs; i++) {
        tk *a = arg(pc, o, i), *v = arg(pc, o, i + 1);
        if (a->kind == TK_NAME && tk_is(a, "/ActualText") &&
            (v->kind == TK_HEX || v->kind == TK_LIT)) {
            GByteArray *b = string_bytes(v);
            char *s = b->len >= 2 && b->data[0] == 0xfe && b->data[1] == 0xff
                          ? utf16be_to_utf8(b->data, b->len)
                          : g_strndup((const char *)b->data, b->len);   /* PDFDocEncoding, ASCII */
            g_byte_array_free(b, TRUE);
            return s;
        }
    }
    return NULL;
}

/* The font set by a Tf; each name is looked up in the page's resources once (a page
 * switches fonts thousands of times). */
static font_info *tf_font(page_ctx *pc, const cop *o)
{
    if (o->nargs < 2 || arg(pc, o, 0)->kind != TK_NAME)
        return NULL;
    const tk *name = arg(pc, o, 0);
    char key[128];
    size_t n = (size_t)(name->e - name->s);
    if (n >= sizeof key)
        return NULL;
    memcpy(key, name->s, n);
    key[n] = '\0';
    gpointer f;
    if (g_hash_table_lookup_extended(pc->by_name, key, NULL, &f))
        return f;
    f = font_lookup(pc->t, pc->fonts, name);
    g_hash_table_insert(pc->by_name, g_strdup(key), f);
    return f;
}

/* The text of an ActualText span shared over its k glyphs in drawing order, each a
 * non-empty piece when there are as many characters as glyphs; in a right-to-left
 * cluster the glyph drawn last reads first, as readers put the glyphs of an RTL run
 * back in logical order. */
static char **share_text(const char *text, guint k)
{
    glong n = g_utf8_strlen(text, -1);
    char **piece = g_new0(char *, k + 1);
    bool rtl = false;
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        GUnicodeScript s = g_unichar_get_script(g_utf8_get_char(p));
        if (s == G_UNICODE_SCRIPT_ARABIC || s == G_UNICODE_SCRIPT_HEBREW)
            rtl = true;
    }
    /* The first pieces take one character each, the last the rest. */
    const char *p = text;
    for (guint i = 0; i < k; i++) {
        guint slot = rtl ? k - 1 - i : i;
        glong take = (glong)i < n ? (i + 1 < k ? 1 : n - (glong)i) : 0;
        const char *q = g_utf8_offset_to_pointer(p, take);
        piece[slot] = rtl ? g_utf8_strreverse(p, (gssize)(q - p)) : g_strndup(p, (gsize)(q - p));
        p = q;
    }
    return piece;
}

/* Replaces the ActualText span beginning at op i (ending at its EMC j) with glyphs of
 * their own readings; false when it cannot (a font we cannot remap, nested content). */
static bool remap_span(page_ctx *pc, guint i, guint j, font_info *font, const char *text)
{
    guint glyphs = 0;
    font_info *f = font;
    for (guint k = i + 1; k < j; k++) {
        cop *o = op_at(pc, k);
        if (tk_is(&o->op, "Tf"))
            f = tf_font(pc, o);
        else if (tk_is(&o->op, "BDC") || tk_is(&o->op, "BMC") || tk_is(&o->op, "EMC"))
            return false;
        else if (is_show(&o->op)) {
            if (!f || !f->remappable)
                return false;
            GArray *codes = show_codes(pc, o, f);
            glyphs += codes->len;
            g_array_free(codes, TRUE);
        }
    }
    op_at(pc, i)->drop = op_at(pc, j)->drop = true;
    if (glyphs == 0)
        return true;   /* a line break's space, a bidi mark: nothing drawn, nothing read */
    char **piece = share_text(text, glyphs);
    guint g = 0;
    f = font;
    for (guint k = i + 1; k < j; k++) {
        cop *o = op_at(pc, k);
        if (tk_is(&o->op, "Tf"))
            f = tf_font(pc, o);
        if (!is_show(&o->op))
            continue;
        GArray *codes = show_codes(pc, o, f);
        for (guint c = 0; c < codes->len; c++, g++)
            g_array_index(codes, guint, c) = reading_cid(f, g_array_index(codes, guint, c),
                                                         piece[g], width_of(f, g_array_index(codes, guint, c)));
        o->codes = codes;
    }
    g_strfreev(piece);
    return true;
}

/* A text operator with its strings written again with its new codes. */
static void write_remapped(page_ctx *pc, GString *out, const cop *o)
{
    tk *strs[256];
    guint ns = show_strings(pc, o, strs, G_N_ELEMENTS(strs));
    const char *p = o->s;
    guint c = 0;
    for (guint i = 0; i < ns; i++) {
        g_string_append_len(out, p, strs[i]->s - p);
        GByteArray *b = string_bytes(strs[i]);
        g_string_append_c(out, '<');
        for (guint k = 0; k + 2 <= b->len && c < o->codes->len; k += 2)
            g_string_append_printf(out, "%04x", g_array_index(o->codes, guint, c++));
        g_string_append_c(out, '>');
        g_byte_array_free(b, TRUE);
        p = strs[i]->e;
    }
    g_string_append_len(out, p, o->e - p);
}

/* What a text operator reads as (after remapping). */
static char *show_text(page_ctx *pc, const cop *o, const font_info *f)
{
    if (!f)
        return g_strdup("");
    GArray *codes = o->codes ? o->codes : show_codes(pc, o, f);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < codes->len; i++) {
        const char *u = g_hash_table_lookup(f->tu, GUINT_TO_POINTER(g_array_index(codes, guint,
                                                                                  i)));
        if (u)
            g_string_append(s, u);
        g_hash_table_add(f->used, GUINT_TO_POINTER(g_array_index(codes, guint, i)));
    }
    if (!o->codes)
        g_array_free(codes, TRUE);
    return g_string_free(s, FALSE);
}

static void emit(page_ctx *pc, GString *to, const cop *o)
{
    if (o->tj)
        g_string_append_len(to, o->tj->str, o->tj->len);
    else if (o->codes)
        write_remapped(pc, to, o);
    else
        g_string_append_len(to, o->s, o->e - o->s);
}

/* The index of the EMC that closes the sequence begun at op i, or 0. */
static guint sequence_end(page_ctx *pc, guint i)
{
    guint depth = 0;
    for (guint j = i; j < pc->ops->len; j++) {
        const tk *x = &op_at(pc, j)->op;
        depth += tk_is(x, "BDC") || tk_is(x, "BMC") ? 1 : tk_is(x, "EMC") ? -1 : 0;
        if (depth == 0)
            return j;
    }
    return 0;
}

static bool is_mc(const tk *op)
{
    return tk_is(op, "BDC") || tk_is(op, "BMC") || tk_is(op, "EMC");
}

/* A zero-width mark that the shaper moved (a matra, a nukta, a reph) is drawn with a
 * TJ offset before it and the opposite one after it: `228 <mark> -228`. Readers that
 * place characters by their glyph boxes (poppler, pdf.js) see a gap after the mark and
 * break the word there ("ज़ रू री"). The mark gets a CID whose advance is the gap, and
 * the offset after it goes: the pen ends where it did, the glyphs stay where they were,
 * and the gap is gone. */
static void marks_take_offsets(page_ctx *pc, cop *o, font_info *f)
{
    GArray *codes = o->codes ? o->codes : show_codes(pc, o, f);
    GString *tj = g_string_new(NULL);
    g_string_append_len(tj, o->s, arg(pc, o, 0)->s - o->s);
    guint c = 0;
    bool changed = false;
    for (guint i = 0; i < o->nargs; i++) {
        tk *a = arg(pc, o, i);
        if (a->kind != TK_HEX && a->kind != TK_LIT) {
            g_string_append_len(tj, a->s, a->e - a->s);
            g_string_append_c(tj, ' ');
            continue;
        }
        GByteArray *b = string_bytes(a);
        guint n = b->len / 2;
        g_byte_array_free(b, TRUE);
        tk *next = i + 1 < o->nargs ? arg(pc, o, i + 1) : NULL;
        double gap = next && next->kind == TK_NUM ? -g_ascii_strtod(next->s, NULL) : 0;
        g_string_append_c(tj, '<');
        for (guint k = 0; k < n && c < codes->len; k++, c++) {
            guint code = g_array_index(codes, guint, c);
            if (k + 1 == n && gap >= 1 && gap < 2000 && width_of(f, code) == 0) {
                const char *text = g_hash_table_lookup(f->tu, GUINT_TO_POINTER(code));
                code = reading_cid(f, code, text ? text : "", (int)gap);
                i++;   /* its offset is now its advance */
                changed = true;
                g_string_append_printf(tj, "%04x> ", code);
                c++;
                goto next_item;
            }
            g_string_append_printf(tj, "%04x", code);
        }
        g_string_append(tj, "> ");
    next_item:;
    }
    g_string_append(tj, "TJ");
    if (!o->codes)
        g_array_free(codes, TRUE);
    if (changed)
        o->tj = tj;
    else
        g_string_free(tj, TRUE);
}

/* Pass 1: every ActualText span cairo wrote whose glyphs can take CIDs of their own. */
static void remap_spans(page_ctx *pc)
{
    font_info *font = NULL;
    for (guint i = 0; i < pc->ops->len; i++) {
        cop *o = op_at(pc, i);
        if (tk_is(&o->op, "Tf"))
            font = tf_font(pc, o);
        if (!tk_is(&o->op, "BDC"))
            continue;
        char *text = actual_text(pc, o);
        guint j = text ? sequence_end(pc, i) : 0;
        if (j)
            remap_span(pc, i, j, font, text);
        g_free(text);
    }
    font = NULL;
    for (guint i = 0; i < pc->ops->len; i++) {
        cop *o = op_at(pc, i);
        if (tk_is(&o->op, "Tf"))
            font = tf_font(pc, o);
        else if (tk_is(&o->op, "TJ") && font && font->remappable && o->nargs)
            marks_take_offsets(pc, o, font);
    }
}

/* The script of a text operator's letters (INVALID_CODE: none), read once; reading it
 * also counts its codes as drawn. */
static GUnicodeScript op_script(page_ctx *pc, cop *o, const font_info *f)
{
    if (!o->scanned) {
        char *text = show_text(pc, o, f);
        o->script = text_script(text);
        o->scanned = true;
        g_free(text);
    }
    return o->script;
}

/* The language a text operator's letters ask for inside an element in `own` (NULL: the
 * element's own; "" for no letters: neutral). */
static const char *run_lang(page_ctx *pc, cop *o, const font_info *f, GUnicodeScript own)
{
    GUnicodeScript s = op_script(pc, o, f);
    if (s == G_UNICODE_SCRIPT_INVALID_CODE)
        return "";
    return s == own ? NULL : lang_of(s);
}

/* Whether the tagged sequence from op i to its EMC j holds a run in another script than
 * its element's, and can be split: no marked content inside it. */
static bool needs_split(page_ctx *pc, guint i, guint j, font_info *font, const char *own)
{
    GUnicodeScript own_script = script_of(own);
    bool foreign = false;
    for (guint k = i + 1; k < j; k++) {
        cop *o = op_at(pc, k);
        if (o->drop)
            continue;
        if (is_mc(&o->op))
            return false;
        if (tk_is(&o->op, "Tf"))
            font = tf_font(pc, o);
        else if (is_show(&o->op)) {
            const char *l = run_lang(pc, o, font, own_script);
            if (l && *l)
                foreign = true;
        }
    }
    return foreign;
}

/* A tagged sequence being split into pieces, one per language run: each piece its own
 * MCID of the same element (the first keeps the sequence's), the foreign ones with a
 * marked-content /Lang. Pieces never cross BT or ET (marked content and text objects
 * nest), so a piece closes before each and the next opens with the next operator. */
typedef struct {
    guint end;           /* the sequence's EMC, 0 when not splitting */
    char *tag;           /* its tag, "/P" */
    long mcid;
    GUnicodeScript own_script;   /* the script of its element's language */
    const char *want;    /* the language of the current run (NULL: own) */
    bool open;
    const char *open_lang;
    bool first;
    bool in_bt;          /* inside a text object */
    GArray *added;       /* the new MCIDs, in order */
} split;

static void piece_close(GString *out, split *sp)
{
    if (sp->open)
        g_string_append(out, "\nEMC\n");
    sp->open = false;
}

static void piece_open(page_ctx *pc, GString *out, split *sp)
{
    long m = sp->mcid;
    if (!sp->first) {
        m = (long)qpdf_oh_get_array_n_items(pc->t->q, pc->parents);
        qpdf_oh_append_item(pc->t->q, pc->parents,
                            qpdf_oh_get_array_item(pc->t->q, pc->parents, (int)sp->mcid));
        g_array_append_val(sp->added, m);
    }
    sp->first = false;
    g_string_append_printf(out, "\n%s << /MCID %ld", sp->tag, m);
    if (sp->want)
        g_string_append_printf(out, " /Lang (%s)", sp->want);
    g_string_append(out, " >> BDC\n");
    sp->open = true;
    sp->open_lang = sp->want;
}

/* Operators that only set the graphics state: a piece need not begin for them outside a
 * text object (a piece never begins inside a path object either: `re` ... `f` is one). */
static bool is_state(const tk *op)
{
    static const char *const STATE[] = {"q", "Q", "cm", "w", "J", "j", "M", "d", "ri",
        "i", "gs", "rg", "RG", "g", "G", "k", "K", "cs", "CS", "sc", "SC", "scn", "SCN",
        "Tf", "Tc", "Tw", "Tz", "TL", "Tr", "Ts"};
    for (size_t i = 0; i < G_N_ELEMENTS(STATE); i++)
        if (tk_is(op, STATE[i]))
            return true;
    return false;
}

static bool same_lang(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static bool same_page(qpdf_data q, qpdf_oh a, qpdf_oh b)
{
    return qpdf_oh_get_object_id(q, a) == qpdf_oh_get_object_id(q, b) &&
           qpdf_oh_get_object_id(q, a) != 0;
}

/* The element of a split sequence lists its new pieces right after the first. */
static void add_pieces(page_ctx *pc, const split *sp)
{
    qpdf_data q = pc->t->q;
    qpdf_oh elem = qpdf_oh_get_array_item(q, pc->parents, (int)sp->mcid);
    if (!qpdf_oh_is_dictionary(q, elem) || !sp->added->len)
        return;
    qpdf_oh k = qpdf_oh_get_key(q, elem, "/K");
    if (!qpdf_oh_is_array(q, k))
        k = qpdf_oh_wrap_in_array(q, k);
    bool direct = same_page(q, qpdf_oh_get_key(q, elem, "/Pg"), pc->page);
    qpdf_oh kids = qpdf_oh_new_array(q);
    int n = qpdf_oh_get_array_n_items(q, k);
    bool placed = false;
    for (int i = 0; i <= n; i++) {
        qpdf_oh c = i < n ? qpdf_oh_get_array_item(q, k, i) : qpdf_oh_new_null(q);
        if (i < n)
            qpdf_oh_append_item(q, kids, c);
        bool here = i == n ? !placed
                   : qpdf_oh_is_integer(q, c)
                       ? direct && qpdf_oh_get_int_value(q, c) == sp->mcid
                       : qpdf_oh_is_dictionary(q, c) &&
                             qpdf_oh_is_integer(q, qpdf_oh_get_key(q, c, "/MCID")) &&
                             qpdf_oh_get_int_value(q, qpdf_oh_get_key(q, c, "/MCID")) ==
                                 sp->mcid &&
                             (qpdf_oh_has_key(q, c, "/Pg")
                                  ? same_page(q, qpdf_oh_get_key(q, c, "/Pg"), pc->page)
                                  : direct);
        if (!here || placed)
            continue;
        placed = true;
        for (guint a = 0; a < sp->added->len; a++) {
            long m = g_array_index(sp->added, long, a);
            if (direct) {
                qpdf_oh_append_item(q, kids, qpdf_oh_new_integer(q, m));
            } else {
                qpdf_oh mcr = qpdf_oh_parse(q, "<< /Type /MCR >>");
                qpdf_oh_replace_key(q, mcr, "/Pg", pc->page);
                qpdf_oh_replace_key(q, mcr, "/MCID", qpdf_oh_new_integer(q, m));
                qpdf_oh_append_item(q, kids, mcr);
            }
        }
    }
    qpdf_oh_replace_key(q, elem, "/K", kids);
}

/* Pass 2: the content written again with the new codes and the language pieces. */
static GString *rewrite(page_ctx *pc)
{
    GString *out = g_string_sized_new(1024);
    font_info *font = NULL;
    split sp = {0};
    sp.added = g_array_new(FALSE, FALSE, sizeof(long));
    bool changed = false;
    for (guint i = 0; i < pc->ops->len; i++) {
        cop *o = op_at(pc, i);
        if (o->drop) {   /* the ActualText span's BDC or EMC and its operands */
            changed = true;
            continue;
        }
        if (o->codes || o->tj)
            changed = true;
        if (tk_is(&o->op, "Tf"))
            font = tf_font(pc, o);
        if (sp.end && i == sp.end) {   /* the sequence's own EMC: the last piece's */
            piece_close(out, &sp);
            add_pieces(pc, &sp);
            g_free(sp.tag);
            sp.tag = NULL;
            sp.end = 0;
            g_array_set_size(sp.added, 0);
            g_string_append_len(out, o->s, o->op.s - o->s);
            continue;
        }
        if (sp.end) {
            if (tk_is(&o->op, "BT") || tk_is(&o->op, "ET")) {
                piece_close(out, &sp);
                sp.in_bt = tk_is(&o->op, "BT");
                emit(pc, out, o);
                continue;
            }
            if (!sp.open && !sp.in_bt && is_state(&o->op)) {
                emit(pc, out, o);   /* not content: outside the pieces, as cairo's are */
                continue;
            }
            if (is_show(&o->op)) {
                const char *l = run_lang(pc, o, font, sp.own_script);
                if (!l || *l)
                    sp.want = l;
            }
            if (sp.open && !same_lang(sp.open_lang, sp.want))
                piece_close(out, &sp);
            if (!sp.open)
                piece_open(pc, out, &sp);
            emit(pc, out, o);
            continue;
        }
        if (is_show(&o->op))
            op_script(pc, o, font);   /* counts the codes in use */
        long m = -1;
        for (guint k = 0; tk_is(&o->op, "BDC") && k + 1 < o->nargs; k++)
            if (tk_is(arg(pc, o, k), "/MCID"))
                m = strtol(arg(pc, o, k + 1)->s, NULL, 10);
        const char *own = m >= 0 && (guint)m < pc->mcid_lang->len ? pc->mcid_lang->pdata[m]
                                                                   : NULL;
        guint j = own && arg(pc, o, 0)->kind == TK_NAME ? sequence_end(pc, i) : 0;
        if (j && needs_split(pc, i, j, font, own)) {
            sp = (split){j, g_strndup(arg(pc, o, 0)->s, (gsize)(arg(pc, o, 0)->e -
                                                                 arg(pc, o, 0)->s)),
                         m, script_of(own), NULL, false, NULL, true, false, sp.added};
            changed = true;
            g_string_append_len(out, o->s, arg(pc, o, 0)->s - o->s);
            continue;
        }
        emit(pc, out, o);
    }
    g_free(sp.tag);
    g_array_free(sp.added, TRUE);
    if (!changed) {
        g_string_free(out, TRUE);
        return NULL;
    }
    return out;
}

GString *pdf_text_content(pdf_text *t, qpdf_oh page, const char *c, size_t len)
{
    qpdf_data q = t->q;
    page_ctx pc = {t, qpdf_oh_get_key(q, qpdf_oh_get_key(q, page, "/Resources"), "/Font"),
                   page, qpdf_oh_new_null(q), g_ptr_array_new(),
                   g_ptr_array_new_with_free_func(g_free),
                   g_array_new(FALSE, FALSE, sizeof(tk)), g_array_new(FALSE, FALSE, sizeof(cop)),
                   g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
    page_langs(&pc, page);
    GString *out = NULL;
    if (parse_ops(&pc, c, len)) {
        remap_spans(&pc);
        out = rewrite(&pc);
    }
    for (guint i = 0; i < pc.ops->len; i++)
    {
        if (op_at(&pc, i)->codes)
            g_array_free(op_at(&pc, i)->codes, TRUE);
        if (op_at(&pc, i)->tj)
            g_string_free(op_at(&pc, i)->tj, TRUE);
    }
    g_array_free(pc.ops, TRUE);
    g_array_free(pc.args, TRUE);
    g_ptr_array_free(pc.mcid_lang, TRUE);
    g_ptr_array_free(pc.owned, TRUE);
    g_hash_table_destroy(pc.by_name);
    return out;
}

pdf_text *pdf_text_new(qpdf_data q)
{
    pdf_text *t = g_new0(pdf_text, 1);
    t->q = q;
    t->fonts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify)font_free);
    t->order = g_ptr_array_new();
    qpdf_oh l = qpdf_oh_get_key(q, qpdf_get_root(q), "/Lang");
    t->doc_lang = g_strdup(qpdf_oh_is_string(q, l) ? qpdf_oh_get_utf8_value(q, l) : "en");
    return t;
}

void pdf_text_put_stream(qpdf_data q, qpdf_oh stream, const char *data, size_t len)
{
    uLongf n = compressBound((uLong)len);
    unsigned char *z = g_malloc(n);
    if (compress2(z, &n, (const Bytef *)data, (uLong)len, 6) == Z_OK)
        qpdf_oh_replace_stream_data(q, stream, z, n, qpdf_oh_new_name(q, "/FlateDecode"),
                                    qpdf_oh_new_null(q));
    else
        qpdf_oh_replace_stream_data(q, stream, (const unsigned char *)data, len,
                                    qpdf_oh_new_null(q), qpdf_oh_new_null(q));
    g_free(z);
}

/* ---- writing the fonts back ------------------------------------------------------------ */

static int code_cmp(const void *a, const void *b)
{
    guint x = GPOINTER_TO_UINT(*(void *const *)a), y = GPOINTER_TO_UINT(*(void *const *)b);
    return x < y ? -1 : x > y;
}

static void hex_utf16(GString *s, const char *text)
{
    glong n = 0;
    gunichar2 *u = g_utf8_to_utf16(text, -1, NULL, &n, NULL);
    for (glong i = 0; u && i < n; i++)
        g_string_append_printf(s, "%04x", u[i]);
    g_free(u);
}

static bool is_fffd(const char *s)
{
    return !strcmp(s, "\xef\xbf\xbd");
}

/* A ToUnicode CMap of the font's readings, without the U+FFFD entries no glyph drawn
 * uses any longer. */
static GString *tounicode_cmap(const font_info *f)
{
    guint ncodes = 0;
    gpointer *codes = g_hash_table_get_keys_as_array(f->tu, &ncodes);
    qsort(codes, ncodes, sizeof *codes, code_cmp);
    GString *s = g_string_new(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo\n<< /Registry (Adobe)\n   /Ordering (UCS)\n   /Supplement 0\n>> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n");
    GPtrArray *keep = g_ptr_array_new();
    for (guint i = 0; i < ncodes; i++) {
        const char *u = g_hash_table_lookup(f->tu, codes[i]);
        if (is_fffd(u) && !g_hash_table_contains(f->used, codes[i]))
            continue;
        g_ptr_array_add(keep, codes[i]);
    }
    for (guint i = 0; i < keep->len; i += 100) {
        guint n = MIN(100u, keep->len - i);
        g_string_append_printf(s, "%u beginbfchar\n", n);
        for (guint k = i; k < i + n; k++) {
            g_string_append_printf(s, "<%04x> <", GPOINTER_TO_UINT(keep->pdata[k]));
            hex_utf16(s, g_hash_table_lookup(f->tu, keep->pdata[k]));
            g_string_append(s, ">\n");
        }
        g_string_append(s, "endbfchar\n");
    }
    g_string_append(s, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    g_ptr_array_free(keep, TRUE);
    g_free(codes);
    return s;
}

static void font_write(qpdf_data q, font_info *f)
{
    guint n = f->new_gid->len;
    /* CIDToGIDMap: the old CIDs as they were, then the new ones. */
    size_t len = 2 * ((size_t)f->first_new + n);
    guint8 *map = g_malloc0(len);
    for (guint c = 0; c < f->first_new; c++) {
        guint g = gid_of(f, c);
        map[2 * c] = (guint8)(g >> 8);
        map[2 * c + 1] = (guint8)g;
    }
    for (guint i = 0; i < n; i++) {
        guint16 g = g_array_index(f->new_gid, guint16, i);
        map[2 * (f->first_new + i)] = (guint8)(g >> 8);
        map[2 * (f->first_new + i) + 1] = (guint8)g;
    }
    qpdf_oh c2g = qpdf_make_indirect_object(q, qpdf_oh_new_stream(q));
    pdf_text_put_stream(q, c2g, (const char *)map, len);
    qpdf_oh_replace_key(q, f->cidfont, "/CIDToGIDMap", c2g);
    g_free(map);
    /* /W: the new CIDs' widths, those of the glyphs they draw. */
    qpdf_oh w = qpdf_oh_get_key(q, f->cidfont, "/W");
    if (!qpdf_oh_is_array(q, w)) {
        w = qpdf_oh_new_array(q);
        qpdf_oh_replace_key(q, f->cidfont, "/W", w);
    }
    qpdf_oh widths = qpdf_oh_new_array(q);
    for (guint i = 0; i < n; i++)
        qpdf_oh_append_item(q, widths, qpdf_oh_new_integer(q, GPOINTER_TO_INT(
            g_hash_table_lookup(f->width, GUINT_TO_POINTER(f->first_new + i)))));
    qpdf_oh_append_item(q, w, qpdf_oh_new_integer(q, f->first_new));
    qpdf_oh_append_item(q, w, widths);
    GString *cmap = tounicode_cmap(f);
    qpdf_oh tu = qpdf_make_indirect_object(q, qpdf_oh_new_stream(q));
    pdf_text_put_stream(q, tu, cmap->str, cmap->len);
    qpdf_oh_replace_key(q, f->font, "/ToUnicode", tu);
    g_string_free(cmap, TRUE);
}

void pdf_text_finish(pdf_text *t)
{
    for (guint i = 0; i < t->order->len; i++) {
        font_info *f = t->order->pdata[i];
        if (f->remappable && f->new_gid->len)
            font_write(t->q, f);
    }
    g_ptr_array_free(t->order, TRUE);
    g_hash_table_destroy(t->fonts);
    if (t->parents)
        g_hash_table_destroy(t->parents);
    g_free(t->doc_lang);
    g_free(t);
}

/* Whether a text may hold clusters cairo maps through ActualText: a script that is
 * shaped (anything but Latin and the common characters), or a Latin ligature. */
static bool shaped_text(const char *text)
{
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == 'f' && (p[1] == 'f' || p[1] == 'i' || p[1] == 'l'))
            return true;
        if (c < 0x250)
            continue;
        GUnicodeScript s = g_unichar_get_script(c);
        if (s != G_UNICODE_SCRIPT_LATIN && s != G_UNICODE_SCRIPT_COMMON &&
            s != G_UNICODE_SCRIPT_INHERITED)
            return true;
    }
    return false;
}

bool pdf_text_needed(const dl_doc *doc)
{
    for (size_t p = 0; doc && p < dl_page_count(doc); p++) {
        const dl_page *page = dl_page_get(doc, p);
        for (size_t i = 0; page && i < page->items.len; i++) {
            const dl_item *it = page->items.items[i];
            if (it->kind == DL_TEXT && it->layout && shaped_text(pango_layout_get_text(it->layout)))
                return true;
        }
    }
    return false;
}

/* ---- a file of its own ------------------------------------------------------------------ */

bool pdf_text_file(const char *pdf, size_t len, char **out, size_t *out_len)
{
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    bool ok = false;
    *out = NULL;
    *out_len = 0;
    if (qpdf_read_memory(q, "overlay.pdf", pdf, (unsigned long long)len, NULL) & QPDF_ERRORS)
        goto done;
    pdf_text *t = pdf_text_new(q);
    int pages = qpdf_get_num_pages(q);
    for (int i = 0; i < pages; i++) {
        qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
        qpdf_oh c = qpdf_oh_get_key(q, page, "/Contents");
        if (qpdf_oh_is_array(q, c) && qpdf_oh_get_array_n_items(q, c) == 1)
            c = qpdf_oh_get_array_item(q, c, 0);
        size_t n;
        guint8 *data = stream_bytes(q, c, &n);
        GString *text = data ? pdf_text_content(t, page, (const char *)data, n) : NULL;
        if (text) {
            pdf_text_put_stream(q, c, text->str, text->len);
            g_string_free(text, TRUE);
        }
        g_free(data);
    }
    pdf_text_finish(t);
    qpdf_oh_release_all(q);
    if (qpdf_init_write_memory(q) & QPDF_ERRORS)
        goto done;
    qpdf_set_decode_level(q, qpdf_dl_none);
    qpdf_set_compress_streams(q, QPDF_FALSE);
    qpdf_set_object_stream_mode(q, qpdf_o_disable);
    qpdf_set_deterministic_ID(q, QPDF_TRUE);
    if (qpdf_write(q) & QPDF_ERRORS)
        goto done;
    *out_len = qpdf_get_buffer_length(q);
    *out = g_memdup2(qpdf_get_buffer(q), *out_len);
    ok = *out != NULL;
done:
    qpdf_cleanup(&q);
    return ok;
}
