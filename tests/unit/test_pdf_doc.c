/* test_pdf_doc.c - the finisher's PDF file model (src/render/pdf_doc.h): values read,
 * changed and written again, objects nobody read copied byte for byte, what a change
 * leaves behind not written, and files it does not read refused. The files are built
 * here, object by object, with their cross-reference table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "render/pdf_doc.h"
#include "pdf_bytes.h"

/* A file of `n` objects (bodies[i] is object i + 1, "<< ... >>" or a whole
 * "<< ... >>\nstream\n...\nendstream"), catalog 1. */
static GString *file_of(const char *const *bodies, size_t n)
{
    GString *f = g_string_new("%PDF-1.7\n%\xb5\xed\xae\xfb\n");
    size_t *off = g_new0(size_t, n + 1);
    for (size_t i = 0; i < n; i++) {
        off[i + 1] = f->len;
        g_string_append_printf(f, "%zu 0 obj\n%s\nendobj\n", i + 1, bodies[i]);
    }
    size_t xref = f->len;
    g_string_append_printf(f, "xref\n0 %zu\n0000000000 65535 f \n", n + 1);
    for (size_t i = 1; i <= n; i++)
        g_string_append_printf(f, "%010zu 00000 n \n", off[i]);
    g_string_append_printf(f, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                           n + 1, xref);
    g_free(off);
    return f;
}

static const char *const PLAIN_PAGE = "BT /F1 12 Tf (Hi) Tj ET";

static GString *sample(void)
{
    char *content = g_strdup_printf("<< /Length %zu >>\nstream\n%s\nendstream",
                                    strlen(PLAIN_PAGE), PLAIN_PAGE);
    const char *bodies[] = {
        "<< /Type /Catalog /Pages 2 0 R /Lang (en) >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> /Extra [1 2.5 -3 null true false] >>",
        content,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        "<< /Note (a \\(nested\\) \\101\\nline) /Hex <48 69> /Wide <FEFF0928093F> >>",
        "<< /Old true >>",
    };
    GString *f = file_of(bodies, G_N_ELEMENTS(bodies));
    g_free(content);
    return f;
}

static void test_reads_values(void **state)
{
    (void)state;
    GString *f = sample();
    pd_doc *d = pd_open(f->str, f->len);
    assert_non_null(d);
    pd_obj *root = pd_root(d);
    assert_int_equal(pd_id(root), 1);
    assert_string_equal(pd_utf8(d, pd_get(d, root, "/Lang")), "en");
    assert_int_equal(pd_page_count(d), 1);
    pd_obj *page = pd_page(d, 0);
    assert_int_equal(pd_id(page), 3);
    assert_true(pd_is_name(pd_get(d, page, "/Type"), "/Page"));
    assert_string_equal(pd_name(d, pd_get(d, page, "/Type")), "/Page");
    pd_obj *extra = pd_get(d, page, "/Extra");
    assert_int_equal(pd_len(extra), 6);
    assert_int_equal(pd_int(pd_at(d, extra, 0)), 1);
    assert_true(pd_is_number(pd_at(d, extra, 1)) && !pd_is_int(pd_at(d, extra, 1)));
    assert_true(pd_number(pd_at(d, extra, 1)) == 2.5);
    assert_int_equal(pd_int(pd_at(d, extra, 2)), -3);
    assert_null(pd_at(d, extra, 3));
    assert_null(pd_at(d, extra, 6));   /* past the end: null, not a crash */
    /* A reference is the object itself. */
    pd_obj *font = pd_get(d, pd_get(d, pd_get(d, page, "/Resources"), "/Font"), "/F1");
    assert_int_equal(pd_id(font), 5);
    assert_true(pd_is_dict(font));
    /* Strings: escapes, hex, UTF-16BE with its mark. */
    pd_obj *s = pd_object(d, 6);
    assert_string_equal(pd_utf8(d, pd_get(d, s, "/Note")), "a (nested) A\nline");
    assert_string_equal(pd_utf8(d, pd_get(d, s, "/Hex")), "Hi");
    assert_string_equal(pd_utf8(d, pd_get(d, s, "/Wide")), "\xe0\xa4\xa8\xe0\xa4\xbf");
    /* Wrong types answer no, 0 or NULL. */
    assert_false(pd_is_array(font));
    assert_int_equal(pd_len(font), 0);
    assert_null(pd_get(d, extra, "/Type"));
    assert_null(pd_utf8(d, font));
    assert_null(pd_object(d, 99));
    /* Streams: their bytes (deflated ones: below, written and read again). */
    size_t n;
    guint8 *c = pd_stream_bytes(d, pd_get(d, page, "/Contents"), &n);
    assert_non_null(c);
    assert_int_equal(n, strlen(PLAIN_PAGE));
    assert_memory_equal(c, PLAIN_PAGE, n);
    g_free(c);
    pd_close(d);
    g_string_free(f, TRUE);
}

