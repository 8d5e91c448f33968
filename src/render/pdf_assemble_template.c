/* pdf_assemble_template.c - the template parsed once (pdf_assemble.h, _new/_free).
 *
 * Its objects (the latest version of each, following every cross-reference section)
 * are cut into byte spans and the output is planned: a fixed part (header and the
 * template's objects but those a student changes, in file order so that neighbours
 * merge into few runs) and a cross-reference table whose template entries are already
 * written. What each student changes is written after the fixed part, so the
 * template's offsets never change. */
#include "pdf_assemble_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const asm_res_kinds[N_RES_KINDS] = {
    "/ExtGState", "/Font", "/XObject", "/Pattern", "/Shading", "/ColorSpace", "/Properties",
};

typedef struct {
    size_t start;
    long num;
} placed;

static int by_start(const void *a, const void *b)
{
    const placed *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Every object in use is parsed; the stand-ins are set apart, the others listed by
 * their place in the file (the order they are written in). */
static bool sort_objects(cp_pdf_template *t, const raw_file *f, GArray *order)
{
    for (long n = 1; n < (long)f->objs->len; n++) {
        if (raw_obj_at(f, n)->state == OBJ_FREE || raw_obj_at(f, n)->state == OBJ_UNSET)
            continue;
        const raw_obj *o = raw_obj_get(f, n);
        if (!o)
            return false;
        long slot = asm_stand_in_slot(f, o);
        if (slot < 0) {
            g_array_append_val(order, ((placed){o->start, n}));
            continue;
        }
        stand_in s = {n, (size_t)slot, 0, 0};
        const char *vs, *ve, *de = f->buf + o->val_end;
        if ((size_t)slot >= t->slots || !raw_dict_get(f->buf + o->val, de, "/BBox", &vs, &ve) ||
            !raw_read_box(vs, ve, &s.w, &s.h))
            return false; /* a stand-in the caller does not know would stay visible */
        g_array_append_val(t->stand_ins, s);
    }
    qsort(order->data, order->len, sizeof(placed), by_start);
    return true;
}

/* Runs of adjacent objects, and the entries of the new table for them. */
static bool plan_runs(cp_pdf_template *t, const raw_file *f, const GArray *order,
                      size_t *offsets)
{
    size_t out = sizeof ASM_HEADER - 1;
    span *run = NULL;
    for (guint i = 0; i < order->len; i++) {
        const placed *pl = &g_array_index(order, placed, i);
        const raw_obj *o = raw_obj_at(f, pl->num);
        bool adjacent = run && run->start + run->len == o->start;
        if (run && run->start + run->len > o->start)
            return false; /* overlapping objects: not a file we understand */
        if (!adjacent) {
            g_array_append_val(t->runs, ((span){o->start, 0}));
            run = &g_array_index(t->runs, span, t->runs->len - 1);
        }
        offsets[pl->num] = out;
        run->len = o->end - run->start;
        out += o->end - o->start;
    }
    t->fixed_len = sizeof ASM_HEADER - 1;
    for (guint i = 0; i < t->runs->len; i++)
        t->fixed_len += g_array_index(t->runs, span, i).len;
    return true;
}

/* Entries 0..size-1: the template objects at their new offsets, stand-ins as
 * placeholders, every other number free (chained from entry 0, as the format asks). */
static void plan_xref(cp_pdf_template *t, const size_t *offsets, const bool *in_use)
{
    long next_free = 0;
    GString *x = g_string_sized_new((gsize)t->size * 20);
    g_string_set_size(x, (gsize)t->size * 20);
    for (long n = t->size - 1; n >= 0; n--) {
        char e[21];
        if (n > 0 && in_use[n]) {
            snprintf(e, sizeof e, "%010zu 00000 n \n", offsets[n]);
        } else {
            snprintf(e, sizeof e, "%010ld 65535 f \n", next_free);
            next_free = n;
        }
        memcpy(x->str + n * 20, e, 20);
    }
    t->xref = x;
}

static bool plan_template(cp_pdf_template *t, const raw_file *f)
{
    GArray *order = g_array_new(FALSE, FALSE, sizeof(placed));
    bool ok = sort_objects(t, f, order) && asm_find_trees(t, f);
    /* The objects written per call leave the fixed part, and so do the slots' own
     * elements: the students' take their places (their numbers are free). */
    guint kept = 0;
    for (guint i = 0; ok && i < order->len; i++) {
        long num = g_array_index(order, placed, i).num;
        bool slot_elem = false;
        for (size_t s = 0; s < t->slots; s++)
            slot_elem = slot_elem || (t->trees[s].tagged && t->trees[s].elem == num);
        if (!asm_is_patched(t, num) && !slot_elem)
            g_array_index(order, placed, kept++) = g_array_index(order, placed, i);
    }
    if (ok)
        g_array_set_size(order, kept);
    for (size_t s = 0; ok && s < t->slots; s++) {
        bool found = false;
        for (guint i = 0; i < t->stand_ins->len && !found; i++)
            found = g_array_index(t->stand_ins, stand_in, i).slot == s;
        ok = found;
    }
    /* Numbers run up to the largest in use even if /Size says less. */
    t->size = MAX(f->size, (long)f->objs->len);
    /* Each slot's page gets a stream for what the template draws after the slot. */
    for (size_t s = 0; ok && s < t->slots; s++) {
        slot_tree *tr = &t->trees[s];
        if (!tr->tagged)
            continue;
        tr->after = t->size++;
        g_array_append_val(t->patched, tr->after);
        tr->before_obj = g_string_new(NULL);
        raw_append_stream(tr->before_obj, tr->content, NULL, tr->before_raw->str,
                             tr->before_raw->len);
        tr->after_obj = g_string_new(NULL);
        raw_append_stream(tr->after_obj, tr->after, NULL, tr->after_raw->str,
                             tr->after_raw->len);
    }
    if (t->patched->len)
        qsort(t->patched->data, t->patched->len, sizeof(long), asm_by_num);
    size_t *offsets = g_new0(size_t, (gsize)t->size);
    bool *in_use = g_new0(bool, (gsize)t->size);
    for (guint i = 0; ok && i < order->len; i++)
        in_use[g_array_index(order, placed, i).num] = true;
    for (guint i = 0; ok && i < t->stand_ins->len; i++)
        in_use[g_array_index(t->stand_ins, stand_in, i).num] = true;
    for (guint i = 0; ok && i < t->patched->len; i++)
        in_use[g_array_index(t->patched, long, i)] = true;
    ok = ok && plan_runs(t, f, order, offsets);
    if (ok)
        plan_xref(t, offsets, in_use);
    g_free(in_use);
    g_free(offsets);
    g_array_free(order, TRUE);
    return ok;
}

cp_pdf_template *pdf_template_new(const char *pdf, size_t len, size_t slots)
{
    if (!pdf || slots == 0)
        return NULL;
    cp_pdf_template *t = g_new0(cp_pdf_template, 1);
    /* A NUL after the bytes, so no scan can run off the end. */
    t->buf = g_malloc(len + 1);
    memcpy(t->buf, pdf, len);
    t->buf[len] = '\0';
    t->len = len;
    t->slots = slots;
    t->runs = g_array_new(FALSE, FALSE, sizeof(span));
    t->stand_ins = g_array_new(FALSE, FALSE, sizeof(stand_in));
    t->trees = g_new0(slot_tree, slots);
    t->patched = g_array_new(FALSE, FALSE, sizeof(long));
    raw_file f;
    bool ok = raw_open(&f, t->buf, len) && plan_template(t, &f);
    t->root = f.root;
    t->info = f.info;
    raw_close(&f);
    if (!ok) {
        pdf_template_free(t);
        return NULL;
    }
    return t;
}

void pdf_template_free(cp_pdf_template *t)
{
    if (!t)
        return;
    g_free(t->buf);
    g_array_free(t->runs, TRUE);
    g_array_free(t->stand_ins, TRUE);
    for (size_t s = 0; s < t->slots; s++) {
        GString *parts[4] = {t->trees[s].before_obj, t->trees[s].after_obj,
                             t->trees[s].before_raw, t->trees[s].after_raw};
        for (int k = 0; k < 4; k++)
            if (parts[k])
                g_string_free(parts[k], TRUE);
    }
    g_free(t->trees);
    g_array_free(t->patched, TRUE);
    if (t->xref)
        g_string_free(t->xref, TRUE);
    g_free(t);
}
