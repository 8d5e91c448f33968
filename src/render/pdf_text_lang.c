/* pdf_text_lang.c - the text layer's languages: which language each marked-content
 * sequence's element is in, and runs of another script split off into pieces of their
 * own with a marked-content /Lang (see pdf_text.h and pdf_text_page.h). */
#include <stdlib.h>
#include <string.h>

#include "pdf_lang.h"
#include "pdf_text_page.h"

/* The language of element `e`: its /Lang, else its nearest ancestor's, else the
 * document's. Each element is read once for the whole document (many MCIDs, and the
 * pages of a section, share their elements and ancestors). */
static const char *elem_lang(pdf_text *t, pd_obj *e, int depth)
{
    pd_doc *doc = t->doc;
    if (!pd_is_dict(e) || depth >= 100)
        return t->doc_lang;
    int id = pd_id(e);
    const char *known = id ? g_hash_table_lookup(t->elem_lang, GINT_TO_POINTER(id)) : NULL;
    if (known)
        return known;
    pd_obj *l = pd_get(doc, e, "/Lang");
    const char *lang;
    if (pd_is_string(l)) {
        /* Language tags are few: interned, they outlive the pass and need no owner. */
        lang = g_intern_string(pd_utf8(doc, l));
    } else {
        pd_obj *parent = pd_get(doc, e, "/P");
        lang = elem_lang(t, parent, depth + 1);
    }
    if (id)
        g_hash_table_insert(t->elem_lang, GINT_TO_POINTER(id), (gpointer)lang);
    return lang;
}

void tp_page_langs(page_ctx *pc, pd_obj *page)
{
    pd_doc *doc = pc->t->doc;
    pd_obj *arr = pd_parent_array(doc, page);
    pc->parents = arr;
    size_t n = pd_len(arr);
    for (size_t i = 0; i < n; i++)
        g_ptr_array_add(pc->mcid_lang, (gpointer)elem_lang(pc->t, pd_at(doc, arr, i), 0));
}

/* Reads code `code` of a text operator for its script; true when the rest of the
 * operator need not be read. */
