/* pdf_assemble.c - one PDF from a template and an overlay, both written by cairo (and
 * finished by pdf_finish.h, which writes the same kind of file).
 *
 * The template is parsed once (pdf_assemble_template.c, pdf_assemble_slots.c). Per
 * student only the overlay is parsed (pdf_assemble_overlay.c); this file writes the
 * output: the header and the template's runs as they are, then the student's content,
 * the overlay's objects (resources and structure elements), the template objects
 * written again (the slot's page, pdf_assemble_page.c; its ParentTree array and the
 * slot element's parent, pdf_assemble_tree.c), the cross-reference table and the
 * trailer. The bytes are read and written with pdf_raw.h. */
#include "pdf_assemble_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Object `num` holding the dictionary [p, end) again, each value written by `fn`. */
static bool append_dict_object(GString *out, long num, const char *p, const char *end,
                               value_fn fn, const rewrite *rw)
{
    const char *v;
    if (raw_lex(&p, end).kind != TK_DICT)
        return false;
    raw_append_num(out, (size_t)num, 0);
    g_string_append(out, " 0 obj\n<<");
    for (;;) {
        raw_token k = raw_lex(&p, end);
        if (k.kind == TK_DICT_END)
            break;
        if (k.kind != TK_NAME || !raw_skip_value(&p, end, &v))
            return false;
        g_string_append_c(out, ' ');
        g_string_append_len(out, k.s, (gssize)k.n);
        g_string_append_c(out, ' ');
        if (!fn(out, k, v, p, rw))
            return false;
    }
    g_string_append(out, " >>\nendobj\n");
    return true;
}


/* An overlay object under its new number: the value renumbered, the stream and the
 * rest of the object as they are. */
static void append_object(GString *out, const overlay *ov, long num)
{
    const raw_obj *o = raw_obj_at(&ov->f, num);
    const char *b = ov->f.buf;
    raw_append_num(out, (size_t)ov->renum[num], 0);
    g_string_append(out, " 0 obj");
    asm_append_renumbered(out, ov, b + o->val, b + o->val_end);
    g_string_append_len(out, b + o->val_end, (gssize)(o->end - o->val_end));
}

/* Template object `num` (or a slot's new stream), written for this call. */
static bool append_patched(GString *out, const cp_pdf_template *t, const overlay *ov, long num)
{
    for (size_t s = 0; s < t->slots; s++) {
        const slot_tree *tr = &t->trees[s];
        if (!tr->tagged)
            continue;
        if (tr->content == num || tr->after == num) {
            const GString *o = tr->content == num ? tr->before_obj : tr->after_obj;
            g_string_append_len(out, o->str, (gssize)o->len);
            return true;
        }
        if (tr->parents == num)
            return asm_append_parents(out, t, ov, s);
        rewrite rw = {t, ov, s};
        if (tr->page == num)
            return append_dict_object(out, num, tr->page_s, tr->page_e, asm_page_value, &rw);
    }
    for (size_t s = 0; s < t->slots; s++)
        if (t->trees[s].tagged && t->trees[s].parent == num) {
            rewrite rw = {t, ov, s};
            return append_dict_object(out, num, t->trees[s].par_s, t->trees[s].par_e,
                                      asm_parent_value, &rw);
        }
    return false;
}

/* A stand-in whose page differs in size from the overlay page would put the drawing in
 * the wrong place. (The stand-in's size is its BBox.) */
static bool sizes_match(const cp_pdf_template *t, const overlay *ov)
{
    for (guint i = 0; i < t->stand_ins->len; i++) {
        const stand_in *s = &g_array_index(t->stand_ins, stand_in, i);
        const ov_page *pg = &g_array_index(ov->pages, ov_page, s->slot);
        double w, h;
        /* cairo rounds a recording's extents up to whole points for the BBox. */
        if (!raw_tk_real(pg->w, &w) || !raw_tk_real(pg->h, &h) ||
            fabs(ceil(w - 0.01) - s->w) > 0.01 || fabs(ceil(h - 0.01) - s->h) > 0.01)
            return false;
    }
    return true;
}

/* Everything after the template's runs: the students' content, overlay objects, the
 * template objects written again, table and trailer. */
