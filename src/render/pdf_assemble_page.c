/* pdf_assemble_page.c - a slot's page with the student's drawing (pdf_assemble_int.h).
 *
 * On a tagged template the student's content becomes the page's own, between what the
 * template draws before the stand-in and what it draws after (the page lists three
 * streams), with its MCIDs moved after the page's and its resource names marked as the
 * student's; the page's resources hold the template's and the student's. On an
 * untagged one the overlay page replaces the stand-in as a form. */
#include "pdf_assemble_int.h"

#include <string.h>

/* The names of an overlay page's resources (`/f-0-0`, `/a0`...): a student's content
 * uses them under a name of its own in the template page's resources, NAME_MARK
 * prefixed (cairo's own names are lower case). */
#define NAME_MARK "S"

static void resource_names(const raw_file *f, const char *rs, const char *re, GPtrArray *names)
{
    for (size_t k = 0; k < N_RES_KINDS; k++) {
        const char *vs, *ve, *v;
        if (!raw_dict_get_deref(f, rs, re, asm_res_kinds[k], &vs, &ve) ||
            raw_lex(&vs, ve).kind != TK_DICT)
            continue;
        for (raw_token n; (n = raw_lex(&vs, ve)).kind == TK_NAME && raw_skip_value(&vs, ve, &v);)
            g_ptr_array_add(names, g_strndup(n.s, n.n));
    }
}

static bool is_resource_name(const GPtrArray *names, raw_token t)
{
    for (guint i = 0; i < names->len; i++)
        if (raw_tk_is(t, names->pdata[i]))
            return true;
    return false;
}

/* Content c with every marked-content /MCID moved up by `base` and every resource name
 * in `names` marked as the student's; NULL on syntax this does not read (inline
 * images). */
static GString *student_content(const GString *c, long base, const GPtrArray *names)
{
    GString *out = g_string_sized_new(c->len + 256);
    const char *p = c->str, *end = c->str + c->len, *from = p;
    bool next = false;
    for (raw_token t; (t = raw_lex(&p, end)).kind != TK_END;) {
        if (t.kind == TK_BAD || (t.kind == TK_WORD && (raw_tk_is(t, "BI") || raw_tk_is(t, "ID")))) {
            g_string_free(out, TRUE);
            return NULL;
        }
        if (next && raw_tk_int(t) >= 0) {
            g_string_append_len(out, from, t.s - from);
            raw_append_num(out, (size_t)(raw_tk_int(t) + base), 0);
            from = p;
        } else if (t.kind == TK_NAME && is_resource_name(names, t)) {
            g_string_append_len(out, from, t.s - from);
            g_string_append(out, "/" NAME_MARK);
            g_string_append_len(out, t.s + 1, (gssize)(t.n - 1));
            from = p;
        }
        next = t.kind == TK_NAME && raw_tk_is(t, "/MCID");
    }
    g_string_append_len(out, from, end - from);
    return out;
}

/* The student's content of a slot, as the middle one of its page's streams: the
 * overlay page's content under the matrix that undoes the flip cairo put on the
 * template page (the content flips back itself), so that the drawing lands where it was
 * on its own page. */
bool asm_append_student_stream(GString *out, const cp_pdf_template *t, const overlay *ov,
                               size_t slot)
{
    const slot_tree *tr = &t->trees[slot];
    const ov_page *pg = &g_array_index(ov->pages, ov_page, slot);
    const char *rs = pg->res, *re = pg->res_end;
    GString *c = raw_stream_inflate(&ov->f, pg->content);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    if (raw_deref(&ov->f, &rs, &re))
        resource_names(&ov->f, rs, re, names);
    GString *own = c ? student_content(c, tr->base, names) : NULL;
    g_ptr_array_free(names, TRUE);
    if (c)
        g_string_free(c, TRUE);
    if (!own)
        return false;
    g_string_prepend(own, "q 1 0 0 -1 0 ");
    g_string_insert_len(own, (gssize)strlen("q 1 0 0 -1 0 "), pg->h.s, (gssize)pg->h.n);
    g_string_insert(own, (gssize)(strlen("q 1 0 0 -1 0 ") + pg->h.n), " cm\n");
    g_string_append(own, "\nQ\n");
    raw_append_stream(out, tr->stand_in, NULL, own->str, own->len);
    g_string_free(own, TRUE);
    return true;
}


/* Resource subdictionary asm_res_kinds[k] with the template page's entries (but the
 * stand-in) and the student's, under their marked names; nothing when it has none. */
