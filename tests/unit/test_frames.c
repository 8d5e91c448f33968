/* test_frames.c - personalised reports in bulk: templates and overlays (layout.h).
 *
 * A template is the report laid out with an empty frame (a DL_SLOT) where each of the
 * layout's `when: student` blocks goes; an overlay is a student's own blocks drawn
 * into those frames. These tests lay the bundled report out for ai-engineer (from the
 * repository's content/ and layouts/: run from the repository root, as `make unit`
 * does) and check the frames, the overlay's refusals and that template plus overlay
 * put the student's text exactly where the document laid out whole puts it. Custom
 * layouts (`extends: report`) are written into a temporary folder. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "app/app.h"
#include "diag_capture.h"
#include "layout/engine.h"
#include "layout/page.h"

#define CAREER "ai-engineer"
#define EPS 0.01

/* ---- group fixture: one session, the custom layouts --------------------------------- */

/* Layouts written for these tests into the temporary folder. */
typedef struct {
    const char *name;
    const char *text;
} layout_file;

#define SHORT_LAYOUT(personal_frame, fit_frame)                                         \
    "extends: report\n"                                                                 \
    "blocks:\n"                                                                         \
    "  - cover\n"                                                                       \
    "  - {kind: personal, when: student, tone: note" personal_frame "}\n"               \
    "  - {kind: prose, data: intro, space: 12}\n"                                       \
    "  - {kind: fit, when: student, title: sections.fit" fit_frame "}\n"

static const layout_file LAYOUTS[] = {
    {"frame4.yaml", SHORT_LAYOUT(", frame: 4", ", frame: page")},
    {"frame5.yaml", SHORT_LAYOUT(", frame: 5", ", frame: page")},
    {"noframe.yaml", SHORT_LAYOUT("", ", frame: page")},
    {"fitnoframe.yaml", SHORT_LAYOUT(", frame: 5", "")},
    {"zero.yaml", SHORT_LAYOUT(", frame: 0", ", frame: page")},
    {"banana.yaml", SHORT_LAYOUT(", frame: banana", ", frame: page")},
    {"footer.yaml", "extends: report\n"
                    "theme:\n"
                    "  footer: \"{student.name} · {title}\"\n"},
};
#define N_LAYOUTS (sizeof LAYOUTS / sizeof LAYOUTS[0])
/* Line of the personal block (and so of its `frame:`) in SHORT_LAYOUT files. */
#define FRAME_LINE 4

static struct {
    cp_arena *arena;       /* the session's: loaded careers, labels, layouts */
    cp_options opts;
    cp_session session;
    char *dir;             /* temporary folder of the custom layouts */
    char *paths[N_LAYOUTS];
} G;

static const char *layout_path(const char *name)
{
    for (size_t i = 0; i < N_LAYOUTS; i++)
        if (!strcmp(LAYOUTS[i].name, name))
            return G.paths[i];
    fail_msg("no test layout %s", name);
    return NULL;
}

static int group_setup(void **state)
{
    (void)state;
    G.arena = arena_new();
    G.opts = (cp_options){.content_dir = "content", .layouts_dir = "layouts", .dpi = 150};
    diag_set_quiet(0);
    diag_reset();
    if (!session_open(&G.session, &G.opts, G.arena))
        return -1;
    G.dir = g_dir_make_tmp("cp_frames_XXXXXX", NULL);
    if (!G.dir)
        return -1;
    for (size_t i = 0; i < N_LAYOUTS; i++) {
        G.paths[i] = g_build_filename(G.dir, LAYOUTS[i].name, NULL);
        if (!g_file_set_contents(G.paths[i], LAYOUTS[i].text, -1, NULL))
            return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_LAYOUTS; i++) {
        if (G.paths[i])
            g_unlink(G.paths[i]);
        g_free(G.paths[i]);
    }
    if (G.dir)
        g_rmdir(G.dir);
    g_free(G.dir);
    session_close(&G.session);
    arena_free(G.arena);
    return 0;
}

/* ---- per-test fixture: an arena for the documents, captured diagnostics ------------- */

/* diag_capture.h's as it is: main() sets it up and tears it down with its functions. */
typedef diag_capture fixture;

