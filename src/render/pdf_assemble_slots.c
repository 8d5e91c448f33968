/* pdf_assemble_slots.c - where the students go in the template (pdf_assemble_int.h).
 *
 * A stand-in is the form cairo_out.c draws for a DL_SLOT: a 1 pt square found by its
 * content, whose x gives the slot. On a tagged template the slot's page also holds an
 * element reserved for the slot and a marked-content sequence painting the stand-in:
 * this finds them (the element, its parent, the page's ParentTree array, the page's
 * content cut before and after the sequence), once per template, so that each student
 * costs only the splice. */
#include "pdf_assemble_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- stand-ins --------------------------------------------------------------------- */

/* The slot a stand-in's content marks: cairo writes "q 0 0 0 rg /a0 gs X 10 1 1 re f Q"
 * for the square of cairo_out.c's draw_slot, X = 10 + slot. Any other operator or a
 * second square means a real drawing: -1. */
static long content_slot(const char *s, size_t n)
{
    static const char *const harmless[] = {"q", "Q", "rg", "g", "gs", "f", "cm"};
    const char *p = s, *end = s + n;
    raw_token args[6]; /* operands of the current operator; cm has the most */
    int nargs = 0, squares = 0;
    long slot = -1;
    for (raw_token t; (t = raw_lex(&p, end)).kind != TK_END;) {
        if (t.kind == TK_NUM || t.kind == TK_NAME) {
            if (nargs == (int)G_N_ELEMENTS(args))
                return -1;
            args[nargs++] = t;
            continue;
        }
        if (t.kind != TK_WORD)
            return -1;
        if (raw_tk_is(t, "re")) {
            long x = nargs == 4 ? raw_tk_int(args[0]) : -1;
            if (x < 10 || !raw_tk_is(args[1], "10") || !raw_tk_is(args[2], "1") ||
                !raw_tk_is(args[3], "1"))
                return -1;
            slot = x - 10;
            squares++;
        } else {
            bool ok = false;
            for (size_t i = 0; i < G_N_ELEMENTS(harmless) && !ok; i++)
                ok = raw_tk_is(t, harmless[i]);
            if (!ok)
                return -1;
        }
        nargs = 0;
    }
    return squares == 1 ? slot : -1;
}

/* The slot of form object o, or -1 when it is not a stand-in. Stand-ins are a few
 * dozen bytes: a form whose content does not fit in 512 is something else. */
long asm_stand_in_slot(const raw_file *f, const raw_obj *o)
{
    const char *d = f->buf + o->val, *de = f->buf + o->val_end;
    if (!o->data || !raw_dict_has_name(d, de, "/Subtype", "/Form"))
        return -1;
    bool whole;
    GString *c = raw_stream_data(f, o, 512, &whole);
    long slot = c && whole ? content_slot(c->str, c->len) : -1;
    if (c)
        g_string_free(c, TRUE);
    return slot;
}

/* ---- the template's structure around its slots ------------------------------------- */

/* The marked-content sequence with an MCID innermost around "name Do" in content c:
 * its MCID, and the spans of its BDC (with the operands), of its EMC and of the "name
 * Do". False when there is none, or on syntax this does not read (inline images). */
