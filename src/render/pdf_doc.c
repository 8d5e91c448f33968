/* pdf_doc.c - a PDF file opened to be changed and written again (pdf_doc.h): values
 * parsed on first use from pdf_raw.h's spans, changed in memory, written out with the
 * objects nobody read copied byte for byte. */
#include "pdf_doc.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libdeflate.h>

#include "../core/arena.h"
#include "pdf_raw.h"

typedef enum {
    PD_BOOL, PD_INT, PD_REAL, PD_NAME, PD_STRING, PD_WORD, PD_ARRAY, PD_DICT, PD_REF,
    PD_STREAM
} pd_kind;

typedef struct {
    const char *key;   /* "/K", not NUL-terminated */
    size_t klen;
    pd_obj *val;
} pd_pair;

struct pd_obj {
    pd_kind kind;
    long num;            /* the object's number when it is one of the file's, else 0 */
    long long i;         /* PD_INT, PD_BOOL; PD_REF: the number referred to */
    const char *s;       /* PD_REAL, PD_NAME, PD_STRING, PD_WORD: the token as written */
    size_t n;
    const char *cstr;    /* PD_NAME as a C string, PD_STRING as UTF-8: made on demand */
    cp_vec items;        /* PD_ARRAY: pd_obj *; PD_DICT: pd_pair * */
    pd_obj *dict;        /* PD_STREAM: its dictionary */
    const char *data;    /* PD_STREAM: its bytes as stored (encoded) */
    size_t data_len;
};

struct pd_doc {
    raw_file f;
    cp_arena *arena;
    GPtrArray *objs;     /* pd_obj * by number, NULL until read; new objects at the end */
    GArray *pages;       /* long: the pages' object numbers */
    long first_new;      /* the first number of an object made here */
    /* Made on first use and kept: a compressor at level 6 is about a megabyte, which
     * the system would map and unmap again for every page. */
    struct libdeflate_compressor *deflate;
    struct libdeflate_decompressor *inflate;
    GHashTable *parent_tree;   /* ParentTree key + 1 -> its value; read on first use */
};

/* ---- values ----------------------------------------------------------------------------- */

static pd_obj *node(pd_doc *d, pd_kind k)
{
    pd_obj *o = ARENA_NEW(d->arena, pd_obj);
    o->kind = k;
    return o;
}

/* Objects nest this deep at most: cairo's are shallow, and a hostile file must not run
 * the stack out. */
enum { MAX_DEPTH = 64 };

static pd_obj *parse_value(pd_doc *d, const char **pp, const char *end, int depth, bool *ok);

static pd_obj *parse_token(pd_doc *d, raw_token t, const char **pp, const char *end,
                           int depth, bool *ok)
{
    pd_obj *o;
    switch (t.kind) {
    case TK_NUM: {
        const char *p = *pp;
        long num;
        const char *back = t.s;
        if (raw_tk_int(t) >= 0 && (p = back, raw_lex_ref(&p, end, &num))) {
            o = node(d, PD_REF);
            o->i = num;
            *pp = p;
            return o;
        }
        if (memchr(t.s, '.', t.n)) {
            o = node(d, PD_REAL);
            o->s = t.s;
            o->n = t.n;
            return o;
        }
        o = node(d, PD_INT);
        o->i = g_ascii_strtoll(arena_strndup(d->arena, t.s, t.n), NULL, 10);
        return o;
    }
    case TK_NAME:
    case TK_STR:
    case TK_HEX:
        o = node(d, t.kind == TK_NAME ? PD_NAME : PD_STRING);
        o->s = t.s;
        o->n = t.n;
        return o;
    case TK_WORD:
        if (raw_tk_is(t, "null"))
            return NULL;
        if (raw_tk_is(t, "true") || raw_tk_is(t, "false")) {
            o = node(d, PD_BOOL);
            o->i = raw_tk_is(t, "true");
            return o;
        }
        *ok = false;
        return NULL;
    case TK_ARR:
        o = node(d, PD_ARRAY);
        for (;;) {
            const char *p = *pp;
            raw_token k = raw_lex(&p, end);
            if (k.kind == TK_ARR_END) {
                *pp = p;
                return o;
            }
            pd_obj *v = parse_value(d, pp, end, depth + 1, ok);
            if (!*ok)
                return NULL;
            vec_push(d->arena, &o->items, v);
        }
    case TK_DICT:
        o = node(d, PD_DICT);
        for (;;) {
            raw_token k = raw_lex(pp, end);
            if (k.kind == TK_DICT_END)
                return o;
            if (k.kind != TK_NAME) {
                *ok = false;
                return NULL;
            }
            pd_obj *v = parse_value(d, pp, end, depth + 1, ok);
            if (!*ok)
                return NULL;
            if (!v)   /* a null value is no entry */
                continue;
            pd_pair *e = ARENA_NEW(d->arena, pd_pair);
            *e = (pd_pair){k.s, k.n, v};
            vec_push(d->arena, &o->items, e);
        }
    default:
        *ok = false;
        return NULL;
    }
}