static void test_changes_written(void **state)
{
    (void)state;
    GString *f = sample();
    pd_doc *d = pd_open(f->str, f->len);
    pd_obj *root = pd_root(d);
    pd_obj *page = pd_page(d, 0);
    pd_put(d, root, "/Lang", pd_new_text(d, "hi"));
    pd_put(d, root, "/MarkInfo", pd_parse(d, "<< /Marked true >>"));
    pd_put(d, root, "/Title", pd_new_text(d, "(odd) \\ title"));
    pd_put(d, root, "/Name", pd_new_text(d, "\xe0\xa4\xa8\xe0\xa4\xbf"));
    pd_obj *list = pd_new_array(d);
    pd_append(d, list, pd_new_int(d, 7));
    pd_append(d, list, pd_object(d, 5));        /* an object: stored as a reference */
    pd_append(d, list, pd_new_name(d, "/X"));
    pd_erase_at(list, 2);
    pd_set_at(d, list, 0, pd_new_int(d, 8));
    pd_put(d, page, "/List", list);
    pd_put(d, page, "/Extra", NULL);            /* removed */
    pd_obj *st = pd_new_stream(d);
    pd_stream_put(d, st, "q 1 0 0 1 0 0 cm Q", 18);
    pd_put(d, root, "/Extra", st);
    pd_stream_put(d, pd_get(d, page, "/Contents"), "BT ET", 5);
    GString *out = pd_write(d);
    GString *again = pd_write(d);
    assert_int_equal(out->len, again->len);   /* the same bytes every time */
    assert_memory_equal(out->str, again->str, out->len);
    g_string_free(again, TRUE);
    pd_close(d);

    buffer b = {out->str, out->len};
    assert_xref_ok(&b);
    /* Read by nobody: its bytes as they were. Referred to by nobody: gone. */
    assert_true(contains(&b, "5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"));
    assert_false(contains(&b, "/Old true"));
    assert_false(contains(&b, "6 0 obj"));
    assert_int_equal(count(&b, "/FlateDecode"), 2);   /* the two streams written */
    assert_true(contains(&b, "(\\(odd\\) \\\\ title)"));
    assert_true(contains(&b, "<FEFF0928093F>"));

    d = pd_open(out->str, out->len);
    assert_non_null(d);
    root = pd_root(d);
    page = pd_page(d, 0);
    assert_string_equal(pd_utf8(d, pd_get(d, root, "/Lang")), "hi");
    assert_string_equal(pd_utf8(d, pd_get(d, root, "/Title")), "(odd) \\ title");
    assert_string_equal(pd_utf8(d, pd_get(d, root, "/Name")), "\xe0\xa4\xa8\xe0\xa4\xbf");
    assert_true(pd_is_dict(pd_get(d, root, "/MarkInfo")));
    assert_false(pd_has(page, "/Extra"));
    list = pd_get(d, page, "/List");
    assert_int_equal(pd_len(list), 2);
    assert_int_equal(pd_int(pd_at(d, list, 0)), 8);
    assert_int_equal(pd_id(pd_at(d, list, 1)), 5);
    size_t n;
    guint8 *c = pd_stream_bytes(d, pd_get(d, page, "/Contents"), &n);
    assert_int_equal(n, 5);
    assert_memory_equal(c, "BT ET", 5);
    g_free(c);
    pd_obj *extra = pd_get(d, root, "/Extra");
    assert_true(pd_is_stream(extra));
    assert_true(pd_id(extra) >= 8);   /* numbered after the file's own */
    c = pd_stream_bytes(d, extra, &n);
    assert_int_equal(n, 18);
    g_free(c);
    pd_close(d);
    g_string_free(out, TRUE);
}

