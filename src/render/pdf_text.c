/* pdf_text.c - the text layer's pass over a page (see pdf_text.h): the page's operators
 * read once (pdf_content.h), ActualText spans replaced by CIDs of their own, a word's
 * first glyph handing its marks on (pdf_text_carry.c), marks that take their offsets as
 * advances, right-to-left runs in visual order (pdf_text_rtl.c), right-to-left rows
 * left to right (pdf_text_rows.c: the order the ops are written in), language runs
 * split off (pdf_text_lang.c), and the finisher's artifacts (pdf_artifacts.h), written
 * in one walk; the fonts' new CIDs are pdf_text_font.c's. */
#include "pdf_text.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_lang.h"
#include "pdf_text_page.h"

/* ---- fonts by name ------------------------------------------------------------------ */

static font_info *font_lookup(pdf_text *t, pd_obj *fonts, const tk *name)
{
    char *key = g_strndup(name->s, (size_t)(name->e - name->s));
    pd_obj *font = pd_get(t->doc, fonts, key);
    g_free(key);
    if (!pd_is_dict(font))
        return NULL;
    long id = pd_id(font);
    if (id == 0)
        return NULL;   /* cairo's fonts are indirect; a direct one is left as it is */
    font_info *f = g_hash_table_lookup(t->fonts, GSIZE_TO_POINTER((gsize)id));
    if (!f) {
        f = font_read(t->doc, font);
        g_hash_table_insert(t->fonts, GSIZE_TO_POINTER((gsize)id), f);
        g_ptr_array_add(t->order, f);
    }
    return f;
}

/* The font set by a Tf operator (NULL when not ours). */
static font_info *tp_font(page_ctx *pc, const cop *o)
{
    if (o->nargs < 2 || arg(pc, o, 0)->kind != TK_NAME)
        return NULL;
    const tk *name = arg(pc, o, 0);
    size_t n = (size_t)(name->e - name->s);
    for (guint i = 0; i < pc->ntf; i++)
        if (pc->tf[i].n == n && !memcmp(pc->tf[i].s, name->s, n))
            return pc->tf[i].f;
    font_info *f = font_lookup(pc->t, pc->fonts, name);
    if (pc->ntf < G_N_ELEMENTS(pc->tf)) {
        pc->tf[pc->ntf].s = name->s;
        pc->tf[pc->ntf].n = n;
        pc->tf[pc->ntf++].f = f;
    }
    return f;
}

/* ---- operators ---------------------------------------------------------------------- */

/* The two-byte codes of a hex string of plain digits appended to `codes` (the common
 * case, read without a copy); false for anything else. */
static bool hex_codes(const tk *a, GArray *codes)
{
    const char *p = a->s + 1, *e = a->e - 1;
    if ((e - p) % 4)
        return false;
    for (const char *doc = p; doc < e; doc++)
        if (!g_ascii_isxdigit(*doc))
            return false;
    for (; p < e; p += 4) {
        guint c = (guint)(g_ascii_xdigit_value(p[0]) << 12 | g_ascii_xdigit_value(p[1]) << 8 |
                          g_ascii_xdigit_value(p[2]) << 4 | g_ascii_xdigit_value(p[3]));
        g_array_append_val(codes, c);
    }
    return true;
}

GArray *tp_codes(page_ctx *pc, const cop *o, const font_info *f)
{
    GArray *codes = g_array_new(FALSE, FALSE, sizeof(guint));
    for (guint i = 0; i < o->nargs; i++) {
        tk *a = arg(pc, o, i);
        if (a->kind != TK_HEX && a->kind != TK_LIT)
            continue;
        guint step = f && f->two_byte ? 2 : 1;
        if (a->kind == TK_HEX && step == 2 && hex_codes(a, codes))
            continue;
        GByteArray *b = pdf_string_bytes(a);
        for (guint k = 0; k + step <= b->len; k += step) {
            guint c = step == 2 ? (guint)(b->data[k] << 8 | b->data[k + 1]) : b->data[k];
            g_array_append_val(codes, c);
        }
        g_byte_array_free(b, TRUE);
    }
    return codes;
}

