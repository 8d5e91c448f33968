/* pdf_text_carry.c - a word's first glyph that reads with a nonspacing mark hands the
 * mark on to the next glyph (see pdf_text.h).
 *
 * pdf.js (Debian's libjs-pdf, 2.14) does not advance its pen over a glyph whose reading
 * holds a nonspacing mark (Unicode Mn) anywhere - a Devanagari half form "क्", a
 * conjunct "प्र", a nukta form "ज़" - and measures the next glyph from the last one it
 * did advance over. Inside a word that only shifts its bookkeeping; but when the word
 * begins with such a glyph, the last glyph advanced over is the one before the space,
 * so the gap looks like a second space and the word breaks after its first glyph
 * ("क् या", "प्र ोडक्ट्स"). Such a glyph gets a CID of its own that reads its first
 * character only, and the glyph after it one that reads the rest in front of its own
 * ("क" + "्या"): the text is the same in every reader, the glyphs are the same, and
 * pdf.js advances over the word's first glyph. */
#include <string.h>

#include "pdf_text_page.h"

static bool nonspacing(gunichar c)
{
    return g_unichar_type(c) == G_UNICODE_NON_SPACING_MARK;
}

/* Whether a glyph reading `r` (of advance `w`) is one pdf.js does not advance over
 * although it has a letter to stand on: a first character that is not a mark, and a
 * mark after it. */
static bool carries(const char *r, int w)
{
    if (!r || w <= 0 || !*r || nonspacing(g_utf8_get_char(r)))
        return false;
    GUnicodeScript s = g_unichar_get_script(g_utf8_get_char(r));
    if (s == G_UNICODE_SCRIPT_ARABIC || s == G_UNICODE_SCRIPT_HEBREW)
        return false;   /* right-to-left runs: pdf_text_rtl.c */
    for (const char *p = g_utf8_next_char(r); *p; p = g_utf8_next_char(p))
        if (nonspacing(g_utf8_get_char(p)))
            return true;
    return false;
}

/* Whether some code of font f reads so that it carries; read again when the font got
 * new readings (a cluster's shares, on any page). */
static bool font_carries(font_info *f)
{
    guint n = g_hash_table_size(f->tu);
    if (f->carry_seen != n) {
        f->carry_seen = n;
        f->has_carry = false;
        GHashTableIter it;
        gpointer code, text;
        g_hash_table_iter_init(&it, f->tu);
        while (!f->has_carry && g_hash_table_iter_next(&it, &code, &text))
            f->has_carry = carries(text, font_width(f, GPOINTER_TO_UINT(code)));
    }
    return f->has_carry;
}

/* A glyph of a chain: the codes of its operator (new, or the operator's own) and its
 * place in them. */
typedef struct { GArray *codes; guint k; bool *changed; } cref;

static guint code_at(const cref *r)
{
    return g_array_index(r->codes, guint, r->k);
}

static void set_code(cref *r, guint code)
{
    if (code != code_at(r))
        *r->changed = true;
    g_array_index(r->codes, guint, r->k) = code;
}

static void carry_chain(font_info *f, GArray *chain)
{
    for (guint i = 0; i + 1 < chain->len; i++) {
        cref *g = &g_array_index(chain, cref, i), *h = &g_array_index(chain, cref, i + 1);
        guint code = code_at(g);
        const char *r = g_hash_table_lookup(f->tu, GUINT_TO_POINTER(code));
        bool word_start = i == 0;
        if (i > 0) {
            const char *before = g_hash_table_lookup(
                f->tu, GUINT_TO_POINTER(code_at(&g_array_index(chain, cref, i - 1))));
            word_start = before && g_unichar_isspace(g_utf8_get_char(before));
        }
        if (!word_start || !carries(r, font_width(f, code)))
            continue;
        const char *rest = g_utf8_next_char(r);
        char *first = g_strndup(r, (gsize)(rest - r));
        guint hcode = code_at(h);
        const char *hr = g_hash_table_lookup(f->tu, GUINT_TO_POINTER(hcode));
        char *joined = g_strconcat(rest, hr ? hr : "", NULL);
        /* both read before either CID is made: a new CID adds to f->tu */
        set_code(g, font_reading_cid(f, code, first, font_width(f, code)));
        set_code(h, font_reading_cid(f, hcode, joined, font_width(f, hcode)));
        g_free(first);
        g_free(joined);
    }
    g_array_set_size(chain, 0);
}

/* An operator's codes while its chain is read: kept (as its new codes) if they changed. */
typedef struct { cop *o; GArray *codes; bool changed; } opcodes;

void tp_carry_marks(page_ctx *pc)
{
    GArray *chain = g_array_new(FALSE, FALSE, sizeof(cref));
    GPtrArray *ops = g_ptr_array_new_with_free_func(g_free);
    font_info *font = NULL, *chain_font = NULL;
    for (guint i = 0; i < pc->ops->len; i++) {
        cop *o = op_at(pc, i);
        if (o->kind == OP_TF) {
            font = o->font;
            continue;
        }
        if (o->drop)
            continue;   /* an ActualText span's BDC or EMC: gone from the page */
        bool show = o->kind == OP_TJ || (o->kind == OP_SHOW && pdf_tk_is(&o->op, "Tj"));
        bool usable = show && !o->tj && font && font->remappable && font_carries(font);
        if (!usable || font != chain_font) {
            if (chain_font)
                carry_chain(chain_font, chain);
            chain_font = usable ? font : NULL;
            if (!usable)
                continue;
        }
        opcodes *oc = g_new0(opcodes, 1);
        oc->o = o;
        oc->codes = o->codes ? o->codes : tp_codes(pc, o, font);
        g_ptr_array_add(ops, oc);
        for (guint k = 0; k < oc->codes->len; k++) {
            cref r = {oc->codes, k, &oc->changed};
            g_array_append_val(chain, r);
        }
    }
    if (chain_font)
        carry_chain(chain_font, chain);
    for (guint i = 0; i < ops->len; i++) {
        opcodes *oc = ops->pdata[i];
        if (oc->codes == oc->o->codes)
            continue;
        if (oc->changed)
            oc->o->codes = oc->codes;
        else
            g_array_free(oc->codes, TRUE);
    }
    g_ptr_array_free(ops, TRUE);
    g_array_free(chain, TRUE);
}