/* ---- helpers ----------------------------------------------------------------------- */

/* A roster row as the layout sees it (ratings already as rate:N). */
static const cp_node *student(fixture *f, const char *yaml)
{
    const cp_node *n = yaml_load_string(f->arena, "student.yaml", yaml, strlen(yaml),
                                        &CP_DEFAULT_LIMITS);
    assert_non_null(n);
    assert_true(node_is_map(n));
    return n;
}

static const char *const RATED =
    "name: Anna Li\n"
    "grade: '11'\n"
    "school: Lakeview\n"
    "counselor: Ms Rao\n"
    "note: Strong in maths; start with the Python track.\n"
    "'rate:1': '2'\n"
    "'rate:2': '4.5'\n"
    "'rate:3': '1'\n";

static const char *const UNRATED =
    "name: Ben Okafor\n"
    "grade: '12'\n"
    "school: Lakeview\n"
    "note: Wants to see what the job is like.\n";

/* A job for ai-engineer with `layout` (NULL: report) and `row` (may be NULL). */
static cp_job job_for(const char *layout, const cp_node *row)
{
    cp_job job;
    assert_true(app_job(&G.session, &G.opts, CAREER, layout, row, &job));
    return job;
}

static cp_template template_ok(fixture *f, const cp_job *job, unsigned mask)
{
    cp_template t;
    assert_int_equal(layout_template(f->arena, job, mask, &t), TEMPLATE_OK);
    assert_non_null(t.doc);
    return t;
}

static unsigned popcount(unsigned m)
{
    unsigned n = 0;
    for (; m; m &= m - 1)
        n++;
    return n;
}

/* The DL_SLOT item for `slot` and its page; NULL when the document has none. */
static const dl_item *find_slot(const dl_doc *doc, int slot, size_t *page)
{
    const dl_item *found = NULL;
    for (size_t p = 0; p < dl_page_count(doc); p++) {
        const dl_page *pg = dl_page_get(doc, p);
        for (size_t i = 0; i < pg->items.len; i++) {
            const dl_item *it = pg->items.items[i];
            if (it->kind == DL_SLOT && it->slot == slot) {
                assert_null(found);   /* one slot per frame */
                found = it;
                *page = p;
            }
        }
    }
    return found;
}

/* The first text item on a page whose text contains `needle`. */
static const dl_item *find_text(const dl_page *pg, const char *needle)
{
    for (size_t i = 0; i < pg->items.len; i++) {
        const dl_item *it = pg->items.items[i];
        if (it->kind == DL_TEXT && strstr(pango_layout_get_text(it->layout), needle))
            return it;
    }
    return NULL;
}

/* A text item on a page with exactly this text at (x, y). */
static bool has_text_at(const dl_page *pg, const char *text, double x, double y)
{
    for (size_t i = 0; i < pg->items.len; i++) {
        const dl_item *it = pg->items.items[i];
        if (it->kind == DL_TEXT && !strcmp(pango_layout_get_text(it->layout), text) &&
            fabs(it->x - x) < EPS && fabs(it->y - y) < EPS)
            return true;
    }
    return false;
}

static const char *long_note_student(fixture *f)
{
    GString *s = g_string_new("name: Long Note\nnote: \"");
    for (int i = 0; i < 300; i++)
        g_string_append(s, "very long ");   /* 3000 characters */
    g_string_append(s, "\"\n'rate:1': '3'\n");
    const char *copy = arena_strdup(f->arena, s->str);
    g_string_free(s, TRUE);
    return copy;
}

/* ---- 1. a student's blocks ---------------------------------------------------------- */

