/* pdf_assemble_tree.c - the student's structure elements spliced into the template's
 * structure tree (pdf_assemble_int.h).
 *
 * The elements of a slot take the place of the slot's reserved element among its
 * parent's kids; their references point at the template's page and parent instead of
 * the overlay's, their MCIDs follow the page's own, and the page's ParentTree array
 * lists them after the template's entries (the slot's own becomes null). So a
 * student's report holds the same elements as the report laid out whole. */
#include "pdf_assemble_int.h"

/* [p, end) of a student's element in slot `slot`, its references renumbered (the page
 * is the template's page, the root the slot's parent; "null" for what is not copied)
 * and, with `shift`, its bare integers (the MCIDs of /K) moved up by it. */
static void append_mapped(GString *out, const cp_pdf_template *t, const overlay *ov,
                          size_t slot, const char *p, const char *end, long shift)
{
    const slot_tree *tr = &t->trees[slot];
    long page = g_array_index(ov->pages, ov_page, slot).num;
    const char *from = p;
    for (raw_token tk; (tk = raw_lex(&p, end)).kind != TK_END;) {
        if (tk.kind != TK_NUM)
            continue;
        const char *r = tk.s;
        long num;
        if (raw_lex_ref(&r, end, &num)) {
            g_string_append_len(out, from, tk.s - from);
            long to = num == page ? tr->page : num == ov->doc ? tr->parent
                                                              : ov->renum[num];
            if (to > 0) {
                raw_append_num(out, (size_t)to, 0);
                g_string_append(out, " 0 R");
            } else {
                g_string_append(out, "null");
            }
            p = from = r;
        } else if (shift && raw_tk_int(tk) >= 0) {
            g_string_append_len(out, from, tk.s - from);
            raw_append_num(out, (size_t)(raw_tk_int(tk) + shift), 0);
            from = p;
        }
    }
    g_string_append_len(out, from, end - from);
}

/* A value of a student's structure element, in the template's tree: on the template's
 * page, its marked content numbered after the page's own. */
bool asm_element_value(GString *out, raw_token key, const char *v, const char *ve,
                       const rewrite *rw)
{
    append_mapped(out, rw->t, rw->ov, rw->slot, v, ve,
                  raw_tk_is(key, "/K") ? rw->t->trees[rw->slot].base : 0);
    return true;
}

/* A page's ParentTree array: the template's entries (the slot's own now null), then
 * the student's, in the order of their MCIDs. */
bool asm_append_parents(GString *out, const cp_pdf_template *t, const overlay *ov,
                        size_t slot)
{
    const slot_tree *tr = &t->trees[slot];
    GArray *starts = g_array_new(FALSE, FALSE, sizeof(char *));
    GArray *ends = g_array_new(FALSE, FALSE, sizeof(char *));
    bool ok = raw_array_items(tr->pt_s, tr->pt_e, starts, ends);
    raw_append_num(out, (size_t)tr->parents, 0);
    g_string_append(out, " 0 obj\n[");
    for (guint i = 0; ok && i < starts->len; i++) {
        const char *s = g_array_index(starts, const char *, i);
        g_string_append_c(out, ' ');
        if ((long)i == tr->mcid)
            g_string_append(out, "null");
        else
            g_string_append_len(out, s, g_array_index(ends, const char *, i) - s);
    }
    const ov_page *pg = &g_array_index(ov->pages, ov_page, slot);
    const char *vs, *ve;
    long num;
    g_array_set_size(starts, 0);
    g_array_set_size(ends, 0);
    if (ok && ov->doc && pg->struct_parents >= 0) {
        ok = raw_parent_tree_array(&ov->f, pg->struct_parents, &vs, &ve, &num) &&
             raw_array_items(vs, ve, starts, ends);
        for (guint i = 0; ok && i < starts->len; i++) {
            g_string_append_c(out, ' ');
            append_mapped(out, t, ov, slot, g_array_index(starts, const char *, i),
                          g_array_index(ends, const char *, i), 0);
        }
    }
    g_string_append(out, " ]\nendobj\n");
    g_array_free(starts, TRUE);
    g_array_free(ends, TRUE);
    return ok;
}

/* The student's elements of a slot, renumbered, one after the other. */
static void append_tops(GString *out, const overlay *ov, size_t slot)
{
    for (guint i = 0; i < ov->tops->len; i++) {
        long top = g_array_index(ov->tops, long, i);
        if ((size_t)ov->slot_of[top] != slot)
            continue;
        raw_append_num(out, (size_t)ov->renum[top], 0);
        g_string_append(out, " 0 R ");
    }
}

/* A value of an element that holds slots' elements: each slot's element among its
 * kids is replaced by the student's elements of that slot. */
bool asm_parent_value(GString *out, raw_token key, const char *v, const char *ve,
                      const rewrite *rw)
{
    const cp_pdf_template *t = rw->t;
    const char *q = v, *at;
    if (!raw_tk_is(key, "/K")) {
        g_string_append_len(out, v, ve - v);
        return true;
    }
    bool array = raw_lex(&q, ve).kind == TK_ARR;
    if (!array)
        g_string_append(out, "[ ");
    raw_refs rs = raw_scan_refs(v, ve);
    const char *from = v;
    long kid;
    while (raw_next_ref(&rs, &at, &kid)) {
        for (size_t s = 0; s < t->slots; s++) {
            if (!t->trees[s].tagged || t->trees[s].elem != kid)
                continue;
            g_string_append_len(out, from, at - from);
            append_tops(out, rw->ov, s);
            from = rs.p;
        }
    }
    g_string_append_len(out, from, ve - from);
    if (!array)
        g_string_append(out, " ]");
    return !rs.bad;
}
