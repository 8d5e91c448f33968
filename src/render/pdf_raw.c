/* pdf_raw.c - a PDF file's objects, the way cairo 1.16 and the finisher write them
 * (pdf_raw.h): classic xref tables and their /Prev chain, generation 0, streams with a
 * /Length, no object streams. Anything else is refused rather than guessed at.
 *
 * Objects are cut into spans of the file (found through the newest xref entry of each
 * number, parsed on first use); their streams read with zlib; the page list and a
 * page's ParentTree array found through the catalog. The two writers the assembler
 * needs for objects of its own (a deflated stream, a number without printf) are here
 * too, beside the reader whose format they match. */
#include "pdf_raw.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <zlib.h>

/* More objects than this is not a file cairo wrote for us (and bounds the tables). */
enum { MAX_OBJECTS = 4000000, MAX_XREF_SECTIONS = 64, MAX_PAGE_DEPTH = 16 };

raw_obj *raw_obj_at(const raw_file *f, long n)
{
    return n >= 0 && (size_t)n < f->objs->len ? &g_array_index(f->objs, raw_obj, n) : NULL;
}

/* An integer, written directly or as a reference to an object holding it (cairo's
 * stream lengths are such objects). */
static bool int_value(const raw_file *f, const char *vs, const char *ve, long *v)
{
    long num;
    const char *p = vs;
    if (raw_lex_ref(&p, ve, &num)) {
        const raw_obj *o = raw_obj_get(f, num);
        if (!o || o->data)
            return false;
        p = f->buf + o->val;
        ve = f->buf + o->val_end;
    }
    *v = raw_tk_int(raw_lex(&p, ve));
    return *v >= 0 && raw_lex(&p, ve).kind == TK_END;
}

/* "stream" EOL data EOL? "endstream": the data's span from its /Length. */
static bool parse_stream(const raw_file *f, raw_obj *o, const char **pp)
{
    const char *p = *pp, *end = f->buf + f->len, *vs, *ve;
    p += p < end && *p == '\r';
    if (p >= end || *p != '\n')
        return false;
    p++;
    long n;
    const char *d = f->buf + o->val;
    if (!raw_dict_get(d, f->buf + o->val_end, "/Length", &vs, &ve) || !int_value(f, vs, ve, &n) ||
        (size_t)n > (size_t)(end - p))
        return false;
    o->data = (size_t)(p - f->buf);
    o->data_len = (size_t)n;
    p += n;
    if (!raw_tk_is(raw_lex(&p, end), "endstream"))
        return false;
    *pp = p;
    return true;
}

/* Object n at its offset: checks "n 0 obj" and finds the value, the stream and the
 * end. The end comes from the syntax (and /Length), never from the next offset. */
static bool parse_obj(const raw_file *f, long n, raw_obj *o)
{
    const char *p = f->buf + o->start, *end = f->buf + f->len;
    if (raw_tk_int(raw_lex(&p, end)) != n || raw_tk_int(raw_lex(&p, end)) != 0 ||
        !raw_tk_is(raw_lex(&p, end), "obj"))
        return false;
    o->val = (size_t)(p - f->buf);
    raw_token t;
    do
        t = raw_lex(&p, end);
    while (t.kind != TK_END && t.kind != TK_BAD && !raw_tk_is(t, "stream") &&
           !raw_tk_is(t, "endobj"));
    if (t.kind == TK_END || t.kind == TK_BAD)
        return false;
    o->val_end = (size_t)(t.s - f->buf);
    if (raw_tk_is(t, "stream") &&
        (!parse_stream(f, o, &p) || !raw_tk_is(raw_lex(&p, end), "endobj")))
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
const raw_obj *raw_obj_get(const raw_file *f, long n)
{
    raw_obj *o = raw_obj_at(f, n);
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
            return raw_tk_int(raw_lex(&p, buf + len));
        }
    return -1;
}

/* Entries of one subsection ("first count" then 20-byte lines). A number keeps the
 * entry of the newest section that lists it: sections are read newest first. */
