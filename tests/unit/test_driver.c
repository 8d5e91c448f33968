/* test_driver.c - the walk every writer shares (render/driver.h), seen through a
 * backend that writes down each primitive it is asked for: which items each output
 * shows, structure-tag balance within and across pages, destination names with a
 * prefix, a page shown inside itself, the box shape, the outline nesting rule, and the
 * destination renaming of dlist.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "core/arena.h"
#include "render/dlist.h"
#include "render/driver.h"

/* ---- a backend that logs ----------------------------------------------------------- */

typedef struct {
    GString *log;
} rec;

static void say(void *be, const char *fmt, ...)
{
    rec *r = be;
    va_list ap;
    va_start(ap, fmt);
    if (r->log->len)
        g_string_append_c(r->log, ' ');
    g_string_append_vprintf(r->log, fmt, ap);
    va_end(ap);
}

static void r_shape(void *be, const rd_shape *s)
{
    say(be, "%s%s%s", s->box ? "box" : "path", s->fill ? "+f" : "", s->stroke ? "+s" : "");
}
static void r_text(void *be, const dl_item *it) { say(be, "text"); }
static void r_image(void *be, const dl_item *it) { say(be, "image"); }
static void r_link(void *be, const dl_item *it) { say(be, "link:%s", it->uri ? it->uri : it->dest); }
static void r_dest(void *be, const dl_item *it) { say(be, "dest:%s", it->dest); }
static void r_begin(void *be, const char *role) { say(be, "<%s>", role); }
static void r_end(void *be, const char *role) { say(be, "</%s>", role); }
static void r_slot(void *be, const dl_item *it, const dl_page *p) { say(be, "slot%d", it->slot); }
static void r_begin_page(void *be, size_t i, const dl_page *p) { say(be, "[p%zu", i + 1); }
static void r_end_page(void *be, size_t i, const dl_page *p) { say(be, "]"); }

static const rd_backend logger;

static void r_page_ref(void *be, const dl_item *it, const rd_walk_state *walk)
{
    say(be, "ref{");
    rd_walk(&logger, be, it->ref, RD_DRAW, NULL, NULL, walk);
    say(be, "}");
}

static const rd_backend logger = {
    .shape = r_shape, .text = r_text, .image = r_image, .page_ref = r_page_ref,
    .link = r_link, .dest = r_dest, .tag_begin = r_begin, .tag_end = r_end,
    .slot = r_slot, .begin_page = r_begin_page, .end_page = r_end_page,
};

/* The log of one walk or document, as a string owned by the test. */
static char *walk_log(const dl_page *p, unsigned what, const char *prefix)
{
    rec r = {g_string_new(NULL)};
    rd_walk(&logger, &r, p, what, prefix, NULL, NULL);
    return g_string_free(r.log, FALSE);
}

static char *doc_log(const rd_backend *b, const dl_doc *d, unsigned what)
{
    rec r = {g_string_new(NULL)};
    rd_document(b, &r, d, what);
    return g_string_free(r.log, FALSE);
}

static const cp_rgba ink = {0, 0, 0, 1}, clear = {0, 0, 0, 0};

/* ---- tests ------------------------------------------------------------------------- */

static void what_each_output_shows(void **state)
{
    (void)state;
    cp_arena *a = arena_new();
    dl_doc *d = dl_doc_new(a);
    dl_page *p = dl_page_add(d, 100, 100);
    dl_tag_begin(d, p, "P");
    dl_rect(d, p, 0, 0, 10, 10, ink, 0);
    dl_rect(d, p, 0, 0, 10, 10, clear, 0);          /* nothing to draw */
    dl_line(d, p, 0, 0, 10, 0, ink, 0);             /* no width: nothing */
    dl_line(d, p, 0, 0, 10, 0, ink, 1);
    dl_link_uri(d, p, 0, 0, 5, 5, "https://example.org");
    dl_link_dest(d, p, 0, 0, 5, 5, "sec");
    dl_dest(d, p, "sec", 0, 0);
    dl_slot(d, p, 2, 0, 0, 10, 10);
    dl_tag_end(d, p);
    char *s = walk_log(p, RD_WHOLE, NULL);
    assert_string_equal(s, "<P> box+f path+s link:https://example.org link:sec dest:sec "
                           "slot2 </P>");
    g_free(s);
    s = walk_log(p, RD_DRAW, NULL);
    assert_string_equal(s, "box+f path+s");
    g_free(s);
    /* Only links and destinations, renamed (a merged file's shared pages). */
    s = walk_log(p, RD_LINKS | RD_DESTS, "r7-");
    assert_string_equal(s, "link:https://example.org link:r7-sec dest:r7-sec");
    g_free(s);
    arena_free(a);
}

