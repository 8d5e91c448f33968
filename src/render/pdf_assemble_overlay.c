/* pdf_assemble_overlay.c - a student's overlay read (pdf_assemble_int.h).
 *
 * The overlay has one page per slot. Of each page the assembler takes its content and
 * size, the objects its resources reach and, when the template is tagged, the
 * structure elements under the overlay's root element, each tied to the slot of its
 * page. Those objects get numbers after the template's; what would point back into
 * the overlay's own document (pages, page tree, catalog) is refused. The whole overlay
 * is checked before a byte is written, so a malformed one leaves no partial file. */
#include "pdf_assemble_int.h"

#include <math.h>

/* cairo starts every page's content with the flip into its y-down space,
 * "1 0 0 -1 0 H cm" (the finisher may have begun an artifact before it); the form's
 * /Matrix counts on it. */
static bool starts_with_flip(const raw_file *f, const ov_page *pg)
{
    static const char *const flip[] = {"1", "0", "0", "-1", "0"};
    bool whole;
    double h, page_h;
    GString *head = raw_stream_data(f, pg->content, 96, &whole);
    if (!head)
        return false;
    const char *p = head->str, *end = head->str + head->len, *q = p;
    if (raw_tk_is(raw_lex(&q, end), "/Artifact") && raw_tk_is(raw_lex(&q, end), "BMC"))
        p = q;
    bool ok = true;
    for (size_t i = 0; i < G_N_ELEMENTS(flip) && ok; i++)
        ok = raw_tk_is(raw_lex(&p, end), flip[i]);
    ok = ok && raw_tk_real(raw_lex(&p, end), &h) && raw_tk_real(pg->h, &page_h) &&
         fabs(h - page_h) < 0.01 && raw_tk_is(raw_lex(&p, end), "cm");
    g_string_free(head, TRUE);
    return ok;
}

static bool add_page(overlay *ov, long page)
{
    const raw_file *f = &ov->f;
    const raw_obj *o = raw_obj_get(f, page);
    const char *d = f->buf + o->val, *de = f->buf + o->val_end, *vs, *ve;
    ov_page pg = {.num = page, .struct_parents = -1};
    double w, h;
    long num;
    if (!raw_dict_get(d, de, "/MediaBox", &vs, &ve) || !raw_read_box(vs, ve, &w, &h))
        return false;
    raw_lex(&vs, ve); /* "[" 0 0 */
    raw_lex(&vs, ve);
    raw_lex(&vs, ve);
    pg.w = raw_lex(&vs, ve);
    pg.h = raw_lex(&vs, ve);
    if (raw_dict_get(d, de, "/StructParents", &vs, &ve))
        pg.struct_parents = raw_tk_int(raw_lex(&vs, ve));
    if (raw_dict_get(d, de, "/Annots", &vs, &ve))
        return false; /* a link would need the page's annotations: none is drawn */
    if (!raw_dict_get(d, de, "/Resources", &pg.res, &pg.res_end) ||
        !raw_dict_get(d, de, "/Contents", &vs, &ve) || !raw_lex_ref(&vs, ve, &num) ||
        !(pg.content = raw_obj_get(f, num)) || !pg.content->data)
        return false; /* cairo writes one content stream per page */
    d = f->buf + pg.content->val;
    de = f->buf + pg.content->val_end;
    if (raw_dict_get(d, de, "/DecodeParms", &vs, &ve))
        return false;
    /* No filter or /FlateDecode, as starts_with_flip makes sure. */
    raw_dict_get(d, de, "/Filter", &pg.filter, &pg.filter_end);
    if (!starts_with_flip(f, &pg))
        return false;
    g_array_append_val(ov->pages, pg);
    return true;
}

/* Marks what [p, end) refers to, and what that refers to in turn (never into stream
 * data). Reaching a page, the page tree or the catalog means resources that point
 * back at the document: refused. */