static bool read_entries(raw_file *f, const char **pp, long first, long count)
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
        long off = raw_tk_int((raw_token){TK_NUM, p, 10});
        long gen = raw_tk_int((raw_token){TK_NUM, p + 11, 5});
        if (off < 0 || gen < 0 || p[10] != ' ' || p[16] != ' ' ||
            (p[17] != 'n' && p[17] != 'f'))
            return false;
        raw_obj *o = raw_obj_at(f, first + i);
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
static bool read_trailer(raw_file *f, const char *p, bool newest, long *prev)
{
    const char *end = f->buf + f->len, *vs, *ve, *d = p;
    const char *dummy;
    if (!raw_skip_value(&p, end, &dummy))
        return false;
    if (raw_dict_get(d, p, "/Encrypt", &vs, &ve) || raw_dict_get(d, p, "/XRefStm", &vs, &ve))
        return false;
    *prev = -1;
    if (raw_dict_get(d, p, "/Prev", &vs, &ve) && (*prev = raw_tk_int(raw_lex(&vs, ve))) < 0)
        return false;
    if (!newest)
        return true;
    if (!raw_dict_get(d, p, "/Size", &vs, &ve) || (f->size = raw_tk_int(raw_lex(&vs, ve))) <= 0 ||
        !raw_dict_get(d, p, "/Root", &vs, &ve) || !raw_lex_ref(&vs, ve, &f->root))
        return false;
    f->info = -1;
    return !raw_dict_get(d, p, "/Info", &vs, &ve) || raw_lex_ref(&vs, ve, &f->info);
}

/* One section at off: "xref", subsections, "trailer" and its dictionary. */
static bool read_section(raw_file *f, long off, bool newest, long *prev)
{
    const char *p = f->buf + off, *end = f->buf + f->len;
    if (!raw_tk_is(raw_lex(&p, end), "xref"))
        return false;
    for (;;) {
        raw_token t = raw_lex(&p, end);
        if (raw_tk_is(t, "trailer"))
            return read_trailer(f, p, newest, prev);
        long first = raw_tk_int(t), count = raw_tk_int(raw_lex(&p, end));
        if (first < 0 || !read_entries(f, &p, first, count))
            return false;
    }
}