static void tags_balance_on_each_page(void **state)
{
    (void)state;
    cp_arena *a = arena_new();
    dl_doc *d = dl_doc_new(a);
    dl_page *p = dl_page_add(d, 100, 100);
    dl_tag_end(d, p);                 /* a stray end: ignored */
    dl_tag_begin(d, p, "Table");
    dl_tag_begin(d, p, "");           /* a begin without a role: skipped with its end */
    dl_tag_begin(d, p, "TR");
    dl_tag_end(d, p);
    dl_tag_end(d, p);
    dl_tag_begin(d, p, "TR");         /* left open: closed at the page's end */
    char *s = walk_log(p, RD_WHOLE, NULL);
    assert_string_equal(s, "<Table> <TR> </TR> <TR> </TR> </Table>");
    g_free(s);
    arena_free(a);
}

static void documents_carry_open_elements_inside_one_root(void **state)
{
    (void)state;
    cp_arena *a = arena_new();
    dl_doc *d = dl_doc_new(a);
    dl_page *p1 = dl_page_add(d, 100, 100), *p2 = dl_page_add(d, 100, 100);
    dl_tag_begin(d, p1, "Table");
    dl_tag_begin(d, p1, "TR");
    dl_tag_end(d, p1);
    dl_tag_begin(d, p2, "TR");
    dl_tag_end(d, p2);
    dl_tag_end(d, p2);
    dl_tag_end(d, p2);                /* stray: cannot close the root */
    dl_tag_begin(d, p2, "P");         /* open at the end: closed before the root */
    char *s = doc_log(&logger, d, RD_WHOLE);
    assert_string_equal(s, "[p1 <Document> <Table> <TR> </TR> ] [p2 <TR> </TR> </Table> "
                           "<P> </P> </Document> ]");
    g_free(s);
    /* Without tags (an overlay), no root either. */
    s = doc_log(&logger, d, RD_DRAW);
    assert_string_equal(s, "[p1 ] [p2 ]");
    g_free(s);
    /* A backend without tags (libharu) gets none. */
    rd_backend untagged = logger;
    untagged.tag_begin = NULL;
    untagged.tag_end = NULL;
    s = doc_log(&untagged, d, RD_WHOLE);
    assert_string_equal(s, "[p1 ] [p2 ]");
    g_free(s);
    arena_free(a);
}

static void a_page_never_shows_itself(void **state)
{
    (void)state;
    cp_arena *a = arena_new();
    dl_doc *d = dl_doc_new(a);
    dl_page *p1 = dl_page_add(d, 100, 100), *p2 = dl_page_add(d, 100, 100);
    dl_rect(d, p1, 0, 0, 10, 10, ink, 0);
    dl_item *back = dl_rect(d, p1, 0, 0, 10, 10, ink, 0);
    back->kind = DL_PAGE_REF;         /* p1 shows p2, which shows p1 and itself */
    back->ref = p2;
    dl_item *to1 = dl_rect(d, p2, 0, 0, 10, 10, ink, 0);
    to1->kind = DL_PAGE_REF;
    to1->ref = p1;
    dl_item *self = dl_rect(d, p2, 0, 0, 10, 10, ink, 0);
    self->kind = DL_PAGE_REF;
    self->ref = p2;
    char *s = walk_log(p1, RD_DRAW, NULL);
    assert_string_equal(s, "box+f ref{ }");
    g_free(s);
    s = walk_log(p2, RD_DRAW, NULL);
    assert_string_equal(s, "ref{ box+f }");
    g_free(s);
    arena_free(a);
}