static void parts_mask_follows_the_student(void **state)
{
    fixture *f = *state;
    cp_job rated = job_for(NULL, student(f, RATED));
    cp_parts *p = layout_parts(f->arena, &rated);
    assert_non_null(p);
    assert_int_equal(layout_parts_mask(p), 0x3);   /* personal and fit */

    cp_job unrated = job_for(NULL, student(f, UNRATED));
    p = layout_parts(f->arena, &unrated);
    assert_non_null(p);
    assert_int_equal(layout_parts_mask(p), 0x1);   /* no ratings: no fit block */

    /* Empty rating cells are "not rated": still no fit block. */
    cp_job empty = job_for(NULL, student(f, "name: Cara\n'rate:1': ''\n'rate:2': ' '\n"));
    p = layout_parts(f->arena, &empty);
    assert_non_null(p);
    assert_int_equal(layout_parts_mask(p), 0x1);

    /* A bad rating is the student's error, reported. */
    cp_job bad = job_for(NULL, student(f, "name: Dan\n'rate:1': lots\n"));
    assert_null(layout_parts(f->arena, &bad));
    assert_non_null(strstr(output(f), "is not a rating"));
    assert_int_equal(diag_error_count(), 1);
}

/* ---- 2. the template's frames ------------------------------------------------------- */

static void template_frames_of_the_report(void **state)
{
    fixture *f = *state;
    cp_job job = job_for(NULL, NULL);
    cp_ctx ctx;
    assert_true(engine_ctx_init(&ctx, f->arena, &job));
    double top = engine_content_top(&ctx), bottom = engine_content_bottom(&ctx);
    double left = ctx.th->margin_inner;

    cp_template t = template_ok(f, &job, 0x3);
    assert_int_equal(t.mask, 0x3);
    assert_int_equal(t.n_frames, popcount(0x3));
    assert_true(t.gap_factor > 0 && t.gap_factor <= 1);
    size_t pages = dl_page_count(t.doc);
    assert_true(pages >= 3);

    /* Frame 0: the personal box, a fixed height on page 0 under the cover. */
    const cp_frame *f0 = &t.frames[0];
    assert_int_equal(f0->page, 0);
    assert_false(f0->whole_page);
    assert_false(f0->at_top);
    assert_true(f0->y > top);
    assert_true(f0->h > 20 && f0->h < 200);
    assert_true(fabs(f0->x - left) < EPS);
    assert_true(fabs(f0->w - ctx.width) < EPS);
    size_t page;
    const dl_item *slot = find_slot(t.doc, 0, &page);
    assert_non_null(slot);
    assert_int_equal(page, 0);
    assert_true(fabs(slot->y - f0->y) < EPS && fabs(slot->h - f0->h) < EPS);
    /* Nothing of the template is drawn inside the box; the intro follows below it. */
    const dl_page *p0 = dl_page_get(t.doc, 0);
    bool below = false;
    for (size_t i = 0; i < p0->items.len; i++) {
        const dl_item *it = p0->items.items[i];
        if (it->kind != DL_TEXT && it->kind != DL_RECT)
            continue;
        assert_false(it->y > f0->y - EPS && it->y < f0->y + f0->h - EPS);
        below |= it->kind == DL_TEXT && it->y >= f0->y + f0->h;
    }
    assert_true(below);

    /* Frame 1: the fit block, the last page under its heading, to the foot. */
    const cp_frame *f1 = &t.frames[1];
    assert_int_equal(f1->page, pages - 1);
    assert_true(f1->whole_page);
    assert_false(f1->at_top);
    assert_true(f1->y > top + 5);
    assert_true(fabs(f1->y + f1->h - bottom) < EPS);
    assert_true(fabs(f1->x - left) < EPS);
    slot = find_slot(t.doc, 1, &page);
    assert_non_null(slot);
    assert_int_equal(page, pages - 1);
    assert_true(fabs(slot->y - f1->y) < EPS);
    /* The heading above the frame belongs to the template. */
    const dl_item *heading = find_text(dl_page_get(t.doc, pages - 1), "fits you");
    assert_non_null(heading);
    assert_true(heading->y >= top - EPS && heading->y < f1->y);
    assert_null(find_slot(t.doc, 2, &page));

    /* Without ratings: one frame, and no page for the fit block. */
    cp_template t1 = template_ok(f, &job, 0x1);
    assert_int_equal(t1.n_frames, 1);
    assert_int_equal(dl_page_count(t1.doc), pages - 1);
    assert_int_equal(t1.frames[0].page, 0);
    assert_true(fabs(t1.frames[0].y - f0->y) < EPS && fabs(t1.frames[0].h - f0->h) < EPS);
    assert_null(find_slot(t1.doc, 1, &page));
    assert_int_equal(diag_error_count(), 0);
}