static bool mark_reachable(overlay *ov, const char *p, const char *end, bool *seen)
{
    GArray *todo = g_array_new(FALSE, FALSE, sizeof(long));
    const char *at, *vs, *ve;
    long num;
    bool ok = true;
    for (;;) {
        raw_refs rs = raw_scan_refs(p, end);
        while (ok && raw_next_ref(&rs, &at, &num)) {
            ok = raw_obj_get(&ov->f, num) != NULL;
            if (ok && !seen[num]) {
                seen[num] = true;
                g_array_append_val(todo, num);
            }
        }
        ok = ok && !rs.bad;
        if (!ok || todo->len == 0)
            break;
        num = g_array_index(todo, long, todo->len - 1);
        g_array_set_size(todo, todo->len - 1);
        const raw_obj *o = raw_obj_at(&ov->f, num);
        p = ov->f.buf + o->val;
        end = ov->f.buf + o->val_end;
        if (raw_dict_get(p, end, "/Type", &vs, &ve)) {
            raw_token type = raw_lex(&vs, ve);
            ok = !raw_tk_is(type, "/Page") && !raw_tk_is(type, "/Pages") &&
                 !raw_tk_is(type, "/Catalog");
        }
    }
    g_array_free(todo, TRUE);
    return ok;
}

/* The slot of every element under `elem` (its element kids, found through /K). */
static bool mark_slot(overlay *ov, long elem, long slot, int depth)
{
    const raw_obj *o = raw_obj_get(&ov->f, elem);
    const char *vs, *ve, *at;
    if (!o || depth > 100 || ov->slot_of[elem] >= 0)
        return false;   /* a cycle, or an element under two parents */
    ov->slot_of[elem] = slot;
    const char *d = ov->f.buf + o->val, *de = ov->f.buf + o->val_end;
    if (!raw_dict_get(d, de, "/K", &vs, &ve))
        return true;
    if (g_strstr_len(vs, ve - vs, "/OBJR"))
        return false;   /* an annotation's element: not drawn in a student's block */
    long kid;
    raw_refs rs = raw_scan_refs(vs, ve);
    while (raw_next_ref(&rs, &at, &kid)) {
        const raw_obj *k = raw_obj_get(&ov->f, kid);
        if (!k)
            return false;
        const char *kd = ov->f.buf + k->val, *kde = ov->f.buf + k->val_end, *s, *e;
        if (raw_dict_get(kd, kde, "/S", &s, &e) && !mark_slot(ov, kid, slot, depth + 1))
            return false;
    }
    return !rs.bad;
}

/* The page an element's content is on: its /Pg, else its first kid's (cairo gives /Pg
 * only to elements with content of their own); 0 when none. */
static long elem_page(const overlay *ov, long elem, int depth)
{
    const raw_obj *o = raw_obj_get(&ov->f, elem);
    const char *vs, *ve, *at;
    long pg;
    if (!o || depth > 100)
        return 0;
    const char *d = ov->f.buf + o->val, *de = ov->f.buf + o->val_end;
    if (raw_dict_get(d, de, "/Pg", &vs, &ve))
        return raw_lex_ref(&vs, ve, &pg) ? pg : 0;
    if (!raw_dict_get(d, de, "/K", &vs, &ve))
        return 0;
    raw_refs rs = raw_scan_refs(vs, ve);
    long kid;
    while (raw_next_ref(&rs, &at, &kid))
        if ((pg = elem_page(ov, kid, depth + 1)) > 0)
            return pg;
    return 0;
}

/* The overlay's structure: its root's kids, each with the slot of its page, and
 * everything they refer to marked for copying but the pages and the root, which the
 * template's own stand for. An overlay without a tree has no elements to add. */