static void boxes_and_rounded_boxes(void **state)
{
    (void)state;
    rd_shape s = {0};
    dl_path_op ops[RD_BOX_OPS];
    rd_box_path(10, 20, -4, 6, 0, &s, ops);      /* negative width flips the box */
    assert_true(s.box);
    assert_true(s.rect[0] == 6 && s.rect[1] == 20 && s.rect[2] == 4 && s.rect[3] == 6);
    rd_box_path(0, 0, 40, 10, 8, &s, ops);       /* radius at most half the height */
    assert_false(s.box);
    assert_int_equal(s.len, RD_BOX_OPS);
    assert_int_equal(ops[0].op, PATH_MOVE);
    assert_true(ops[0].pts[0] == 35 && ops[0].pts[1] == 0);
    assert_int_equal(ops[1].op, PATH_CURVE);
    assert_true(ops[1].pts[4] == 40 && ops[1].pts[5] == 5);
    assert_int_equal(ops[8].op, PATH_CLOSE);
    assert_true(ops[7].pts[4] == 5 && ops[7].pts[5] == 0);
}

static bool add_entry(void *be, intptr_t parent, const char *title, const char *dest,
                      bool open, intptr_t *made)
{
    rec *r = be;
    if (strstr(dest, "missing"))
        return false;
    say(r, "%s<%d%s>%s", title, (int)parent, open ? "+" : "", dest);
    *made = title[0];
    return true;
}

static void outline_nesting(void **state)
{
    (void)state;
    cp_arena *a = arena_new();
    dl_doc *d = dl_doc_new(a);
    dl_outline_add(d, 1, "A", "a");
    dl_outline_add(d, 3, "B", "b");        /* skipped level: under A */
    dl_outline_add(d, 2, "C", "c");
    dl_outline_add(d, 2, "D", "missing");  /* the backend refuses: nests nothing */
    dl_outline_add(d, 3, "E", "e");        /* under C */
    dl_outline_add(d, 0, "F", "f");        /* below 1 counts as 1 */
    dl_outline_add(d, 2, "G", "");         /* no destination: left out */
    dl_outline_add(d, 40, "H", "h");       /* under F */
    rec r = {g_string_new(NULL)};
    rd_outline(d, 1, 0, NULL, add_entry, &r);
    assert_string_equal(r.log->str, "A<0+>a B<65>b C<65>c E<67>e F<0+>f H<70>h");
    /* Under a bookmark (a merged file): level 1 is the bookmark itself. */
    g_string_truncate(r.log, 0);
    rd_outline(d, 2, 'R', "r1-", add_entry, &r);
    /* (F is left out there, so H still nests under E.) */
    assert_string_equal(r.log->str, "B<82>r1-b C<82>r1-c E<67>r1-e H<69>r1-h");
    g_string_free(r.log, TRUE);
    arena_free(a);
}

static const char *prefix_name(cp_arena *a, const char *name, const void *data)
{
    return arena_printf(a, "%s/%s", (const char *)data, name);
}

static void destinations_are_renamed_once(void **state)
{
    (void)state;
    cp_arena *a = arena_new();
    dl_doc *d = dl_doc_new(a);
    dl_page *p = dl_page_add(d, 100, 100);
    dl_item *dest = dl_dest(d, p, "top", 0, 0);
    dl_item *in = dl_link_dest(d, p, 0, 0, 1, 1, "top");
    dl_item *out = dl_link_uri(d, p, 0, 0, 1, 1, "https://example.org");
    dl_outline_add(d, 1, "Top", "top");
    dl_rename_dests(d, prefix_name, "nurse");
    assert_string_equal(dest->dest, "nurse/top");
    assert_string_equal(in->dest, "nurse/top");
    assert_null(out->dest);
    assert_string_equal(out->uri, "https://example.org");
    assert_string_equal(((dl_outline *)d->outline.items[0])->dest, "nurse/top");
    size_t page = 9;
    dl_slot(d, dl_page_add(d, 100, 100), 3, 0, 0, 1, 1);
    assert_true(dl_slot_page(d, 3, &page));
    assert_int_equal(page, 1);
    assert_false(dl_slot_page(d, 0, &page));
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(what_each_output_shows),
        cmocka_unit_test(tags_balance_on_each_page),
        cmocka_unit_test(documents_carry_open_elements_inside_one_root),
        cmocka_unit_test(a_page_never_shows_itself),
        cmocka_unit_test(boxes_and_rounded_boxes),
        cmocka_unit_test(outline_nesting),
        cmocka_unit_test(destinations_are_renamed_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