static bool scan_code(font_info *f, cop *o, guint code)
{
    int s = font_code_script(f, code);
    if (o->script == FONT_NEUTRAL)
        o->script = s;
    /* The rest counts only for a font with U+FFFD readings (font_code_script). */
    return o->script != FONT_NEUTRAL && !f->has_fffd;
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The common case, read in place: two-byte codes in hex strings of plain digits. False
 * when the operator holds anything else (then read through tp_codes). */
static bool scan_hex(page_ctx *pc, cop *o, font_info *f)
{
    for (guint i = 0; i < o->nargs; i++) {
        const tk *a = arg(pc, o, i);
        if (a->kind == TK_LIT || (a->kind == TK_HEX && (a->e - a->s - 2) % 4))
            return false;
        if (a->kind != TK_HEX)
            continue;
        for (const char *p = a->s + 1; p + 4 < a->e; p += 4) {
            int d0 = hex_value(p[0]), d1 = hex_value(p[1]), d2 = hex_value(p[2]),
                d3 = hex_value(p[3]);
            if ((d0 | d1 | d2 | d3) < 0)
                return false;
            if (scan_code(f, o, (guint)(d0 << 12 | d1 << 8 | d2 << 4 | d3)))
                return true;
        }
    }
    return true;
}

int tp_script(page_ctx *pc, cop *o, font_info *f)
{
    if (o->scanned)
        return o->script;
    o->scanned = true;
    o->script = FONT_NEUTRAL;
    if (!f || (!o->codes && f->two_byte && scan_hex(pc, o, f)))
        return o->script;
    o->script = FONT_NEUTRAL;
    GArray *codes = o->codes ? o->codes : tp_codes(pc, o, f);
    for (guint i = 0; i < codes->len && !scan_code(f, o, g_array_index(codes, guint, i)); i++)
        ;
    if (!o->codes)
        g_array_free(codes, TRUE);
    return o->script;
}

const char *tp_run_lang(page_ctx *pc, cop *o, font_info *f, GUnicodeScript own)
{
    int s = tp_script(pc, o, f);
    if (s == FONT_NEUTRAL)
        return "";
    return (GUnicodeScript)s == own ? NULL : pdf_script_lang((GUnicodeScript)s);
}

bool tp_needs_split(page_ctx *pc, guint i, guint j, font_info *font, const char *own)
{
    GUnicodeScript own_script = pdf_lang_script(own);
    bool foreign = false;
    for (guint k = i + 1; k < j; k++) {
        cop *o = op_at(pc, k);
        if (o->kind == OP_TF)
            font = o->font;
        if (o->drop || o->kind == OP_TF)
            continue;
        if (o->kind == OP_BMC || (o->kind == OP_BDC && tp_mcid(pc, o) >= 0))
            return false;
        if (pdf_op_shows(o->kind)) {
            const char *l = tp_run_lang(pc, o, font, own_script);
            if (l && *l)
                foreign = true;
        }
    }
    return foreign;
}

void tp_piece_close(page_out *w, split *sp)
{
    if (sp->open) {
        tp_put_op(w, OP_EMC, -1);
        g_string_append(w->out, "\nEMC");
        tp_put_raw(w, "\n", 1);
    }
    sp->open = false;
}

void tp_piece_open(page_ctx *pc, page_out *w, split *sp)
{
    long m = sp->mcid;
    if (!sp->first) {
        m = (long)pd_len(pc->parents);
        pd_append(pc->t->doc, pc->parents,
                            pd_at(pc->t->doc, pc->parents, (int)sp->mcid));
        g_array_append_val(sp->added, m);
    }
    sp->first = false;
    tp_put_op(w, OP_BDC, m);
    g_string_append_printf(w->out, "\n%s << /MCID %ld", sp->tag, m);
    if (sp->want)
        g_string_append_printf(w->out, " /Lang (%s)", sp->want);
    g_string_append(w->out, " >> BDC");
    tp_put_raw(w, "\n", 1);
    sp->open = true;
    sp->open_lang = sp->want;
}

static bool same_page(pd_doc *doc, pd_obj *a, pd_obj *b)
{
    return pd_id(a) == pd_id(b) &&
           pd_id(a) != 0;
}

/* The element of a split sequence lists its new pieces right after the first. */
void tp_add_pieces(page_ctx *pc, const split *sp)
{
    pd_doc *doc = pc->t->doc;
    pd_obj *elem = pd_at(doc, pc->parents, (int)sp->mcid);
    if (!pd_is_dict(elem) || !sp->added->len)
        return;
    pd_obj *k = pd_get(doc, elem, "/K");
    if (!pd_is_array(k))
        k = pd_wrap_in_array(doc, k);
    bool direct = same_page(doc, pd_get(doc, elem, "/Pg"), pc->page);
    pd_obj *kids = pd_new_array(doc);
    int n = (int)pd_len(k);
    bool placed = false;
    for (int i = 0; i <= n; i++) {
        pd_obj *c = i < n ? pd_at(doc, k, i) : NULL;
        if (i < n)
            pd_append(doc, kids, c);
        bool here = i == n ? !placed
                   : pd_is_int(c)
                       ? direct && pd_int(c) == sp->mcid
                       : pd_is_dict(c) &&
                             pd_is_int(pd_get(doc, c, "/MCID")) &&
                             pd_int(pd_get(doc, c, "/MCID")) ==
                                 sp->mcid &&
                             (pd_has(c, "/Pg")
                                  ? same_page(doc, pd_get(doc, c, "/Pg"), pc->page)
                                  : direct);
        if (!here || placed)
            continue;
        placed = true;
        for (guint a = 0; a < sp->added->len; a++) {
            long m = g_array_index(sp->added, long, a);
            if (direct) {
                pd_append(doc, kids, pd_new_int(doc, m));
            } else {
                pd_obj *mcr = pd_parse(doc, "<< /Type /MCR >>");
                pd_put(doc, mcr, "/Pg", pc->page);
                pd_put(doc, mcr, "/MCID", pd_new_int(doc, m));
                pd_append(doc, kids, mcr);
            }
        }
    }
    pd_put(doc, elem, "/K", kids);
}