guint tp_string_len(const tk *a)
{
    if (a->kind == TK_HEX) {
        guint digits = 0;
        for (const char *p = a->s + 1; p < a->e && *p != '>'; p++)
            digits += g_ascii_isxdigit(*p) ? 1 : 0;
        return (digits + 1) / 2;
    }
    GByteArray *b = pdf_string_bytes(a);
    guint n = b->len;
    g_byte_array_free(b, TRUE);
    return n;
}

void tp_put_num(GString *s, double v)
{
    if (fabs(v) < 1e9 && v == (double)(long)v) {   /* most offsets: whole thousandths */
        g_string_append_printf(s, "%ld", (long)v);
        return;
    }
    if (fabs(v) >= 1e12) {   /* not an offset of ours: printf's way */
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        g_string_append(s, g_ascii_formatd(buf, sizeof buf, "%.6f", v));
        return;
    }
    /* six decimals, trailing zeros dropped, without printf (a run's offsets: thousands
     * of numbers a page) */
    long long u = llround(fabs(v) * 1e6);
    long long whole = u / 1000000, frac = u % 1000000;
    char buf[40], *e = buf + sizeof buf, *p = e;
    int digits = 6;
    while (digits > 0 && frac % 10 == 0) {
        frac /= 10;
        digits--;
    }
    for (int i = 0; i < digits; i++, frac /= 10)
        *--p = (char)('0' + frac % 10);
    if (digits)
        *--p = '.';
    do {
        *--p = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    if (v < 0 && u)
        *--p = '-';
    g_string_append_len(s, p, e - p);
}

void tp_put_hex4(GString *s, guint code)
{
    if (code > 0xffff) {
        g_string_append_printf(s, "%04x", code);
        return;
    }
    static const char HEX[] = "0123456789abcdef";
    char b[4] = {HEX[code >> 12 & 15], HEX[code >> 8 & 15], HEX[code >> 4 & 15], HEX[code & 15]};
    g_string_append_len(s, b, 4);
}

/* Every operator of the content with its operands; false when it cannot be read as
 * tokens (inline image data). */
static bool parse_ops(page_ctx *pc, const char *c, size_t len)
{
    const char *p = c, *end = c + len, *from = c;
    guint arg0 = 0;
    font_info *font = NULL;   /* the last Tf's, in content order */
    pc->args_cap = (guint)MIN(len / 4 + 16, G_MAXUINT / 2);
    pc->args = g_new(tk, pc->args_cap);
    for (;;) {
        tk t;
        p = pdf_lex(p, end, &t);
        if (t.kind == TK_END)
            break;
        if (t.kind != TK_OP) {
            if (pc->nargs == pc->args_cap) {
                pc->args_cap *= 2;
                pc->args = g_renew(tk, pc->args, pc->args_cap);
            }
            pc->args[pc->nargs++] = t;
            continue;
        }
        pdf_op_kind kind = pdf_op_classify(&t);
        if (kind == OP_INLINE)
            return false;   /* inline image data is not tokens */
        cop o = {.s = from, .e = t.e, .arg0 = arg0, .nargs = pc->nargs - arg0, .op = t,
                 .kind = kind, .font = font};
        if (kind == OP_TF)
            o.font = font = tp_font(pc, &o);
        g_array_append_val(pc->ops, o);
        arg0 = pc->nargs;
        from = t.e;
    }
    cop tail = {.s = from, .e = end, .arg0 = arg0, .op = {TK_END, end, end}};
    g_array_append_val(pc->ops, tail);
    return true;
}

long tp_mcid(page_ctx *pc, const cop *o)
{
    for (guint k = 0; o->kind == OP_BDC && k + 1 < o->nargs; k++)
        if (arg(pc, o, k)->kind == TK_NAME && pdf_tk_is(arg(pc, o, k), "/MCID"))
            return strtol(arg(pc, o, k + 1)->s, NULL, 10);
    return -1;
}

/* ---- ActualText spans --------------------------------------------------------------- */

/* The UTF-8 text of a BDC's /ActualText, when it is a span without an MCID. */
static char *actual_text(page_ctx *pc, const cop *o)
{
    for (guint i = 0; i < o->nargs; i++)
        if (arg(pc, o, i)->kind == TK_NAME && pdf_tk_is(arg(pc, o, i), "/MCID"))
            return NULL;
    for (guint i = 0; i + 1 < o->nargs; i++) {
        tk *a = arg(pc, o, i), *v = arg(pc, o, i + 1);
        if (a->kind == TK_NAME && pdf_tk_is(a, "/ActualText") &&
            (v->kind == TK_HEX || v->kind == TK_LIT)) {
            GByteArray *b = pdf_string_bytes(v);
            char *s = b->len >= 2 && b->data[0] == 0xfe && b->data[1] == 0xff
                          ? pdf_utf16be_to_utf8(b->data, b->len)
                          : g_strndup((const char *)b->data, b->len);   /* PDFDocEncoding, ASCII */
            g_byte_array_free(b, TRUE);
            return s;
        }
    }
    return NULL;
}

/* The text of an ActualText span shared over its k glyphs in drawing order, each a
 * non-empty piece when there are as many characters as glyphs; in a right-to-left
 * cluster (drawn in logical order from right to left) the glyph drawn last reads
 * first. A piece of several characters keeps them in logical order: a right-to-left
 * run is written again in visual order with one position per character (see
 * pdf_text_rtl.c). */
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
        const char *doc = g_utf8_offset_to_pointer(p, take);
        piece[slot] = g_strndup(p, (gsize)(doc - p));
        p = doc;
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
        if (o->kind == OP_TF)
            f = o->font;
        else if (pdf_op_marks(o->kind))
            return false;
        else if (pdf_op_shows(o->kind)) {
            if (!f || !f->remappable)
                return false;
            GArray *codes = tp_codes(pc, o, f);
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
        if (o->kind == OP_TF)
            f = o->font;
        if (!pdf_op_shows(o->kind))
            continue;
        GArray *codes = tp_codes(pc, o, f);
        for (guint c = 0; c < codes->len; c++, g++) {
            guint *code = &g_array_index(codes, guint, c);
            *code = font_reading_cid(f, *code, piece[g], font_width(f, *code));
        }
        o->codes = codes;
    }
    g_strfreev(piece);
    return true;
}