static pd_obj *parse_value(pd_doc *d, const char **pp, const char *end, int depth, bool *ok)
{
    if (depth > MAX_DEPTH) {
        *ok = false;
        return NULL;
    }
    raw_token t = raw_lex(pp, end);
    return parse_token(d, t, pp, end, depth, ok);
}

pd_obj *pd_object(pd_doc *d, long num)
{
    if (num <= 0 || (size_t)num >= d->objs->len)
        return NULL;
    pd_obj *o = d->objs->pdata[num];
    if (o || num >= d->first_new)
        return o;
    const raw_obj *r = raw_obj_get(&d->f, num);
    if (!r)
        return NULL;
    const char *p = d->f.buf + r->val, *end = d->f.buf + r->val_end;
    bool ok = true;
    o = parse_value(d, &p, end, 0, &ok);
    if (!ok || !o || raw_lex(&p, end).kind != TK_END)
        return NULL;
    if (r->data) {
        if (o->kind != PD_DICT)
            return NULL;
        pd_obj *s = node(d, PD_STREAM);
        s->dict = o;
        s->data = d->f.buf + r->data;
        s->data_len = r->data_len;
        o = s;
    }
    if (o->kind == PD_REF)   /* an object that is only a reference: not ours to follow */
        return NULL;
    o->num = num;
    d->objs->pdata[num] = o;
    return o;
}

static pd_obj *resolve(pd_doc *d, pd_obj *v)
{
    return v && v->kind == PD_REF ? pd_object(d, (long)v->i) : v;
}

/* What a container stores for `v`: a reference when `v` is an object of the file. */
static pd_obj *stored(pd_doc *d, pd_obj *v)
{
    if (!v || !v->num)
        return v;
    pd_obj *r = node(d, PD_REF);
    r->i = v->num;
    return r;
}

bool pd_is_dict(const pd_obj *o) { return o && o->kind == PD_DICT; }
bool pd_is_array(const pd_obj *o) { return o && o->kind == PD_ARRAY; }
bool pd_is_int(const pd_obj *o) { return o && o->kind == PD_INT; }
bool pd_is_number(const pd_obj *o) { return o && (o->kind == PD_INT || o->kind == PD_REAL); }
bool pd_is_string(const pd_obj *o) { return o && o->kind == PD_STRING; }
bool pd_is_stream(const pd_obj *o) { return o && o->kind == PD_STREAM; }
long pd_id(const pd_obj *o) { return o ? o->num : 0; }

bool pd_is_name(const pd_obj *o, const char *name)
{
    return o && o->kind == PD_NAME && o->n == strlen(name) && !memcmp(o->s, name, o->n);
}

const char *pd_name(pd_doc *d, pd_obj *o)
{
    if (!o || o->kind != PD_NAME)
        return NULL;
    if (!o->cstr)
        o->cstr = arena_strndup(d->arena, o->s, o->n);
    return o->cstr;
}

long long pd_int(const pd_obj *o)
{
    return o && o->kind == PD_INT ? o->i : 0;
}

double pd_number(const pd_obj *o)
{
    double v = 0;
    if (o && o->kind == PD_INT)
        return (double)o->i;
    if (o && o->kind == PD_REAL && raw_tk_real((raw_token){TK_NUM, o->s, o->n}, &v))
        return v;
    return 0;
}

