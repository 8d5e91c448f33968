/* pdf_text_font.c - the text layer's fonts: readings per code, new CIDs, written back
 * (see pdf_text_font.h). */
#include "pdf_text_font.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_content.h"
#include "pdf_lang.h"
#include "pdf_sfnt.h"

/* ---- reading a font ---------------------------------------------------------------- */

static bool is_fffd(const char *s)
{
    return !strcmp(s, "\xef\xbf\xbd");
}

void font_free(font_info *f)
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
    if (f->moved)
        g_array_free(f->moved, TRUE);
    if (f->by_move)
        g_hash_table_destroy(f->by_move);
    g_free(f->program);
    g_free(f->c2g);
    g_free(f->script);
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
        p = pdf_lex(p, end, &t);
        if (t.kind == TK_END)
            break;
        if (t.kind == TK_OP) {
            if (pdf_tk_is(&t, "beginbfchar")) mode = CHAR;
            else if (pdf_tk_is(&t, "beginbfrange")) mode = RANGE;
            else if (pdf_tk_is(&t, "endbfchar") || pdf_tk_is(&t, "endbfrange")) mode = NONE;
            n = 0;
            continue;
        }
        if (mode == NONE)
            continue;
        if (mode == RANGE && n == 2 && t.kind == TK_OPEN) {
            /* <lo> <hi> [<dst> ...]: one destination per code */
            GByteArray *lo = pdf_string_bytes(&args[0]), *hi = pdf_string_bytes(&args[1]);
            guint code = code_of(lo), last = code_of(hi);
            for (;;) {
                p = pdf_lex(p, end, &t);
                if (t.kind != TK_HEX || code > last)
                    break;
                GByteArray *d = pdf_string_bytes(&t);
                char *s = pdf_utf16be_to_utf8(d->data, d->len);
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
            GByteArray *a = pdf_string_bytes(&args[0]), *d = pdf_string_bytes(&args[1]);
            char *s = pdf_utf16be_to_utf8(d->data, d->len);
            if (s)
                g_hash_table_replace(tu, GUINT_TO_POINTER(code_of(a)), s);
            *max = MAX(*max, code_of(a));
            g_byte_array_free(a, TRUE);
            g_byte_array_free(d, TRUE);
            n = 0;
        } else if (mode == RANGE && n == 3) {
            /* <lo> <hi> <dst>: the last UTF-16 unit counts up */
            GByteArray *lo = pdf_string_bytes(&args[0]), *hi = pdf_string_bytes(&args[1]),
                       *d = pdf_string_bytes(&args[2]);
            guint code = code_of(lo), last = code_of(hi);
            for (guint k = 0; code <= last && k < 65536 && d->len >= 2; code++, k++) {
                char *s = pdf_utf16be_to_utf8(d->data, d->len);
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

/* /W: [c [w1 w2 ...]] and [c1 c2 w]. */
static void parse_widths(pd_doc *doc, pd_obj *w, GHashTable *width, guint *max)
{
    int n = pd_is_array(w) ? (int)pd_len(w) : 0;
    for (int i = 0; i + 1 < n;) {
        pd_obj *a = pd_at(doc, w, i), *b = pd_at(doc, w, i + 1);
        guint c = (guint)(guint)pd_int(a);
        if (pd_is_array(b)) {
            int m = (int)pd_len(b);
            for (int k = 0; k < m; k++)
                g_hash_table_replace(width, GUINT_TO_POINTER(c + (guint)k), GINT_TO_POINTER(
                    (int)pd_number(pd_at(doc, b, k))));
            *max = MAX(*max, c + (guint)(m ? m - 1 : 0));
            i += 2;
        } else if (i + 2 < n) {
            guint last = (guint)(guint)pd_int(b);
            int v = (int)pd_number(pd_at(doc, w, i + 2));
            for (guint k = c; k <= last && k - c < 65536; k++)
                g_hash_table_replace(width, GUINT_TO_POINTER(k), GINT_TO_POINTER(v));
            *max = MAX(*max, last);
            i += 3;
        } else {
            break;
        }
    }
}

/* A simple TrueType or Type1 font's advances: /Widths from /FirstChar, /MissingWidth
 * for the rest. A Type3 font's are in its own matrix: none read. */
static void simple_widths(pd_doc *doc, pd_obj *font, font_info *f)
{
    pd_obj *sub = pd_get(doc, font, "/Subtype");
    pd_obj *widths = pd_get(doc, font, "/Widths");
    pd_obj *first = pd_get(doc, font, "/FirstChar");
    if (!(pd_is_name(sub, "/TrueType") ||
          pd_is_name(sub, "/Type1")) ||
        !pd_is_array(widths) || !pd_is_int(first))
        return;
    long long c0 = pd_int(first);
    int n = (int)pd_len(widths);
    if (c0 < 0 || c0 + n > 256)
        return;
    f->width = g_hash_table_new(NULL, NULL);
    for (int i = 0; i < n; i++)
        g_hash_table_replace(f->width, GUINT_TO_POINTER((guint)(c0 + i)), GINT_TO_POINTER(
            (int)pd_number(pd_at(doc, widths, i))));
    pd_obj *mw = pd_get(doc, pd_get(doc, font, "/FontDescriptor"),
                                 "/MissingWidth");
    f->dw = pd_is_number(mw) ? (int)pd_number(mw) : 0;
    f->has_widths = true;
}

font_info *font_read(pd_doc *doc, pd_obj *font)
{
    font_info *f = g_new0(font_info, 1);
    f->doc = doc;
    f->font = font;
    f->tu = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    f->used = g_hash_table_new(NULL, NULL);
    guint max = 0;
    size_t n;
    guint8 *cmap = pd_stream_bytes(doc, pd_get(doc, font, "/ToUnicode"), &n);
    if (cmap)
        parse_tounicode(f->tu, (const char *)cmap, n, &max);
    g_free(cmap);
    GHashTableIter it;
    gpointer text;
    g_hash_table_iter_init(&it, f->tu);
    while (!f->has_fffd && g_hash_table_iter_next(&it, NULL, &text))
        f->has_fffd = is_fffd(text);
    if (!pd_is_name(pd_get(doc, font, "/Subtype"), "/Type0")) {
        simple_widths(doc, font, f);
        return f;
    }
    pd_obj *enc = pd_get(doc, font, "/Encoding");
    f->two_byte = pd_is_name(enc, "/Identity-H") ||
                  pd_is_name(enc, "/Identity-V");
    pd_obj *desc = pd_get(doc, font, "/DescendantFonts");
    f->cidfont = pd_at(doc, desc, 0);
    if (!f->two_byte || !pd_is_name(pd_get(doc, f->cidfont,
                                                     "/Subtype"), "/CIDFontType2"))
        return f;   /* a CFF CID font's CIDs are its charset's: no new ones without it */
    f->width = g_hash_table_new(NULL, NULL);
    f->has_widths = true;
    parse_widths(doc, pd_get(doc, f->cidfont, "/W"), f->width, &max);
    pd_obj *dw = pd_get(doc, f->cidfont, "/DW");
    f->dw = pd_is_number(dw) ? (int)pd_number(dw) : 1000;
    gpointer w;
    f->zero_width = f->dw == 0;
    g_hash_table_iter_init(&it, f->width);
    while (!f->zero_width && g_hash_table_iter_next(&it, NULL, &w))
        f->zero_width = GPOINTER_TO_INT(w) == 0;
    pd_obj *c2g = pd_get(doc, f->cidfont, "/CIDToGIDMap");
    if (pd_is_stream(c2g)) {
        f->c2g = pd_stream_bytes(doc, c2g, &f->c2g_len);
        if (!f->c2g)
            return f;
        max = MAX(max, (guint)(f->c2g_len / 2));
    } else if (c2g && !pd_is_name(c2g, "/Identity")) {
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

int font_code_script(font_info *f, guint code)
{
    if (code >= f->nscript) {
        guint n = MAX(code + 1, 2 * f->nscript);
        f->script = g_renew(gint16, f->script, n);
        for (guint i = f->nscript; i < n; i++)
            f->script[i] = -1;   /* not read yet */
        f->nscript = n;
    }
    if (f->script[code] == -1) {
        const char *text = g_hash_table_lookup(f->tu, GUINT_TO_POINTER(code));
        GUnicodeScript s = text ? pdf_text_script(text) : G_UNICODE_SCRIPT_INVALID_CODE;
        f->script[code] = (gint16)(s == G_UNICODE_SCRIPT_INVALID_CODE ? FONT_NEUTRAL : (int)s);
        if (text && f->has_fffd && is_fffd(text))
            g_hash_table_add(f->used, GUINT_TO_POINTER(code));
    }
    return f->script[code];
}

static guint gid_of(const font_info *f, guint cid)
{
    if (f->new_gid && cid >= f->first_new && cid - f->first_new < f->new_gid->len)
        return g_array_index(f->new_gid, guint16, cid - f->first_new);   /* one of ours */
    if (!f->c2g)
        return cid;
    return 2 * (size_t)cid + 1 < f->c2g_len ? (guint)(f->c2g[2 * cid] << 8 | f->c2g[2 * cid + 1])
                                            : 0;
}

int font_width(const font_info *f, guint cid)
{
    gpointer w;
    return g_hash_table_lookup_extended(f->width, GUINT_TO_POINTER(cid), NULL, &w)
               ? GPOINTER_TO_INT(w) : f->dw;
}

/* The CID that draws glyph `gid`, reads as `text` and advances by `width`. */
static guint gid_reading_cid(font_info *f, guint gid, const char *text, int width)
{
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

guint font_reading_cid(font_info *f, guint cid, const char *text, int width)
{
    return gid_reading_cid(f, gid_of(f, cid), text, width);
}

static pd_obj *font_program(pd_doc *doc, const font_info *f)
{
    return pd_get(doc, pd_get(doc, f->cidfont, "/FontDescriptor"), "/FontFile2");
}

guint font_moved_cid(font_info *f, guint cid, double dx, double dy, const char *text)
{
    if (!f->remappable)
        return 0;
    if (!f->program_read) {
        f->program_read = true;
        f->program = pd_stream_bytes(f->doc, font_program(f->doc, f), &f->program_len);
        sfnt_info info;
        if (f->program && sfnt_read_info(f->program, f->program_len, &info)) {
            f->can_move = true;
            f->num_glyphs = info.num_glyphs;
            f->units_per_em = info.units_per_em;
            f->moved = g_array_new(FALSE, FALSE, sizeof(sfnt_moved));
            f->by_move = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        }
    }
    guint gid = gid_of(f, cid);
    long ux = lround(dx * f->units_per_em), uy = lround(dy * f->units_per_em);
    if (!f->can_move || gid >= f->num_glyphs || labs(ux) > 32767 || labs(uy) > 32767 ||
        f->num_glyphs + f->moved->len >= 0xffff)
        return 0;
    char *key = g_strdup_printf("%u %ld %ld", gid, ux, uy);
    gpointer v;
    guint moved;
    if (g_hash_table_lookup_extended(f->by_move, key, NULL, &v)) {
        moved = GPOINTER_TO_UINT(v);
        g_free(key);
    } else {
        sfnt_moved m = {(uint16_t)gid, (int16_t)ux, (int16_t)uy};
        moved = f->num_glyphs + f->moved->len;
        g_array_append_val(f->moved, m);
        g_hash_table_insert(f->by_move, key, GUINT_TO_POINTER(moved));
    }
    return gid_reading_cid(f, moved, text, 0);
}

/* ---- writing the fonts back --------------------------------------------------------- */

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

void font_write(pd_doc *doc, font_info *f)
{
    if (f->moved && f->moved->len) {
        size_t len = 0;
        uint8_t *prog = sfnt_add_moved(f->program, f->program_len,
                                       (const sfnt_moved *)(void *)f->moved->data,
                                       f->moved->len, &len);
        pd_obj *ff = font_program(doc, f);
        if (prog) {   /* checked when the first was asked for: it cannot fail here */
            pd_stream_put(doc, ff, (const char *)prog, len);
            pd_put(doc, ff, "/Length1", pd_new_int(doc, (long long)len));
        }
        g_free(prog);
    }
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
    pd_obj *c2g = pd_new_stream(doc);
    pd_stream_put(doc, c2g, (const char *)map, len);
    pd_put(doc, f->cidfont, "/CIDToGIDMap", c2g);
    g_free(map);
    /* /W: the new CIDs' widths, those of the glyphs they draw. */
    pd_obj *w = pd_get(doc, f->cidfont, "/W");
    if (!pd_is_array(w)) {
        w = pd_new_array(doc);
        pd_put(doc, f->cidfont, "/W", w);
    }
    pd_obj *widths = pd_new_array(doc);
    for (guint i = 0; i < n; i++)
        pd_append(doc, widths, pd_new_int(doc, GPOINTER_TO_INT(
            g_hash_table_lookup(f->width, GUINT_TO_POINTER(f->first_new + i)))));
    pd_append(doc, w, pd_new_int(doc, f->first_new));
    pd_append(doc, w, widths);
    GString *cmap = tounicode_cmap(f);
    pd_obj *tu = pd_new_stream(doc);
    pd_stream_put(doc, tu, cmap->str, cmap->len);
    pd_put(doc, f->font, "/ToUnicode", tu);
    g_string_free(cmap, TRUE);
}