/* ---- writing ------------------------------------------------------------------------ */

bool tp_put_op(page_out *w, pdf_op_kind k, long mcid)
{
    if (w->art && !pdf_artifacts_before(w->art, w->out, k, mcid)) {
        g_string_truncate(w->pending, 0);
        return false;
    }
    if (w->pending->len) {
        g_string_append_len(w->out, w->pending->str, w->pending->len);
        g_string_truncate(w->pending, 0);
    }
    return true;
}

void tp_put_raw(page_out *w, const char *s, size_t n)
{
    g_string_append_len(w->pending, s, n);
}

/* A text operator with its strings written again with its new codes. */
static void write_remapped(page_ctx *pc, GString *out, const cop *o)
{
    const char *p = o->s;
    guint c = 0;
    for (guint i = 0; i < o->nargs; i++) {
        const tk *a = arg(pc, o, i);
        if (a->kind != TK_HEX && a->kind != TK_LIT)
            continue;
        g_string_append_len(out, p, a->s - p);
        guint n = tp_string_len(a);
        g_string_append_c(out, '<');
        for (guint k = 0; k + 2 <= n && c < o->codes->len; k += 2)
            tp_put_hex4(out, g_array_index(o->codes, guint, c++));
        g_string_append_c(out, '>');
        p = a->e;
    }
    g_string_append_len(out, p, o->e - p);
}