/* The bytes of a string token: a literal's escapes undone, a hex string read. */
static GString *string_bytes(const char *s, size_t n)
{
    GString *b = g_string_sized_new(n);
    if (n >= 2 && s[0] == '<') {
        int half = -1;
        for (size_t i = 1; i + 1 < n; i++) {
            int v = g_ascii_xdigit_value(s[i]);
            if (v < 0)
                continue;
            if (half < 0) {
                half = v;
            } else {
                g_string_append_c(b, (char)(half * 16 + v));
                half = -1;
            }
        }
        if (half >= 0)
            g_string_append_c(b, (char)(half * 16));
        return b;
    }
    for (size_t i = 1; i + 1 < n; i++) {
        char c = s[i];
        if (c != '\\' || i + 2 >= n) {
            g_string_append_c(b, c);
            continue;
        }
        c = s[++i];
        switch (c) {
        case 'n': g_string_append_c(b, '\n'); break;
        case 'r': g_string_append_c(b, '\r'); break;
        case 't': g_string_append_c(b, '\t'); break;
        case 'b': g_string_append_c(b, '\b'); break;
        case 'f': g_string_append_c(b, '\f'); break;
        case '\r': i += i + 2 < n && s[i + 1] == '\n'; break;   /* a line continued */
        case '\n': break;
        default:
            if (c >= '0' && c <= '7') {
                int v = 0;
                for (int k = 0; k < 3 && i + 1 < n && s[i] >= '0' && s[i] <= '7'; k++)
                    v = v * 8 + (s[i++] - '0');
                i--;
                g_string_append_c(b, (char)v);
            } else {
                g_string_append_c(b, c);
            }
        }
    }
    return b;
}