static bool build_tail(GString *out, const cp_pdf_template *t, const overlay *ov)
{
    size_t n_st = t->stand_ins->len, n_ov = ov->copied->len, n_pa = t->patched->len;
    size_t *st_off = g_new(size_t, n_st + n_ov + n_pa), *ov_off = st_off + n_st;
    size_t *pa_off = ov_off + n_ov;
    bool ok = true;
    for (size_t i = 0; ok && i < n_st; i++) {
        const stand_in *s = &g_array_index(t->stand_ins, stand_in, i);
        st_off[i] = t->fixed_len + out->len;
        if (t->trees[s->slot].tagged)
            ok = asm_append_student_stream(out, t, ov, s->slot);
        else
            asm_append_form(out, ov, s, &g_array_index(ov->pages, ov_page, s->slot));
    }
    for (size_t i = 0; ok && i < n_ov; i++) {
        long num = g_array_index(ov->copied, long, i);
        ov_off[i] = t->fixed_len + out->len;
        if (ov->slot_of[num] >= 0) {
            const raw_obj *o = raw_obj_at(&ov->f, num);
            rewrite rw = {t, ov, (size_t)ov->slot_of[num]};
            ok = append_dict_object(out, ov->renum[num], ov->f.buf + o->val,
                                    ov->f.buf + o->val_end, asm_element_value, &rw);
        } else
            append_object(out, ov, num);
    }
    for (size_t i = 0; ok && i < n_pa; i++) {
        pa_off[i] = t->fixed_len + out->len;
        ok = append_patched(out, t, ov, g_array_index(t->patched, long, i));
    }
    if (!ok) {
        g_free(st_off);
        return false;
    }
    size_t xref_at = t->fixed_len + out->len;
    long size = t->size + (long)n_ov;
    g_string_append_printf(out, "xref\n0 %ld\n", size);
    size_t entries = out->len;
    g_string_append_len(out, t->xref->str, (gssize)t->xref->len);
    for (size_t i = 0; i < n_st + n_pa; i++) {
        char e[21];
        long num = i < n_st ? g_array_index(t->stand_ins, stand_in, i).num
                            : g_array_index(t->patched, long, i - n_st);
        snprintf(e, sizeof e, "%010zu", i < n_st ? st_off[i] : pa_off[i - n_st]);
        memcpy(out->str + entries + num * 20, e, 10);
    }
    for (size_t i = 0; i < n_ov; i++) {
        raw_append_num(out, ov_off[i], 10);
        g_string_append(out, " 00000 n \n");
    }
    g_string_append_printf(out, "trailer\n<< /Size %ld\n   /Root %ld 0 R\n", size, t->root);
    if (t->info > 0)
        g_string_append_printf(out, "   /Info %ld 0 R\n", t->info);
    g_string_append_printf(out, ">>\nstartxref\n%zu\n%%%%EOF\n", xref_at);
    g_free(st_off);
    return true;
}

bool pdf_assemble_head(const cp_pdf_template *t, FILE *out)
{
    if (!t)
        return false;
    bool ok = fwrite(ASM_HEADER, 1, sizeof ASM_HEADER - 1, out) == sizeof ASM_HEADER - 1;
    for (guint i = 0; ok && i < t->runs->len; i++) {
        const span *r = &g_array_index(t->runs, span, i);
        ok = fwrite(t->buf + r->start, 1, r->len, out) == r->len;
    }
    return ok;
}

bool pdf_assemble_tail(const cp_pdf_template *t, const char *overlay_pdf, size_t len,
                       FILE *out)
{
    if (!t || !overlay_pdf)
        return false;
    overlay ov = {0};
    /* The whole overlay is read before the first byte of the tail is written: a
     * malformed one adds nothing to `out`. */
    bool ok = asm_overlay_read(&ov, t, overlay_pdf, len) && sizes_match(t, &ov);
    if (!ok) {
        asm_overlay_free(&ov);
        return false;
    }
    GString *tail = g_string_sized_new(len + t->xref->len + 4096);
    ok = build_tail(tail, t, &ov);
    asm_overlay_free(&ov);
    ok = ok && fwrite(tail->str, 1, tail->len, out) == tail->len;
    g_string_free(tail, TRUE);
    return ok;
}

bool pdf_assemble(const cp_pdf_template *t, const char *overlay_pdf, size_t len, FILE *out)
{
    if (!t || !overlay_pdf)
        return false;
    /* Checked first, so that a malformed overlay leaves `out` untouched. */
    overlay ov = {0};
    bool ok = asm_overlay_read(&ov, t, overlay_pdf, len) && sizes_match(t, &ov);
    asm_overlay_free(&ov);
    return ok && pdf_assemble_head(t, out) && pdf_assemble_tail(t, overlay_pdf, len, out);
}