void tp_emit(page_ctx *pc, page_out *w, const cop *o)
{
    if (!tp_put_op(w, o->kind, o->kind == OP_BDC ? tp_mcid(pc, o) : -1))
        return;
    if (o->tj)
        g_string_append_len(w->out, o->tj->str, o->tj->len);
    else if (o->codes)
        write_remapped(pc, w->out, o);
    else
        g_string_append_len(w->out, o->s, o->e - o->s);
}

guint tp_sequence_end(page_ctx *pc, guint i)
{
    guint depth = 0;
    for (guint j = i; j < pc->ops->len; j++) {
        pdf_op_kind x = op_at(pc, j)->kind;
        depth += x == OP_BDC || x == OP_BMC ? 1 : x == OP_EMC ? -1 : 0;
        if (depth == 0)
            return j;
    }
    return 0;
}

/* A zero-width mark that the shaper moved (a matra, a nukta, a reph) is drawn with a
 * TJ offset before it and the opposite one after it: `228 <mark> -228`; when the mark
 * ends a cluster, cairo puts the second offset at the head of the next cluster's TJ,
 * after an empty string: `[... 44 <mark>] TJ [<> -44 ...] TJ`. Readers that place
 * characters by their glyph boxes (poppler, pdf.js) see a gap after the mark and break
 * the word there ("ज़ रू री", "ट्रे निंग", "ढू ँढ"). Every mark between two glyphs that
 * advance is drawn where the second begins instead, as a glyph moved back by what lies
 * between (pdf_sfnt.h): the offsets go first, summed, then the moved marks; the picture
 * is the same and the gap is gone. Only marks drawn left of that place (the offsets of
 * a left-to-right script): a right-to-left run's are pdf_text_rtl.c's. */

/* One element of a TJ: a glyph or an offset. */
typedef struct {
    bool is_num;
    guint code;
    double num;
} tj_item;

/* The elements of TJ o (its leading `<> N` left out when the TJ before took it). */
static GArray *tj_items(page_ctx *pc, const cop *o, const font_info *f)
{
    GArray *codes = o->codes ? o->codes : tp_codes(pc, o, f);
    GArray *items = g_array_new(FALSE, FALSE, sizeof(tj_item));
    guint c = 0, strings = 0;
    bool skip_num = o->lead_taken;
    for (guint i = 0; i < o->nargs; i++) {
        const tk *a = arg(pc, o, i);
        if (a->kind == TK_NUM) {
            tj_item it = {true, 0, pdf_tk_number(a)};
            if (!skip_num || strings != 1)
                g_array_append_val(items, it);
            skip_num = false;
        } else if (a->kind == TK_HEX || a->kind == TK_LIT) {
            strings++;
            for (guint n = tp_string_len(a) / 2; n > 0 && c < codes->len; n--, c++) {
                tj_item it = {false, g_array_index(codes, guint, c), 0};
                g_array_append_val(items, it);
            }
        }
    }
    if (codes != o->codes)
        g_array_free(codes, TRUE);
    return items;
}

/* The TJ after op oi that opens with an empty string and an offset (ActualText spans'
 * dropped operators between them aside), in the same font: its offset in *num. */
static cop *next_lead(page_ctx *pc, guint oi, const font_info *f, double *num)
{
    for (guint j = oi + 1; j < pc->ops->len; j++) {
        cop *n = op_at(pc, j);
        if (n->drop && !pdf_op_shows(n->kind))
            continue;
        if (n->kind != OP_TJ || n->font != f || n->nargs < 3 || n->tj || n->lead_taken ||
            arg(pc, n, 0)->kind != TK_OPEN)
            return NULL;
        const tk *s = arg(pc, n, 1), *k = arg(pc, n, 2);
        bool empty = s->kind == TK_HEX ? tp_string_len(s) == 0
                                       : s->kind == TK_LIT && s->e - s->s == 2;
        if (!empty || k->kind != TK_NUM)
            return NULL;
        *num = pdf_tk_number(k);
        return n;
    }
    return NULL;
}