static void test_refuses(void **state)
{
    (void)state;
    static const char junk[] = "not a pdf at all";
    assert_null(pd_open(junk, sizeof junk - 1));
    /* An xref stream (PDF 1.5) is not read. */
    static const char xstream[] =
        "%PDF-1.7\n1 0 obj\n<< /Type /XRef /Size 2 /W [1 2 1] /Length 0 >>\nstream\n\n"
        "endstream\nendobj\nstartxref\n9\n%%EOF\n";
    assert_null(pd_open(xstream, sizeof xstream - 1));
    /* Nesting past the bound: that object cannot be read, the rest can. */
    GString *deep = g_string_new("<< /A ");
    for (int i = 0; i < 100; i++)
        g_string_append_c(deep, '[');
    for (int i = 0; i < 100; i++)
        g_string_append_c(deep, ']');
    g_string_append(deep, " >>");
    const char *bodies[] = {
        "<< /Type /Catalog /Pages 2 0 R /Deep 4 0 R /Bad 5 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R >>",
        deep->str,
        "<< /Key ) >>",
    };
    GString *f = file_of(bodies, G_N_ELEMENTS(bodies));
    pd_doc *d = pd_open(f->str, f->len);
    assert_non_null(d);
    assert_null(pd_get(d, pd_root(d), "/Deep"));
    assert_null(pd_get(d, pd_root(d), "/Bad"));
    assert_int_equal(pd_page_count(d), 1);
    /* A stream nobody can decode here is left alone. */
    assert_null(pd_parse(d, "<< /A"));
    assert_null(pd_parse(d, "1 2"));
    pd_close(d);
    g_string_free(f, TRUE);
    g_string_free(deep, TRUE);
}

/* The ParentTree as a number tree with kids, as a long file may have it. */
static void test_parent_array(void **state)
{
    (void)state;
    const char *bodies[] = {
        "<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 5 0 R >>",
        "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        "<< /Type /Page /Parent 2 0 R /StructParents 0 >>",
        "<< /Type /Page /Parent 2 0 R /StructParents 7 >>",
        "<< /Type /StructTreeRoot /ParentTree 6 0 R >>",
        "<< /Kids [7 0 R 8 0 R] >>",
        "<< /Nums [0 [null 9 0 R]] >>",
        "<< /Nums [7 [9 0 R] 0 [null]] >>",
        "<< /S /P >>",
    };
    GString *f = file_of(bodies, G_N_ELEMENTS(bodies));
    pd_doc *d = pd_open(f->str, f->len);
    assert_non_null(d);
    pd_obj *first = pd_parent_array(d, pd_page(d, 0));
    assert_int_equal(pd_len(first), 2);   /* key 0's first entry wins */
    assert_int_equal(pd_id(pd_at(d, first, 1)), 9);
    pd_obj *second = pd_parent_array(d, pd_page(d, 1));
    assert_int_equal(pd_len(second), 1);
    assert_true(pd_is_name(pd_get(d, pd_at(d, second, 0), "/S"), "/P"));
    assert_null(pd_parent_array(d, pd_root(d)));   /* no /StructParents */
    pd_close(d);
    g_string_free(f, TRUE);
}

/* Streams cairo left as they are are deflated; the metadata stays as it is. */
static void test_deflate_plain(void **state)
{
    (void)state;
    const char *bodies[] = {
        "<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R /Map 5 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R >>",
        "<< /Type /Metadata /Subtype /XML /Length 5 >>\nstream\n<x/>\n\nendstream",
        "<< /Length 11 >>\nstream\nbeginbfchar\nendstream",
    };
    GString *f = file_of(bodies, G_N_ELEMENTS(bodies));
    pd_doc *d = pd_open(f->str, f->len);
    pd_deflate_plain_streams(d);
    GString *out = pd_write(d);
    pd_close(d);
    d = pd_open(out->str, out->len);
    assert_non_null(d);
    pd_obj *map = pd_get(d, pd_root(d), "/Map"), *meta = pd_get(d, pd_root(d), "/Metadata");
    assert_true(pd_is_name(pd_get(d, map, "/Filter"), "/FlateDecode"));
    assert_false(pd_has(meta, "/Filter"));
    size_t n;
    guint8 *c = pd_stream_bytes(d, map, &n);
    assert_int_equal(n, 11);
    assert_memory_equal(c, "beginbfchar", 11);
    g_free(c);
    pd_close(d);
    g_string_free(out, TRUE);
    g_string_free(f, TRUE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_values),
        cmocka_unit_test(test_changes_written),
        cmocka_unit_test(test_refuses),
        cmocka_unit_test(test_parent_array),
        cmocka_unit_test(test_deflate_plain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