const char *pd_utf8(pd_doc *d, pd_obj *o)
{
    if (!o || o->kind != PD_STRING)
        return NULL;
    if (o->cstr)
        return o->cstr;
    GString *b = string_bytes(o->s, o->n);
    char *u = NULL;
    if (b->len >= 2 && (guchar)b->str[0] == 0xfe && (guchar)b->str[1] == 0xff)
        u = g_convert(b->str + 2, (gssize)b->len - 2, "UTF-8", "UTF-16BE", NULL, NULL, NULL);
    else
        u = g_convert(b->str, (gssize)b->len, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
    o->cstr = arena_strdup(d->arena, u ? u : "");
    g_free(u);
    g_string_free(b, TRUE);
    return o->cstr;
}

static pd_obj *dict_of(pd_obj *o)
{
    return o && o->kind == PD_STREAM ? o->dict : o && o->kind == PD_DICT ? o : NULL;
}

static pd_pair *entry(const pd_obj *dict, const char *key, size_t *at)
{
    size_t kn = strlen(key);
    for (size_t i = 0; dict && i < dict->items.len; i++) {
        pd_pair *e = dict->items.items[i];
        if (e->klen == kn && !memcmp(e->key, key, kn)) {
            if (at)
                *at = i;
            return e;
        }
    }
    return NULL;
}

pd_obj *pd_get(pd_doc *d, pd_obj *dict, const char *key)
{
    pd_pair *e = entry(dict_of(dict), key, NULL);
    return e ? resolve(d, e->val) : NULL;
}

bool pd_has(const pd_obj *dict, const char *key)
{
    return entry(dict_of((pd_obj *)dict), key, NULL) != NULL;
}

size_t pd_len(const pd_obj *a)
{
    return a && a->kind == PD_ARRAY ? a->items.len : 0;
}

pd_obj *pd_at(pd_doc *d, pd_obj *a, size_t i)
{
    return i < pd_len(a) ? resolve(d, a->items.items[i]) : NULL;
}

size_t pd_dict_len(pd_obj *dict)
{
    pd_obj *o = dict_of(dict);
    return o ? o->items.len : 0;
}

pd_obj *pd_dict_value_at(pd_doc *d, pd_obj *dict, size_t i)
{
    pd_obj *o = dict_of(dict);
    return o && i < o->items.len ? resolve(d, ((pd_pair *)o->items.items[i])->val) : NULL;
}

/* ---- making and changing -------------------------------------------------------------- */

pd_obj *pd_new_int(pd_doc *d, long long v)
{
    pd_obj *o = node(d, PD_INT);
    o->i = v;
    return o;
}

pd_obj *pd_new_name(pd_doc *d, const char *name)
{
    pd_obj *o = node(d, PD_NAME);
    o->s = o->cstr = arena_strdup(d->arena, name);
    o->n = strlen(name);
    return o;
}

/* A text string as PDF writes it: printable ASCII as a literal, anything else as
 * UTF-16BE with its byte order mark, in hex. */
pd_obj *pd_new_text(pd_doc *d, const char *utf8)
{
    pd_obj *o = node(d, PD_STRING);
    GString *s = g_string_new(NULL);
    bool ascii = true;
    for (const char *p = utf8; *p && ascii; p++)
        ascii = *p >= 0x20 && *p < 0x7f;
    if (ascii) {
        raw_append_literal(s, utf8);
    } else {
        glong n = 0;
        gunichar2 *u = g_utf8_to_utf16(utf8, -1, NULL, &n, NULL);
        g_string_append(s, "<FEFF");
        for (glong i = 0; u && i < n; i++)
            g_string_append_printf(s, "%04X", (unsigned)u[i]);
        g_string_append_c(s, '>');
        g_free(u);
    }
    o->s = arena_strndup(d->arena, s->str, s->len);
    o->n = s->len;
    o->cstr = arena_strdup(d->arena, utf8);
    g_string_free(s, TRUE);
    return o;
}

pd_obj *pd_new_array(pd_doc *d)
{
    return node(d, PD_ARRAY);
}

pd_obj *pd_parse(pd_doc *d, const char *text)
{
    size_t n = strlen(text);
    const char *p = arena_strndup(d->arena, text, n), *end = p + n;
    bool ok = true;
    pd_obj *o = parse_value(d, &p, end, 0, &ok);
    return ok && raw_lex(&p, end).kind == TK_END ? o : NULL;
}

pd_obj *pd_wrap_in_array(pd_doc *d, pd_obj *o)
{
    if (pd_is_array(o))
        return o;
    pd_obj *a = pd_new_array(d);
    if (o)
        pd_append(d, a, o);
    return a;
}

pd_obj *pd_new_stream(pd_doc *d)
{
    pd_obj *s = node(d, PD_STREAM);
    s->dict = node(d, PD_DICT);
    s->num = (long)d->objs->len;
    g_ptr_array_add(d->objs, s);
    return s;
}

void pd_put(pd_doc *d, pd_obj *dict, const char *key, pd_obj *v)
{
    dict = dict_of(dict);
    if (!dict)
        return;
    size_t at;
    pd_pair *e = entry(dict, key, &at);
    if (!v) {
        if (e) {
            memmove(&dict->items.items[at], &dict->items.items[at + 1],
                    (dict->items.len - at - 1) * sizeof(void *));
            dict->items.len--;
        }
        return;
    }
    if (!e) {
        e = ARENA_NEW(d->arena, pd_pair);
        e->key = arena_strdup(d->arena, key);
        e->klen = strlen(key);
        vec_push(d->arena, &dict->items, e);
    }
    e->val = stored(d, v);
}

void pd_append(pd_doc *d, pd_obj *a, pd_obj *v)
{
    if (pd_is_array(a))
        vec_push(d->arena, &a->items, stored(d, v));
}

void pd_set_at(pd_doc *d, pd_obj *a, size_t i, pd_obj *v)
{
    if (i < pd_len(a))
        a->items.items[i] = stored(d, v);
}

void pd_erase_at(pd_obj *a, size_t i)
{
    if (i >= pd_len(a))
        return;
    memmove(&a->items.items[i], &a->items.items[i + 1], (a->items.len - i - 1) * sizeof(void *));
    a->items.len--;
}

/* ---- streams --------------------------------------------------------------------------- */

guint8 *pd_stream_bytes(pd_doc *d, pd_obj *s, size_t *len)
{
    *len = 0;
    if (!pd_is_stream(s) || pd_has(s, "/DecodeParms"))
        return NULL;
    pd_obj *filter = pd_get(d, s, "/Filter");
    if (!filter) {
        *len = s->data_len;
        return g_memdup2(s->data, s->data_len ? s->data_len : 1);
    }
    if (!pd_is_name(filter, "/FlateDecode"))
        return NULL;
    if (!d->inflate)
        d->inflate = libdeflate_alloc_decompressor();
    struct libdeflate_decompressor *z = d->inflate;
    guint8 *out = NULL;
    size_t n = s->data_len;
    /* Content streams inflate to 3-6 times their size: grow until it fits (a bound
     * keeps a hostile stream from taking all memory). */
    for (size_t cap = MAX(4 * n, 4096); z && cap <= MAX(64 * n, (size_t)1 << 20); cap *= 2) {
        out = g_realloc(out, cap);
        enum libdeflate_result r = libdeflate_zlib_decompress(z, s->data, n, out, cap, len);
        if (r == LIBDEFLATE_SUCCESS)
            break;
        g_free(out);
        out = NULL;
        *len = 0;
        if (r != LIBDEFLATE_INSUFFICIENT_SPACE)
            break;
    }
    return out;
}

void pd_stream_put_plain(pd_doc *d, pd_obj *s, const char *data, size_t len)
{
    if (!pd_is_stream(s))
        return;
    s->data = arena_strndup(d->arena, data, len);   /* (may hold NULs: only len counts) */
    s->data_len = len;
    pd_put(d, s, "/Filter", NULL);
    pd_put(d, s, "/DecodeParms", NULL);
}

void pd_stream_put(pd_doc *d, pd_obj *s, const char *data, size_t len)
{
    if (!pd_is_stream(s))
        return;
    if (!d->deflate)
        d->deflate = libdeflate_alloc_compressor(6);
    struct libdeflate_compressor *c = d->deflate;
    size_t cap = c ? libdeflate_zlib_compress_bound(c, len) : 0;
    char *z = c ? arena_alloc(d->arena, cap ? cap : 1) : NULL;
    size_t n = c ? libdeflate_zlib_compress(c, data, len, z, cap) : 0;
    if (!n) {
        pd_stream_put_plain(d, s, data, len);
        return;
    }
    s->data = z;
    s->data_len = n;
    pd_put(d, s, "/Filter", pd_new_name(d, "/FlateDecode"));
    pd_put(d, s, "/DecodeParms", NULL);
}

void pd_deflate_plain_streams(pd_doc *d)
{
    for (long i = 1; i < (long)d->objs->len; i++) {
        pd_obj *o = d->objs->pdata[i];
        if (!o && i < d->first_new) {
            const raw_obj *r = raw_obj_get(&d->f, i);
            const char *vs, *ve;
            if (!r || !r->data ||
                raw_dict_get(d->f.buf + r->val, d->f.buf + r->val_end, "/Filter", &vs, &ve))
                continue;
            o = pd_object(d, i);
        }
        if (!pd_is_stream(o) || pd_has(o, "/Filter") || pd_has(o, "/DecodeParms") ||
            pd_is_name(pd_get(d, o, "/Type"), "/Metadata"))
            continue;
        pd_stream_put(d, o, o->data, o->data_len);
    }
}

/* ---- the document ------------------------------------------------------------------- */

pd_doc *pd_open(const char *buf, size_t len)
{
    pd_doc *d = g_new0(pd_doc, 1);
    d->pages = g_array_new(FALSE, FALSE, sizeof(long));
    if (!raw_open(&d->f, buf, len) || !raw_document_pages(&d->f, d->pages)) {
        raw_close(&d->f);
        g_array_free(d->pages, TRUE);
        g_free(d);
        return NULL;
    }
    d->arena = arena_new();
    d->first_new = MAX(d->f.size, (long)d->f.objs->len);
    d->objs = g_ptr_array_new();
    g_ptr_array_set_size(d->objs, (guint)MAX(d->first_new, 1));
    return d;
}

void pd_close(pd_doc *d)
{
    if (!d)
        return;
    raw_close(&d->f);
    g_array_free(d->pages, TRUE);
    g_ptr_array_free(d->objs, TRUE);
    if (d->parent_tree)
        g_hash_table_destroy(d->parent_tree);
    if (d->deflate)
        libdeflate_free_compressor(d->deflate);
    if (d->inflate)
        libdeflate_free_decompressor(d->inflate);
    arena_free(d->arena);
    g_free(d);
}

pd_obj *pd_root(pd_doc *d)
{
    return pd_object(d, d->f.root);
}

size_t pd_page_count(const pd_doc *d)
{
    return d->pages->len;
}

pd_obj *pd_page(pd_doc *d, size_t i)
{
    return i < d->pages->len ? pd_object(d, g_array_index(d->pages, long, i)) : NULL;
}

/* Every entry of the number tree `node` into `t` (key + 1 -> value); the first entry
 * of a key wins. */
static void number_tree_read(pd_doc *d, pd_obj *node, GHashTable *t, int depth)
{
    pd_obj *nums = pd_get(d, node, "/Nums");
    for (size_t i = 0; i + 1 < pd_len(nums); i += 2) {
        pd_obj *k = pd_at(d, nums, i);
        long long key = pd_is_int(k) ? pd_int(k) : -1;
        if (key >= 0 && key < G_MAXINT && !g_hash_table_contains(t, GINT_TO_POINTER(key + 1)))
            g_hash_table_insert(t, GINT_TO_POINTER(key + 1), pd_at(d, nums, i + 1));
    }
    pd_obj *kids = pd_get(d, node, "/Kids");
    for (size_t i = 0; depth < MAX_DEPTH && i < pd_len(kids); i++)
        number_tree_read(d, pd_at(d, kids, i), t, depth + 1);
}

pd_obj *pd_parent_array(pd_doc *d, pd_obj *page)
{
    if (!d->parent_tree) {
        d->parent_tree = g_hash_table_new(NULL, NULL);
        pd_obj *tree = pd_get(d, pd_get(d, pd_root(d), "/StructTreeRoot"), "/ParentTree");
        number_tree_read(d, tree, d->parent_tree, 0);
    }
    pd_obj *key = pd_get(d, page, "/StructParents");
    long long k = pd_is_int(key) ? pd_int(key) : -1;
    return k >= 0 && k < G_MAXINT ? g_hash_table_lookup(d->parent_tree, GINT_TO_POINTER(k + 1))
                                   : NULL;
}

/* ---- writing -------------------------------------------------------------------------- */

static void put_value(GString *out, const pd_obj *o)
{
    if (!o) {
        g_string_append(out, "null");
        return;
    }
    switch (o->kind) {
    case PD_BOOL: g_string_append(out, o->i ? "true" : "false"); break;
    case PD_INT: g_string_append_printf(out, "%lld", o->i); break;
    case PD_REF:
        raw_append_num(out, (size_t)o->i, 0);
        g_string_append(out, " 0 R");
        break;
    case PD_ARRAY:
        g_string_append_c(out, '[');
        for (size_t i = 0; i < o->items.len; i++) {
            if (i)
                g_string_append_c(out, ' ');
            put_value(out, o->items.items[i]);
        }
        g_string_append_c(out, ']');
        break;
    case PD_DICT:
        g_string_append(out, "<<");
        for (size_t i = 0; i < o->items.len; i++) {
            const pd_pair *e = o->items.items[i];
            g_string_append_c(out, ' ');
            g_string_append_len(out, e->key, (gssize)e->klen);
            g_string_append_c(out, ' ');
            put_value(out, e->val);
        }
        g_string_append(out, " >>");
        break;
    case PD_STREAM:   /* only as an object: put_object */
        g_string_append(out, "null");
        break;
    default:
        g_string_append_len(out, o->s, (gssize)o->n);
    }
}

static void put_object(GString *out, pd_doc *d, pd_obj *o)
{
    raw_append_num(out, (size_t)o->num, 0);
    g_string_append(out, " 0 obj\n");
    if (o->kind != PD_STREAM) {
        put_value(out, o);
        g_string_append(out, "\nendobj\n");
        return;
    }
    pd_put(d, o->dict, "/Length", pd_new_int(d, (long long)o->data_len));
    put_value(out, o->dict);
    g_string_append(out, "\nstream\n");
    g_string_append_len(out, o->data, (gssize)o->data_len);
    g_string_append(out, "\nendstream\nendobj\n");
}

static void mark_value(const pd_obj *o, GArray *todo)
{
    if (!o)
        return;
    if (o->kind == PD_REF)
        g_array_append_val(todo, o->i);
    else if (o->kind == PD_STREAM)
        mark_value(o->dict, todo);
    else if (o->kind == PD_ARRAY)
        for (size_t i = 0; i < o->items.len; i++)
            mark_value(o->items.items[i], todo);
    else if (o->kind == PD_DICT)
        for (size_t i = 0; i < o->items.len; i++)
            mark_value(((const pd_pair *)o->items.items[i])->val, todo);
}

/* The objects the trailer leads to. What the changes left behind (a font's old map, a
 * replaced stream's length) is not written: a reader would never reach it. */
static guint8 *reachable(pd_doc *d)
{
    size_t n = d->objs->len;
    guint8 *seen = g_new0(guint8, n);
    GArray *todo = g_array_new(FALSE, FALSE, sizeof(long long));
    long long start[] = {d->f.root, d->f.info};
    g_array_append_vals(todo, start, 2);
    while (todo->len) {
        long long num = g_array_index(todo, long long, todo->len - 1);
        g_array_set_size(todo, todo->len - 1);
        if (num <= 0 || (size_t)num >= n || seen[num])
            continue;
        seen[num] = 1;
        const pd_obj *o = d->objs->pdata[num];
        const raw_obj *r = o || num >= d->first_new ? NULL : raw_obj_get(&d->f, (long)num);
        if (o) {
            mark_value(o, todo);
        } else if (r) {
            raw_refs refs = raw_scan_refs(d->f.buf + r->val, d->f.buf + r->val_end);
            const char *at;
            long ref;
            while (raw_next_ref(&refs, &at, &ref)) {
                long long v = ref;
                g_array_append_val(todo, v);
            }
        }
    }
    g_array_free(todo, TRUE);
    return seen;
}

GString *pd_write(pd_doc *d)
{
    GString *out = g_string_sized_new(d->f.len + d->f.len / 8);
    size_t n = d->objs->len;
    size_t *off = g_new0(size_t, n);
    guint8 *keep = reachable(d);
    /* The header as the file has it, up to its first object. */
    size_t head = 0;
    for (long i = 1; i < d->first_new && !head; i++) {
        const raw_obj *r = raw_obj_get(&d->f, i);
        head = r ? r->start : 0;
    }
    if (head == 0 || head > 64)
        g_string_append(out, "%PDF-1.7\n%\xb5\xed\xae\xfb\n");
    else
        g_string_append_len(out, d->f.buf, (gssize)head);
    for (size_t i = 1; i < n; i++) {
        pd_obj *o = d->objs->pdata[i];
        const raw_obj *r = o || (long)i >= d->first_new ? NULL : raw_obj_get(&d->f, (long)i);
        if (!keep[i] || (!o && !r))
            continue;
        off[i] = out->len;
        if (o)
            put_object(out, d, o);
        else
            g_string_append_len(out, d->f.buf + r->start, (gssize)(r->end - r->start));
    }
    size_t xref = out->len;
    g_string_append(out, "xref\n0 ");
    raw_append_num(out, n, 0);
    g_string_append(out, "\n0000000000 65535 f \n");
    for (size_t i = 1; i < n; i++) {
        if (off[i]) {
            raw_append_num(out, off[i], 10);
            g_string_append(out, " 00000 n \n");
        } else {
            g_string_append(out, "0000000000 00000 f \n");
        }
    }
    /* The same bytes give the same /ID (a hash of the file so far). */
    char *id = g_compute_checksum_for_data(G_CHECKSUM_MD5, (const guchar *)out->str, out->len);
    g_string_append(out, "trailer\n<< /Size ");
    raw_append_num(out, n, 0);
    g_string_append(out, " /Root ");
    raw_append_num(out, (size_t)d->f.root, 0);
    g_string_append(out, " 0 R");
    if (d->f.info > 0 && off[d->f.info]) {
        g_string_append(out, " /Info ");
        raw_append_num(out, (size_t)d->f.info, 0);
        g_string_append(out, " 0 R");
    }
    g_string_append_printf(out, " /ID [<%s> <%s>] >>\nstartxref\n", id, id);
    raw_append_num(out, xref, 0);
    g_string_append(out, "\n%%EOF\n");
    g_free(id);
    g_free(off);
    g_free(keep);
    return out;
}