/* `frame: N` is N body lines: 4 lines are four fifths of 5. */
static void box_frame_is_n_lines(void **state)
{
    fixture *f = *state;
    cp_job j4 = job_for(layout_path("frame4.yaml"), NULL);
    cp_job j5 = job_for(layout_path("frame5.yaml"), NULL);
    cp_template t4 = template_ok(f, &j4, 0x1), t5 = template_ok(f, &j5, 0x1);
    double h4 = t4.frames[0].h, h5 = t5.frames[0].h;
    /* Room for one more line of text is one body line more: the box's padding and
     * title line are the same. */
    double line = h5 - h4;
    assert_true(h4 > 0 && line > 8 && line < 20);
    /* The report's own personal block is `frame: 2`: three lines less than frame 5. */
    cp_job report = job_for(NULL, NULL);
    cp_template tr = template_ok(f, &report, 0x1);
    assert_true(fabs(tr.frames[0].h - (h5 - 3 * line)) < EPS);
}

/* ---- 3. overlays: pages, refusals --------------------------------------------------- */

static void overlay_pages_match_the_template(void **state)
{
    fixture *f = *state;
    cp_job job = job_for(NULL, student(f, RATED));
    cp_template t = template_ok(f, &job, 0x3);
    cp_parts *p = layout_parts(f->arena, &job);
    assert_non_null(p);
    dl_doc *ov = layout_overlay(f->arena, p, &t);
    assert_non_null(ov);
    assert_int_equal(dl_page_count(ov), t.n_frames);
    for (size_t k = 0; k < t.n_frames; k++) {
        const dl_page *op = dl_page_get(ov, k), *tp = dl_page_get(t.doc, t.frames[k].page);
        assert_true(op->width == tp->width && op->height == tp->height);
        assert_true(op->items.len > 0);
    }
    /* The template is laid out without the student: no name on its pages. */
    for (size_t i = 0; i < dl_page_count(t.doc); i++)
        assert_null(find_text(dl_page_get(t.doc, i), "Anna Li"));
    assert_non_null(find_text(dl_page_get(ov, 0), "Anna Li"));
    assert_int_equal(diag_error_count(), 0);
}

static void overlay_refuses_a_box_taller_than_its_frame(void **state)
{
    fixture *f = *state;
    cp_job job = job_for(NULL, student(f, long_note_student(f)));
    cp_parts *p = layout_parts(f->arena, &job);
    assert_non_null(p);
    assert_int_equal(layout_parts_mask(p), 0x3);
    cp_template t = template_ok(f, &job, layout_parts_mask(p));
    assert_null(layout_overlay(f->arena, p, &t));
    /* Refusing is not an error: the caller lays the document out whole, which works. */
    assert_int_equal(diag_error_count(), 0);
    dl_doc *whole = layout_document(f->arena, &job);
    assert_non_null(whole);
    assert_non_null(find_text(dl_page_get(whole, 0), "very long very long"));
}

static void overlay_refuses_another_mask(void **state)
{
    fixture *f = *state;
    cp_job rated = job_for(NULL, student(f, RATED));
    cp_job unrated = job_for(NULL, student(f, UNRATED));
    cp_parts *p3 = layout_parts(f->arena, &rated), *p1 = layout_parts(f->arena, &unrated);
    assert_non_null(p3);
    assert_non_null(p1);
    cp_template t3 = template_ok(f, &rated, 0x3), t1 = template_ok(f, &rated, 0x1);
    assert_null(layout_overlay(f->arena, p3, &t1));
    assert_null(layout_overlay(f->arena, p1, &t3));
    /* ...while each fits its own. */
    assert_non_null(layout_overlay(f->arena, p3, &t3));
    assert_non_null(layout_overlay(f->arena, p1, &t1));
    assert_int_equal(diag_error_count(), 0);
}

/* ---- 4. the overlay stays inside its frames ----------------------------------------- */