static bool zero_width_mark(font_info *f, guint code)
{
    if (font_width(f, code) != 0)
        return false;
    const char *r = g_hash_table_lookup(f->tu, GUINT_TO_POINTER(code));
    return r && *r && g_unichar_type(g_utf8_get_char(r)) == G_UNICODE_NON_SPACING_MARK;
}

/* The marks of items [a, b) (offsets and zero-width marks, ending where a glyph that
 * advances begins, `tail` further on) moved there; false when one cannot be. */
static bool move_marks(font_info *f, GArray *items, guint a, guint b, double tail)
{
    double total = tail;
    guint marks = 0;
    for (guint k = a; k < b; k++) {
        const tj_item *it = &g_array_index(items, tj_item, k);
        total += it->is_num ? it->num : 0;
        marks += !it->is_num;
    }
    if (!marks)
        return false;
    /* what lies between each mark and the end, in thousandths of the size */
    double rest = tail;
    GArray *moved = g_array_new(FALSE, FALSE, sizeof(tj_item));
    for (guint k = b; k > a; k--) {
        const tj_item *it = &g_array_index(items, tj_item, k - 1);
        if (it->is_num) {
            rest += it->num;
            continue;
        }
        if (rest > 0.5 || rest < -2000) {   /* right of the end: not ours to move */
            g_array_free(moved, TRUE);
            return false;
        }
        const char *r = g_hash_table_lookup(f->tu, GUINT_TO_POINTER(it->code));
        tj_item m = {false, fabs(rest) < 0.5 ? it->code   /* at the end already */
                                             : font_moved_cid(f, it->code, rest / 1000, 0, r),
                     0};
        if (!m.code) {
            g_array_free(moved, TRUE);
            return false;
        }
        g_array_prepend_val(moved, m);
    }
    tj_item sum = {true, 0, total};   /* the tail too: the next TJ loses it */
    g_array_remove_range(items, a, b - a);
    g_array_insert_vals(items, a, moved->data, moved->len);
    if (fabs(sum.num) > 1e-9)
        g_array_insert_val(items, a, sum);
    g_array_free(moved, TRUE);
    return true;
}

static bool plain_hex(const tk *a)
{
    if (a->kind != TK_HEX || (a->e - a->s - 2) % 4)
        return false;
    for (const char *p = a->s + 1; p < a->e - 1; p++)
        if (!g_ascii_isxdigit(*p))
            return false;
    return true;
}

/* The last code of string operand `a`, when it is plain hex of two-byte codes. */
static guint last_hex_code(const tk *a)
{
    const char *p = a->e - 5;
    return (guint)(g_ascii_xdigit_value(p[0]) << 12 | g_ascii_xdigit_value(p[1]) << 8 |
                   g_ascii_xdigit_value(p[2]) << 4 | g_ascii_xdigit_value(p[3]));
}

/* Whether TJ o may hold a mark to move: a string whose last glyph has no advance,
 * followed by an offset to the right, here or at the head of the next TJ. Read without
 * decoding the strings where they are plain hex: most TJs hold none. */
static bool may_move_marks(page_ctx *pc, guint oi, font_info *f)
{
    cop *o = op_at(pc, oi);
    guint c = 0;
    for (guint i = 0; i + 1 < o->nargs; i++) {
        const tk *a = arg(pc, o, i), *next = arg(pc, o, i + 1);
        if (a->kind != TK_HEX && a->kind != TK_LIT)
            continue;
        guint n = tp_string_len(a) / 2;
        c += n;
        if (!n || (next->kind != TK_NUM && next->kind != TK_CLOSE))
            continue;
        guint code;
        if (o->codes)
            code = c - 1 < o->codes->len ? g_array_index(o->codes, guint, c - 1) : 0;
        else if (plain_hex(a))
            code = last_hex_code(a);
        else
            return true;   /* a literal string: read whole below */
        double lead = 0;
        if (font_width(f, code) == 0 &&
            (next->kind == TK_NUM ? pdf_tk_number(next) <= -0.5
                                  : next_lead(pc, oi, f, &lead) && lead <= -0.5))
            return true;
    }
    return false;
}

