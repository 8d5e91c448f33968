/* pdf_text_lang.c - the text layer's languages: which language each marked-content
 * sequence's element is in, and runs of another script split off into pieces of their
 * own with a marked-content /Lang (see pdf_text.h and pdf_text_page.h). */
#include <stdlib.h>
#include <string.h>

#include "pdf_lang.h"
#include "pdf_text_page.h"

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

/* The language of element `e`: its /Lang, else its nearest ancestor's, else the
 * document's. Each element is read once for the whole document (many MCIDs, and the
 * pages of a section, share their elements and ancestors). */
static const char *elem_lang(pdf_text *t, qpdf_oh e, int depth)
{
    qpdf_data q = t->q;
    if (!qpdf_oh_is_dictionary(q, e) || depth >= 100)
        return t->doc_lang;
    int id = qpdf_oh_get_object_id(q, e);
    const char *known = id ? g_hash_table_lookup(t->elem_lang, GINT_TO_POINTER(id)) : NULL;
    if (known)
        return known;
    qpdf_oh l = qpdf_oh_get_key(q, e, "/Lang");
    const char *lang;
    if (qpdf_oh_is_string(q, l)) {
        /* Language tags are few: interned, they outlive the pass and need no owner. */
        lang = g_intern_string(qpdf_oh_get_utf8_value(q, l));
    } else {
        qpdf_oh parent = qpdf_oh_get_key(q, e, "/P");
        lang = elem_lang(t, parent, depth + 1);
        qpdf_oh_release(q, parent);
    }
    qpdf_oh_release(q, l);
    if (id)
        g_hash_table_insert(t->elem_lang, GINT_TO_POINTER(id), (gpointer)lang);
    return lang;
}

void tp_page_langs(page_ctx *pc, qpdf_oh page)
{
    qpdf_data q = pc->t->q;
    qpdf_oh key = qpdf_oh_get_key(q, page, "/StructParents");
    qpdf_oh tree = qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_get_root(q), "/StructTreeRoot"),
                                   "/ParentTree");
    if (!qpdf_oh_is_integer(q, key) || !qpdf_oh_is_dictionary(q, tree))
        return;
    qpdf_oh arr = tree_lookup(pc->t, tree, qpdf_oh_get_int_value(q, key));
    pc->parents = arr;
    if (!qpdf_oh_is_array(q, arr))
        return;
    /* The array written out is read in one call: libqpdf's calls cost thousands of
     * instructions each, and a page has hundreds of MCIDs. cairo writes references
     * (and the finisher nulls for furniture); anything else is read item by item. */
    char *u = g_strdup(qpdf_oh_unparse_resolved(q, arr));
    const char *p = u;
    bool plain = *p == '[';
    for (p++; plain;) {
        while (*p == ' ')
            p++;
        if (*p == ']')
            break;
        if (!strncmp(p, "null", 4)) {
            g_ptr_array_add(pc->mcid_lang, (gpointer)pc->t->doc_lang);
            p += 4;
            continue;
        }
        char *end;
        long id = strtol(p, &end, 10), gen = end > p ? strtol(end, &end, 10) : -1;
        while (*end == ' ')
            end++;
        if (end == p || gen < 0 || *end != 'R' || id <= 0 || id > G_MAXINT) {
            plain = false;
            break;
        }
        p = end + 1;
        const char *lang = g_hash_table_lookup(pc->t->elem_lang, GINT_TO_POINTER((int)id));
        if (!lang) {
            qpdf_oh e = qpdf_get_object_by_id(q, (int)id, (int)gen);
            lang = elem_lang(pc->t, e, 0);
            qpdf_oh_release(q, e);
        }
        g_ptr_array_add(pc->mcid_lang, (gpointer)lang);
    }
    g_free(u);
    if (plain)
        return;
    g_ptr_array_set_size(pc->mcid_lang, 0);
    int n = qpdf_oh_get_array_n_items(q, arr);
    for (int i = 0; i < n; i++) {
        qpdf_oh e = qpdf_oh_get_array_item(q, arr, i);
        g_ptr_array_add(pc->mcid_lang, (gpointer)elem_lang(pc->t, e, 0));
        qpdf_oh_release(q, e);
    }
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
        if (pdf_op_marks(o->kind))
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
        m = (long)qpdf_oh_get_array_n_items(pc->t->q, pc->parents);
        qpdf_oh_append_item(pc->t->q, pc->parents,
                            qpdf_oh_get_array_item(pc->t->q, pc->parents, (int)sp->mcid));
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

static bool same_page(qpdf_data q, qpdf_oh a, qpdf_oh b)
{
    return qpdf_oh_get_object_id(q, a) == qpdf_oh_get_object_id(q, b) &&
           qpdf_oh_get_object_id(q, a) != 0;
}

/* The element of a split sequence lists its new pieces right after the first. */
void tp_add_pieces(page_ctx *pc, const split *sp)
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