static void append_res_kind(GString *out, const cp_pdf_template *t, const overlay *ov,
                            size_t slot, size_t k)
{
    const char *kind = asm_res_kinds[k];
    const slot_tree *tr = &t->trees[slot];
    const ov_page *pg = &g_array_index(ov->pages, ov_page, slot);
    const char *vs, *ve, *v, *r;
    long num;
    size_t start = out->len, entries = 0;
    g_string_append_printf(out, " %s <<", kind);
    /* Template values are references into the template's own numbers: copied as
     * they are (a subdictionary given by reference was followed at parse time). */
    vs = tr->kind_s[k];
    ve = tr->kind_e[k];
    if (vs && raw_lex(&vs, ve).kind == TK_DICT) {
        for (raw_token n; (n = raw_lex(&vs, ve)).kind == TK_NAME && raw_skip_value(&vs, ve, &v);) {
            r = v;
            if (raw_lex_ref(&r, vs, &num) && num == tr->stand_in)
                continue;
            g_string_append_c(out, ' ');
            g_string_append_len(out, n.s, (gssize)n.n);
            g_string_append_c(out, ' ');
            g_string_append_len(out, v, vs - v);
            entries++;
        }
    }
    const char *rs = pg->res, *re = pg->res_end;
    if (raw_deref(&ov->f, &rs, &re) && raw_dict_get_deref(&ov->f, rs, re, kind, &vs, &ve) &&
        raw_lex(&vs, ve).kind == TK_DICT) {
        for (raw_token n; (n = raw_lex(&vs, ve)).kind == TK_NAME && raw_skip_value(&vs, ve, &v);) {
            g_string_append(out, " /" NAME_MARK);
            g_string_append_len(out, n.s + 1, (gssize)(n.n - 1));
            g_string_append_c(out, ' ');
            asm_append_renumbered(out, ov, v, vs);
            entries++;
        }
    }
    g_string_append(out, " >>");
    if (!entries)
        g_string_truncate(out, start);
}

/* A value of a slot's page: its three streams, and the template's resources with the
 * student's. */
bool asm_page_value(GString *out, raw_token key, const char *v, const char *ve,
                    const rewrite *rw)
{
    const slot_tree *tr = &rw->t->trees[rw->slot];
    if (raw_tk_is(key, "/Contents")) {
        g_string_append_printf(out, "[ %ld 0 R %ld 0 R %ld 0 R ]", tr->content, tr->stand_in,
                               tr->after);
    } else if (raw_tk_is(key, "/Resources")) {
        const char *vs = tr->res_s, *rv;
        g_string_append(out, "<<");
        for (raw_lex(&vs, tr->res_e);;) {
            raw_token n = raw_lex(&vs, tr->res_e);
            if (n.kind != TK_NAME || !raw_skip_value(&vs, tr->res_e, &rv))
                break;
            bool kind = false;
            for (size_t i = 0; i < N_RES_KINDS && !kind; i++)
                kind = raw_tk_is(n, asm_res_kinds[i]);
            if (kind)
                continue;
            g_string_append_c(out, ' ');
            g_string_append_len(out, n.s, (gssize)n.n);
            g_string_append_c(out, ' ');
            g_string_append_len(out, rv, vs - rv);
        }
        for (size_t i = 0; i < N_RES_KINDS; i++)
            append_res_kind(out, rw->t, rw->ov, rw->slot, i);
        g_string_append(out, " >>");
    } else {
        g_string_append_len(out, v, ve - v);
    }
    return true;
}

/* The stand-in's replacement in an untagged template: the overlay page's content as a
 * form under the matrix that undoes the template page's flip. */
void asm_append_form(GString *out, const overlay *ov, const stand_in *s, const ov_page *pg)
{
    g_string_append_printf(out, "%ld 0 obj\n<< /Type /XObject\n   /Subtype /Form\n", s->num);
    g_string_append_printf(out, "   /BBox [ 0 0 %.*s %.*s ]\n", (int)pg->w.n, pg->w.s,
                           (int)pg->h.n, pg->h.s);
    g_string_append_printf(out, "   /Matrix [ 1 0 0 -1 0 %.*s ]\n   /Resources ", (int)pg->h.n,
                           pg->h.s);
    asm_append_renumbered(out, ov, pg->res, pg->res_end);
    if (pg->filter) {
        g_string_append(out, "\n   /Filter ");
        g_string_append_len(out, pg->filter, pg->filter_end - pg->filter);
    }
    g_string_append_printf(out, "\n   /Length %zu\n>>\nstream\n", pg->content->data_len);
    g_string_append_len(out, ov->f.buf + pg->content->data, (gssize)pg->content->data_len);
    g_string_append(out, "\nendstream\nendobj\n");
}