static void check_inside(const dl_doc *ov, const cp_template *t)
{
    for (size_t k = 0; k < t->n_frames; k++) {
        const cp_frame *fr = &t->frames[k];
        const dl_page *pg = dl_page_get(ov, k);
        size_t drawn = 0;
        for (size_t i = 0; i < pg->items.len; i++) {
            const dl_item *it = pg->items.items[i];
            if (it->kind != DL_TEXT && it->kind != DL_RECT)
                continue;
            drawn++;
            if (it->y < fr->y - EPS || it->y > fr->y + fr->h)
                fail_msg("frame %zu: item %zu at y %.2f outside %.2f..%.2f", k, i, it->y,
                         fr->y, fr->y + fr->h);
            assert_true(it->x >= fr->x - EPS && it->x <= fr->x + fr->w + EPS);
            if (it->kind == DL_RECT) {
                assert_true(it->y + it->h <= fr->y + fr->h + EPS);
                assert_true(it->x + it->w <= fr->x + fr->w + EPS);
            }
        }
        assert_true(drawn > 0);
    }
}

static void overlay_items_lie_inside_their_frames(void **state)
{
    fixture *f = *state;
    const char *rows[] = {RATED, UNRATED};
    for (size_t r = 0; r < 2; r++) {
        cp_job job = job_for(NULL, student(f, rows[r]));
        cp_parts *p = layout_parts(f->arena, &job);
        assert_non_null(p);
        cp_template t = template_ok(f, &job, layout_parts_mask(p));
        dl_doc *ov = layout_overlay(f->arena, p, &t);
        assert_non_null(ov);
        check_inside(ov, &t);
        /* The personal box fills its frame exactly: its background is the frame. */
        const dl_page *pg = dl_page_get(ov, 0);
        bool filled = false;
        for (size_t i = 0; i < pg->items.len; i++) {
            const dl_item *it = pg->items.items[i];
            filled |= it->kind == DL_RECT && fabs(it->y - t.frames[0].y) < EPS &&
                      fabs(it->h - t.frames[0].h) < EPS && fabs(it->w - t.frames[0].w) < EPS;
        }
        assert_true(filled);
    }
}

/* ---- 5. layouts that cannot share pages, and bad frames ----------------------------- */

static void student_block_without_frame_has_no_template(void **state)
{
    fixture *f = *state;
    cp_template t;
    cp_job job = job_for(layout_path("noframe.yaml"), NULL);
    assert_int_equal(layout_template(f->arena, &job, 0x3, &t), TEMPLATE_NONE);
    assert_int_equal(layout_template(f->arena, &job, 0x1, &t), TEMPLATE_NONE);
    /* The fit block without a frame matters only to students who have it. */
    cp_job fit = job_for(layout_path("fitnoframe.yaml"), NULL);
    assert_int_equal(layout_template(f->arena, &fit, 0x3, &t), TEMPLATE_NONE);
    assert_int_equal(layout_template(f->arena, &fit, 0x1, &t), TEMPLATE_OK);
    assert_int_equal(t.n_frames, 1);
    /* The same short layout with both frames shares its pages. */
    cp_job framed = job_for(layout_path("frame5.yaml"), NULL);
    assert_int_equal(layout_template(f->arena, &framed, 0x3, &t), TEMPLATE_OK);
    assert_int_equal(t.n_frames, 2);
    assert_int_equal(diag_error_count(), 0);
    assert_string_equal(output(f), "");
}

static void student_data_outside_student_blocks_has_no_template(void **state)
{
    fixture *f = *state;
    cp_template t;
    cp_job job = job_for(layout_path("footer.yaml"), NULL);
    assert_int_equal(layout_template(f->arena, &job, 0x3, &t), TEMPLATE_NONE);
    assert_int_equal(layout_template(f->arena, &job, 0x1, &t), TEMPLATE_NONE);
    assert_int_equal(diag_error_count(), 0);
    /* The layout itself is fine: laid out whole, the footer names the student. */
    cp_job whole = job_for(layout_path("footer.yaml"), student(f, UNRATED));
    dl_doc *doc = layout_document(f->arena, &whole);
    assert_non_null(doc);
    assert_non_null(find_text(dl_page_get(doc, 1), "Ben Okafor ·"));
}