static void marks_take_offsets(page_ctx *pc, guint oi, font_info *f)
{
    cop *o = op_at(pc, oi);
    if (!o->lead_taken && !may_move_marks(pc, oi, f))
        return;
    GArray *items = tj_items(pc, o, f);
    bool changed = o->lead_taken;
    /* each stretch of offsets and marks after a glyph that advances */
    for (guint k = 0; k < items->len; k++) {
        const tj_item *it = &g_array_index(items, tj_item, k);
        if (!it->is_num && !zero_width_mark(f, it->code))
            continue;
        guint e = k;
        while (e < items->len && (g_array_index(items, tj_item, e).is_num ||
                                  zero_width_mark(f, g_array_index(items, tj_item, e).code)))
            e++;
        double tail = 0;
        cop *lead = e == items->len ? next_lead(pc, oi, f, &tail) : NULL;
        guint before = items->len;
        if (move_marks(f, items, k, e, tail)) {
            changed = true;
            if (lead)
                lead->lead_taken = true;
            e = e + items->len - before;
        }
        k = e;
    }
    if (changed) {
        GString *tj = g_string_new(NULL);
        g_string_append_len(tj, o->s, arg(pc, o, 0)->s - o->s);
        g_string_append_c(tj, '[');
        bool open = false;
        for (guint k = 0; k < items->len; k++) {
            const tj_item *it = &g_array_index(items, tj_item, k);
            if (it->is_num) {
                g_string_append(tj, open ? "> " : "");
                tp_put_num(tj, it->num);
                g_string_append_c(tj, ' ');
                open = false;
                continue;
            }
            if (!open)
                g_string_append_c(tj, '<');
            open = true;
            tp_put_hex4(tj, it->code);
        }
        g_string_append(tj, open ? ">] TJ" : "] TJ");
        o->tj = tj;
    }
    g_array_free(items, TRUE);
}

/* Pass 1: every ActualText span cairo wrote whose glyphs can take CIDs of their own
 * (pass 2 is tp_carry_marks). */
static void remap_spans(page_ctx *pc)
{
    font_info *font = NULL;
    for (guint i = 0; i < pc->ops->len; i++) {
        cop *o = op_at(pc, i);
        if (o->kind == OP_TF)
            font = o->font;
        if (o->kind != OP_BDC)
            continue;
        char *text = actual_text(pc, o);
        guint j = text ? tp_sequence_end(pc, i) : 0;
        if (j)
            remap_span(pc, i, j, font, text);
        g_free(text);
    }
}

/* Pass 3 (after tp_carry_marks, which reads the operators as they were): the marks
 * that take their offsets. */
static void marks_take_all(page_ctx *pc)
{
    font_info *font = NULL;
    for (guint i = 0; i < pc->ops->len; i++) {
        cop *o = op_at(pc, i);
        if (o->kind == OP_TF)
            font = o->font;
        else if (o->kind == OP_TJ && font && font->remappable && font->zero_width && o->nargs)
            marks_take_offsets(pc, i, font);
    }
}

/* ---- the page ----------------------------------------------------------------------- */