static bool read_structure(overlay *ov, bool *seen)
{
    const raw_file *f = &ov->f;
    const raw_obj *cat = raw_obj_get(f, f->root);
    const char *vs, *ve, *at;
    long root;
    if (!raw_dict_get(f->buf + cat->val, f->buf + cat->val_end, "/StructTreeRoot", &vs, &ve))
        return true;
    const char *r = vs;
    if (!raw_lex_ref(&r, ve, &root) || !raw_deref(f, &vs, &ve) ||
        !raw_dict_get(vs, ve, "/K", &vs, &ve))
        return false;
    raw_refs rs = raw_scan_refs(vs, ve);
    const raw_obj *doc;
    if (!raw_next_ref(&rs, &at, &ov->doc) || raw_next_ref(&rs, &at, &root) || rs.bad ||
        !(doc = raw_obj_get(f, ov->doc)))
        return false;   /* cairo's one root element */
    if (!raw_dict_get(f->buf + doc->val, f->buf + doc->val_end, "/K", &vs, &ve))
        return true;
    /* The pages and the root are the template's: never copied. */
    bool *keep = g_new0(bool, f->objs->len);
    keep[ov->doc] = keep[f->root] = keep[root] = true;
    for (guint i = 0; i < ov->pages->len; i++)
        keep[g_array_index(ov->pages, ov_page, i).num] = true;
    for (size_t i = 0; i < f->objs->len; i++)
        if (keep[i])
            seen[i] = true;
    bool ok = mark_reachable(ov, vs, ve, seen);
    long top;
    rs = raw_scan_refs(vs, ve);
    while (ok && raw_next_ref(&rs, &at, &top)) {
        long pg = elem_page(ov, top, 0), slot = -1;
        ok = pg > 0;
        for (guint i = 0; ok && i < ov->pages->len; i++)
            if (g_array_index(ov->pages, ov_page, i).num == pg)
                slot = (long)i;
        ok = ok && slot >= 0 && mark_slot(ov, top, slot, 0);
        if (ok)
            g_array_append_val(ov->tops, top);
    }
    ok = ok && !rs.bad;
    for (size_t i = 0; i < f->objs->len; i++)
        if (keep[i])
            seen[i] = false;
    g_free(keep);
    return ok;
}

/* The overlay's pages (one per slot of t), the objects their resources need and, when
 * the template is tagged, its structure elements, numbered after the template's
 * objects in the order of their overlay numbers. */
bool asm_overlay_read(overlay *ov, const cp_pdf_template *t, const char *buf, size_t len)
{
    size_t pages = t->slots;
    long base = t->size;
    bool tagged = true;
    for (size_t s = 0; s < t->slots; s++)
        tagged = tagged && t->trees[s].tagged;
    ov->pages = g_array_new(FALSE, TRUE, sizeof(ov_page));
    ov->copied = g_array_new(FALSE, FALSE, sizeof(long));
    ov->tops = g_array_new(FALSE, FALSE, sizeof(long));
    if (!raw_open(&ov->f, buf, len))
        return false;
    GArray *nums = g_array_new(FALSE, FALSE, sizeof(long));
    bool ok = raw_document_pages(&ov->f, nums) && nums->len == pages;
    for (guint i = 0; ok && i < nums->len; i++)
        ok = add_page(ov, g_array_index(nums, long, i));
    g_array_free(nums, TRUE);
    if (!ok)
        return false;
    size_t n = ov->f.objs->len;
    bool *seen = g_new0(bool, n);
    ov->slot_of = g_new(long, n);
    for (size_t i = 0; i < n; i++)
        ov->slot_of[i] = -1;
    for (guint i = 0; ok && i < ov->pages->len; i++) {
        const ov_page *pg = &g_array_index(ov->pages, ov_page, i);
        ok = mark_reachable(ov, pg->res, pg->res_end, seen);
    }
    ok = ok && (!tagged || read_structure(ov, seen));
    ov->renum = g_new0(long, n);
    for (size_t i = 0; ok && i < n; i++)
        if (seen[i]) {
            long k = (long)i;
            ov->renum[i] = base + (long)ov->copied->len;
            g_array_append_val(ov->copied, k);
        }
    g_free(seen);
    return ok;
}

void asm_overlay_free(overlay *ov)
{
    if (ov->f.objs)
        raw_close(&ov->f);
    if (ov->pages)
        g_array_free(ov->pages, TRUE);
    if (ov->copied)
        g_array_free(ov->copied, TRUE);
    if (ov->tops)
        g_array_free(ov->tops, TRUE);
    g_free(ov->slot_of);
    g_free(ov->renum);
}

/* [p, end) with every reference renumbered (every one is in the map: mark_reachable
 * saw the same text). Strings and comments are copied untouched by construction. */
void asm_append_renumbered(GString *out, const overlay *ov, const char *p, const char *end)
{
    const char *at;
    long num;
    raw_refs rs = raw_scan_refs(p, end);
    for (const char *from = p; ; from = rs.p) {
        if (!raw_next_ref(&rs, &at, &num)) {
            g_string_append_len(out, from, end - from);
            return;
        }
        g_string_append_len(out, from, at - from);
        raw_append_num(out, (size_t)ov->renum[num], 0);
        g_string_append(out, " 0 R");
    }
}