static bool slot_sequence(const GString *c, raw_token name, long *mcid, size_t cut[6])
{
    typedef struct { const char *s, *e; long mcid; bool slot; } open_mc;
    enum { MAX_DEPTH = 64 };
    open_mc stack[MAX_DEPTH];
    int depth = 0;
    const char *p = c->str, *end = c->str + c->len, *ops = NULL;
    long mc = -1;
    bool mcid_next = false, found = false;
    raw_token last = {TK_END, p, 0};
    for (raw_token t; (t = raw_lex(&p, end)).kind != TK_END;) {
        if (t.kind == TK_BAD)
            return false;
        if (t.kind != TK_WORD) {
            ops = ops ? ops : t.s;
            if (mcid_next && t.kind == TK_NUM)
                mc = raw_tk_int(t);
            mcid_next = t.kind == TK_NAME && raw_tk_is(t, "/MCID");
            last = t;
            continue;
        }
        if (raw_tk_is(t, "BI") || raw_tk_is(t, "ID"))
            return false;
        if (raw_tk_is(t, "BDC") || raw_tk_is(t, "BMC")) {
            if (depth == MAX_DEPTH)
                return false;
            stack[depth++] = (open_mc){ops ? ops : t.s, t.s + t.n,
                                       raw_tk_is(t, "BDC") ? mc : -1, false};
        } else if (raw_tk_is(t, "EMC")) {
            if (depth == 0)
                return false;
            if (stack[--depth].slot) {
                cut[2] = (size_t)(t.s - c->str);
                cut[3] = cut[2] + t.n;
                found = true;
            }
        } else if (raw_tk_is(t, "Do") && last.kind == TK_NAME && last.n == name.n &&
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
static long page_stand_in(const cp_pdf_template *t, const raw_file *f, const raw_obj *pg,
                          raw_token *name)
{
    const char *d = f->buf + pg->val, *de = f->buf + pg->val_end, *vs, *ve;
    if (!raw_dict_get_deref(f, d, de, "/Resources", &vs, &ve) ||
        !raw_dict_get_deref(f, vs, ve, "/XObject", &vs, &ve) || raw_lex(&vs, ve).kind != TK_DICT)
        return -1;
    long slot = -1;
    for (;;) {
        raw_token k = raw_lex(&vs, ve);
        const char *v, *r;
        long num;
        if (k.kind != TK_NAME || !raw_skip_value(&vs, ve, &v))
            return slot;
        r = v;
        if (!raw_lex_ref(&r, vs, &num))
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
static bool find_slot_tree(cp_pdf_template *t, const raw_file *f, long page)
{
    const raw_obj *pg = raw_obj_get(f, page);
    raw_token name = {TK_END, NULL, 0};
    long slot = pg ? page_stand_in(t, f, pg, &name) : -2;
    if (slot == -1)
        return true;
    if (slot < 0 || t->trees[slot].tagged)
        return false;
    const char *d = f->buf + pg->val, *de = f->buf + pg->val_end, *vs, *ve;
    slot_tree *tr = &t->trees[slot];
    long key;
    if (!raw_dict_get(d, de, "/StructParents", &vs, &ve) ||
        (key = raw_tk_int(raw_lex(&vs, ve))) < 0)
        return true;
    const raw_obj *content;
    if (!raw_parent_tree_array(f, key, &tr->pt_s, &tr->pt_e, &tr->parents) || !tr->parents ||
        !raw_dict_get(d, de, "/Contents", &vs, &ve) || !raw_lex_ref(&vs, ve, &tr->content) ||
        !(content = raw_obj_get(f, tr->content)))
        return false;
    GString *c = raw_stream_inflate(f, content);
    size_t cut[6];
    tr->mcid = -1;
    bool ok = c && slot_sequence(c, name, &tr->mcid, cut);
    GArray *starts = g_array_new(FALSE, FALSE, sizeof(char *));
    GArray *ends = g_array_new(FALSE, FALSE, sizeof(char *));
    ok = ok && raw_array_items(tr->pt_s, tr->pt_e, starts, ends) && tr->mcid < (long)starts->len;
    if (ok) {
        const char *it = g_array_index(starts, const char *, tr->mcid);
        const raw_obj *e;
        const raw_obj *par;
        ok = raw_lex_ref(&it, tr->pt_e, &tr->elem) && (e = raw_obj_get(f, tr->elem)) &&
             raw_dict_get(f->buf + e->val, f->buf + e->val_end, "/P", &vs, &ve) &&
             raw_lex_ref(&vs, ve, &tr->parent) && (par = raw_obj_get(f, tr->parent)) && !par->data;
        if (ok) {
            tr->par_s = f->buf + par->val;
            tr->par_e = f->buf + par->val_end;
        }
        tr->base = (long)starts->len;
    }
    ok = ok && cut[1] <= cut[4] && cut[5] <= cut[2] &&
         raw_dict_get_deref(f, d, de, "/Resources", &tr->res_s, &tr->res_e);
    if (ok) {
        tr->before_raw = g_string_new(NULL);
        g_string_append_len(tr->before_raw, c->str, (gssize)cut[0]);
        g_string_append_len(tr->before_raw, c->str + cut[1], (gssize)(cut[4] - cut[1]));
        tr->after_raw = g_string_new(NULL);
        g_string_append_len(tr->after_raw, c->str + cut[5], (gssize)(cut[2] - cut[5]));
        g_string_append_len(tr->after_raw, c->str + cut[3], (gssize)(c->len - cut[3]));
        for (size_t k = 0; k < N_RES_KINDS; k++)
            if (!raw_dict_get_deref(f, tr->res_s, tr->res_e, asm_res_kinds[k], &tr->kind_s[k],
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

int asm_by_num(const void *a, const void *b)
{
    const long *x = a, *y = b;
    return *x < *y ? -1 : *x > *y;
}

bool asm_is_patched(const cp_pdf_template *t, long num)
{
    /* An untagged template has none (and GArray's data may then be NULL). */
    return t->patched->len &&
           bsearch(&num, t->patched->data, t->patched->len, sizeof(long), asm_by_num) != NULL;
}

/* Every slot's tree; the objects written again per call (each slot's page, its
 * content and ParentTree array, the slot element's parent) listed once, ascending
 * (plan_template adds the new streams and sorts again). */
bool asm_find_trees(cp_pdf_template *t, const raw_file *f)
{
    GArray *pages = g_array_new(FALSE, FALSE, sizeof(long));
    bool ok = raw_document_pages(f, pages);
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
        qsort(t->patched->data, t->patched->len, sizeof(long), asm_by_num);
    return ok;
}