static void bad_frame_is_an_error(void **state)
{
    fixture *f = *state;
    const char *names[] = {"zero.yaml", "banana.yaml"};
    const char *values[] = {"'0'", "'banana'"};
    for (size_t i = 0; i < 2; i++) {
        diag_reset();
        rewind(f->stream);
        const char *path = layout_path(names[i]);
        cp_job job = job_for(path, NULL);
        cp_template t;
        assert_int_equal(layout_template(f->arena, &job, 0x3, &t), TEMPLATE_ERROR);
        assert_true(diag_error_count() >= 1);
        fflush(f->stream);
        char *msg = g_strndup(f->out, (gsize)ftell(f->stream));
        char *where = g_strdup_printf("%s:%d:", path, FRAME_LINE);
        char *what = g_strdup_printf("invalid frame %s", values[i]);
        if (!strstr(msg, where) || !strstr(msg, what) || !strstr(msg, "frame"))
            fail_msg("expected '%s' and '%s' in: %s", where, what, msg);
        assert_non_null(strstr(msg, "blocks[1].frame"));
        g_free(what);
        g_free(where);
        g_free(msg);
        /* The student's side and the whole document refuse it too. */
        cp_job row = job_for(path, student(f, RATED));
        assert_null(layout_parts(f->arena, &row));
        assert_null(layout_document(f->arena, &row));
    }
}

/* ---- 6. template + overlay = the document laid out whole ---------------------------- */

static void whole_equals_template_plus_overlay(void **state)
{
    fixture *f = *state;
    const char *rows[] = {RATED, UNRATED};
    const char *names[] = {"Anna Li", "Ben Okafor"};
    for (size_t r = 0; r < 2; r++) {
        cp_job job = job_for(NULL, student(f, rows[r]));
        dl_doc *whole = layout_document(f->arena, &job);
        assert_non_null(whole);
        cp_parts *p = layout_parts(f->arena, &job);
        assert_non_null(p);
        cp_template t = template_ok(f, &job, layout_parts_mask(p));
        dl_doc *ov = layout_overlay(f->arena, p, &t);
        assert_non_null(ov);
        assert_int_equal(dl_page_count(whole), dl_page_count(t.doc));

        /* The personal box's title line, where the whole document puts it. */
        const dl_item *mine = find_text(dl_page_get(ov, 0), names[r]);
        const dl_item *theirs = find_text(dl_page_get(whole, 0), names[r]);
        assert_non_null(mine);
        assert_non_null(theirs);
        assert_string_equal(pango_layout_get_text(mine->layout),
                            pango_layout_get_text(theirs->layout));
        assert_true(fabs(mine->x - theirs->x) < EPS);
        assert_true(fabs(mine->y - theirs->y) < EPS);

        /* And every text of the overlay, on every frame's page. */
        size_t texts = 0;
        for (size_t k = 0; k < t.n_frames; k++) {
            const dl_page *op = dl_page_get(ov, k);
            const dl_page *wp = dl_page_get(whole, t.frames[k].page);
            for (size_t i = 0; i < op->items.len; i++) {
                const dl_item *it = op->items.items[i];
                if (it->kind != DL_TEXT)
                    continue;
                texts++;
                const char *s = pango_layout_get_text(it->layout);
                if (!has_text_at(wp, s, it->x, it->y))
                    fail_msg("overlay page %zu: '%.40s' at %.2f,%.2f is not on page %zu of "
                             "the whole document", k, s, it->x, it->y, t.frames[k].page);
            }
        }
        assert_true(texts >= (r == 0 ? 4u : 2u));
        assert_int_equal(diag_error_count(), 0);
    }
}

int main(void)
{
#define T(name)                                                                         \
    cmocka_unit_test_setup_teardown(name, diag_capture_setup, diag_capture_teardown)
    const struct CMUnitTest tests[] = {
        T(parts_mask_follows_the_student),
        T(template_frames_of_the_report),
        T(box_frame_is_n_lines),
        T(overlay_pages_match_the_template),
        T(overlay_refuses_a_box_taller_than_its_frame),
        T(overlay_refuses_another_mask),
        T(overlay_items_lie_inside_their_frames),
        T(student_block_without_frame_has_no_template),
        T(student_data_outside_student_blocks_has_no_template),
        T(bad_frame_is_an_error),
        T(whole_equals_template_plus_overlay),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