/* Follows startxref and the /Prev chain, newest section first. */
bool raw_open(raw_file *f, const char *buf, size_t len)
{
    *f = (raw_file){buf, len, g_array_new(FALSE, TRUE, sizeof(raw_obj)), 0, 0, -1};
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

void raw_close(raw_file *f)
{
    g_array_free(f->objs, TRUE);
}

/* A stream's content, up to `cap` bytes of it (*whole when that is all of it); NULL
 * when it cannot be read. Only no filter or /FlateDecode (all cairo and qpdf write
 * here) are read; a content that only matters by its start is not inflated further. */
GString *raw_stream_data(const raw_file *f, const raw_obj *o, size_t cap, bool *whole)
{
    const char *d = f->buf + o->val, *de = f->buf + o->val_end, *vs, *ve;
    const char *data = f->buf + o->data;
    if (!o->data || raw_dict_get(d, de, "/DecodeParms", &vs, &ve))
        return NULL;
    if (!raw_dict_get(d, de, "/Filter", &vs, &ve)) {
        GString *s = g_string_sized_new(MIN(o->data_len, cap));
        g_string_append_len(s, data, (gssize)MIN(o->data_len, cap));
        *whole = s->len == o->data_len;
        return s;
    }
    if (!raw_tk_is(raw_lex(&vs, ve), "/FlateDecode") || raw_lex(&vs, ve).kind != TK_END ||
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
GString *raw_stream_inflate(const raw_file *f, const raw_obj *o)
{
    bool whole;
    GString *s = raw_stream_data(f, o, SIZE_MAX, &whole);
    if (s && !whole) {
        g_string_free(s, TRUE);
        return NULL;
    }
    return s;
}

/* ---- values, streams and pages ----------------------------------------------------- */

/* The value [*vs, *ve) itself, or, when it is a reference, the value of its object. */
bool raw_deref(const raw_file *f, const char **vs, const char **ve)
{
    const char *p = *vs;
    long num;
    if (!raw_lex_ref(&p, *ve, &num))
        return true;
    const raw_obj *o = raw_obj_get(f, num);
    if (!o)
        return false;
    *vs = f->buf + o->val;
    *ve = f->buf + o->val_end;
    return true;
}

/* The value of `key` in the dictionary d, followed when it is a reference. */
bool raw_dict_get_deref(const raw_file *f, const char *d, const char *de, const char *key,
                        const char **vs, const char **ve)
{
    return raw_dict_get(d, de, key, vs, ve) && raw_deref(f, vs, ve);
}

/* Object `num` as a stream of `data`, deflated. */
void raw_append_stream(GString *out, long num, const char *extra, const char *data,
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
static bool page_list(const raw_file *f, long num, int depth, GArray *pages)
{
    const raw_obj *o = raw_obj_get(f, num);
    if (!o || depth > MAX_PAGE_DEPTH)
        return false;
    const char *d = f->buf + o->val, *de = f->buf + o->val_end, *vs, *ve, *at;
    if (raw_dict_has_name(d, de, "/Type", "/Page")) {
        g_array_append_val(pages, num);
        return true;
    }
    if (!raw_dict_has_name(d, de, "/Type", "/Pages") || !raw_dict_get(d, de, "/Kids", &vs, &ve))
        return false;
    long kid;
    raw_refs rs = raw_scan_refs(vs, ve);
    while (raw_next_ref(&rs, &at, &kid))
        if (!page_list(f, kid, depth + 1, pages))
            return false;
    return !rs.bad;
}

/* The document's pages in order. */
bool raw_document_pages(const raw_file *f, GArray *pages)
{
    const raw_obj *cat = raw_obj_get(f, f->root);
    const char *vs, *ve;
    long num;
    return cat && raw_dict_get(f->buf + cat->val, f->buf + cat->val_end, "/Pages", &vs, &ve) &&
           raw_lex_ref(&vs, ve, &num) && page_list(f, num, 0, pages);
}

/* The array the ParentTree gives for a page's /StructParents: [*vs, *ve), and its
 * object number in *num (0 when the array is written directly). */
bool raw_parent_tree_array(const raw_file *f, long key, const char **vs, const char **ve,
                           long *num)
{
    const raw_obj *cat = raw_obj_get(f, f->root);
    const char *s, *e;
    if (!cat || key < 0 ||
        !raw_dict_get_deref(f, f->buf + cat->val, f->buf + cat->val_end, "/StructTreeRoot", &s,
                        &e) ||
        !raw_dict_get_deref(f, s, e, "/ParentTree", &s, &e) ||
        !raw_dict_get_deref(f, s, e, "/Nums", &s, &e) || raw_lex(&s, e).kind != TK_ARR)
        return false;
    for (;;) {
        const char *v;
        raw_token k = raw_lex(&s, e);
        if (k.kind != TK_NUM || !raw_skip_value(&s, e, &v))
            return false;
        if (raw_tk_int(k) != key)
            continue;
        const char *p = v;
        *num = 0;
        if (raw_lex_ref(&p, s, num)) {
            const raw_obj *o = raw_obj_get(f, *num);
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


/* A non-negative number in decimal, zero-padded to `width`: printf is too slow for the
 * dozens of numbers each call writes. */
void raw_append_literal(GString *out, const char *text)
{
    g_string_append_c(out, '(');
    for (const char *p = text; *p; p++) {
        if (*p == '(' || *p == ')' || *p == '\\')
            g_string_append_c(out, '\\');
        g_string_append_c(out, *p);
    }
    g_string_append_c(out, ')');
}

void raw_append_num(GString *out, size_t v, int width)
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