static bool same_lang(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* Whether marked content nests in the content (no EMC without its begin, none left
 * open): the artifact rule needs it, else the page keeps its own marking. */
static bool balanced(page_ctx *pc)
{
    int depth = 0;
    for (guint i = 0; i < pc->ops->len; i++) {
        pdf_op_kind k = op_at(pc, i)->kind;
        depth += k == OP_BDC || k == OP_BMC ? 1 : k == OP_EMC ? -1 : 0;
        if (depth < 0)
            return false;
    }
    return depth == 0;
}

/* Pass 2: the content written again with the new codes, the language pieces and the
 * artifacts; NULL when nothing changed. */
static GString *rewrite(page_ctx *pc, size_t len, pdf_artifacts *art)
{
    page_out w = {g_string_sized_new(len + len / 8 + 256), g_string_new(NULL), art};
    font_info *font = NULL;
    split sp = {0};
    sp.added = g_array_new(FALSE, FALSE, sizeof(long));
    bool changed = pc->order != NULL;
    /* A form's runs of another script than the document's: each a /Span with its /Lang */
    GUnicodeScript form_script = pdf_lang_script(pc->t->doc_lang);
    const char *form_lang = NULL;
    for (guint n = 0; n < pc->ops->len; n++) {
        guint i = pc->order ? g_array_index(pc->order, guint, n) : n;
        cop *o = op_at(pc, i);
        GString *before = pc->prefix ? g_hash_table_lookup(pc->prefix, GUINT_TO_POINTER(i))
                                     : NULL;
        if (before)
            tp_put_raw(&w, before->str, before->len);
        if (o->kind == OP_TF)
            font = o->font;   /* a dropped Tf too: a run written again ends in its font */
        if (o->drop) {   /* an ActualText span's BDC or EMC, an operator of a run */
            changed = true;
            continue;
        }
        if (o->op.kind == TK_END) {   /* white space after the last operator */
            tp_put_raw(&w, o->s, (size_t)(o->e - o->s));
            continue;
        }
        if (o->codes || o->tj)
            changed = true;
        if (sp.end && i == sp.end) {   /* the sequence's own EMC: the last piece's */
            tp_piece_close(&w, &sp);
            tp_add_pieces(pc, &sp);
            g_free(sp.tag);
            sp.tag = NULL;
            sp.end = 0;
            g_array_set_size(sp.added, 0);
            tp_put_raw(&w, o->s, (size_t)(o->op.s - o->s));
            continue;
        }
        if (sp.end) {
            if (o->kind == OP_BT || o->kind == OP_ET) {
                tp_piece_close(&w, &sp);
                sp.in_bt = o->kind == OP_BT;
                tp_emit(pc, &w, o);
                continue;
            }
            if (!sp.open && !sp.in_bt && (o->kind == OP_STATE || o->kind == OP_TF)) {
                tp_emit(pc, &w, o);   /* not content: outside the pieces, as cairo's are */
                continue;
            }
            if (pdf_op_shows(o->kind) && !sp.nested) {
                const char *l = tp_run_lang(pc, o, font, sp.own_script);
                if (!l || *l)
                    sp.want = l;
            }
            if (sp.open && !sp.nested && !same_lang(sp.open_lang, sp.want))
                tp_piece_close(&w, &sp);
            if (!sp.open)
                tp_piece_open(pc, &w, &sp);
            sp.nested += o->kind == OP_BDC;
            sp.nested -= o->kind == OP_EMC && sp.nested > 0;
            tp_emit(pc, &w, o);
            continue;
        }
        if (pc->form && o->kind == OP_ET && form_lang) {
            tp_put_raw(&w, "\nEMC", 4);
            form_lang = NULL;
        } else if (pc->form && pdf_op_shows(o->kind)) {
            const char *l = tp_run_lang(pc, o, font, form_script);
            if (l && !*l)
                l = form_lang;   /* no letters: in the run it is in */
            if (!same_lang(l, form_lang)) {
                if (form_lang)
                    tp_put_raw(&w, "\nEMC", 4);
                if (l) {
                    char *bdc = g_strdup_printf("\n/Span << /Lang (%s) >> BDC", l);
                    tp_put_raw(&w, bdc, strlen(bdc));
                    g_free(bdc);
                }
                form_lang = l;
                changed = true;
            }
        }
        if (pdf_op_shows(o->kind))
            tp_script(pc, o, font);   /* counts the codes in use */
        long m = o->kind == OP_BDC ? tp_mcid(pc, o) : -1;
        const char *own = m >= 0 && (guint)m < pc->mcid_lang->len ? pc->mcid_lang->pdata[m]
                                                                   : NULL;
        /* Furniture (an artifact) has no language of its own to split off from. */
        guint j = own && arg(pc, o, 0)->kind == TK_NAME && !pdf_artifacts_furniture(art, m)
                      ? tp_sequence_end(pc, i) : 0;
        if (j && tp_needs_split(pc, i, j, font, own)) {
            sp = (split){j, g_strndup(arg(pc, o, 0)->s, (gsize)(arg(pc, o, 0)->e -
                                                                 arg(pc, o, 0)->s)),
                         m, pdf_lang_script(own), NULL, false, NULL, true, false, sp.added, 0};
            changed = true;
            tp_put_raw(&w, o->s, (size_t)(arg(pc, o, 0)->s - o->s));
            continue;
        }
        tp_emit(pc, &w, o);
    }
    if (form_lang)
        g_string_append(w.pending, "\nEMC");
    g_string_append_len(w.out, w.pending->str, w.pending->len);
    bool ok = !art || pdf_artifacts_end(art, w.out);   /* balanced: see balanced() */
    g_free(sp.tag);
    g_array_free(sp.added, TRUE);
    g_string_free(w.pending, TRUE);
    if (!ok || (!changed && !(art && art->changed))) {
        g_string_free(w.out, TRUE);
        return NULL;
    }
    return w.out;
}

/* The pass over the content of a page or of a form XObject (`form`). */
static GString *text_pass(pdf_text *t, pd_obj *page, const char *c, size_t len,
                          pdf_artifacts *art, bool form)
{
    pd_doc *doc = t->doc;
    page_ctx pc = {.t = t,
                   .fonts = pd_get(doc, pd_get(doc, page, "/Resources"), "/Font"),
                   .page = page, .parents = NULL,
                   .mcid_lang = g_ptr_array_new(),
                   .ops = g_array_sized_new(FALSE, FALSE, sizeof(cop), (guint)(len / 16 + 16)),
                   .form = form};
    tp_page_langs(&pc, page);
    GString *out = NULL;
    if (parse_ops(&pc, c, len)) {
        remap_spans(&pc);
        tp_carry_marks(&pc);
        marks_take_all(&pc);
        tp_rtl_runs(&pc);
        tp_rows(&pc);
        out = rewrite(&pc, len, art && balanced(&pc) ? art : NULL);
    }
    for (guint i = 0; i < pc.ops->len; i++) {
        if (op_at(&pc, i)->codes)
            g_array_free(op_at(&pc, i)->codes, TRUE);
        if (op_at(&pc, i)->tj)
            g_string_free(op_at(&pc, i)->tj, TRUE);
    }
    if (pc.order)
        g_array_free(pc.order, TRUE);
    if (pc.prefix)
        g_hash_table_destroy(pc.prefix);
    g_array_free(pc.ops, TRUE);
    g_free(pc.args);
    g_ptr_array_free(pc.mcid_lang, TRUE);
    return out;
}

GString *pdf_text_content(pdf_text *t, pd_obj *page, const char *c, size_t len,
                          pdf_artifacts *art)
{
    return text_pass(t, page, c, len, art, false);
}

GString *pdf_text_form(pdf_text *t, pd_obj *form, const char *c, size_t len)
{
    return text_pass(t, form, c, len, NULL, true);
}

pdf_text *pdf_text_new(pd_doc *doc)
{
    pdf_text *t = g_new0(pdf_text, 1);
    t->doc = doc;
    t->fonts = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                     (GDestroyNotify)font_free);
    t->order = g_ptr_array_new();
    t->elem_lang = g_hash_table_new(NULL, NULL);
    pd_obj *l = pd_get(doc, pd_root(doc), "/Lang");
    t->doc_lang = g_intern_string(pd_is_string(l) ? pd_utf8(doc, l) : "en");
    return t;
}

void pdf_text_finish(pdf_text *t)
{
    for (guint i = 0; i < t->order->len; i++) {
        font_info *f = t->order->pdata[i];
        if (f->remappable && f->new_gid->len)
            font_write(t->doc, f);
    }
    g_ptr_array_free(t->order, TRUE);
    g_hash_table_destroy(t->fonts);
    g_hash_table_destroy(t->elem_lang);
    g_free(t);
}
