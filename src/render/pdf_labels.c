#include "pdf_labels.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "pdf_raw.h"

/* Last occurrence of `needle` in the first `len` bytes (PDF trailers are at the end). */
static const char *find_last(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = len >= n ? len - n + 1 : 0; i-- > 0;)
        if (!memcmp(hay + i, needle, n))
            return hay + i;
    return NULL;
}

/* The number after `key` ("/PageLabels 395 0 R" → 395); 0 when absent. */
static long number_after(const char *pdf, size_t len, const char *key)
{
    const char *p = find_last(pdf, len, key);
    return p ? strtol(p + strlen(key), NULL, 10) : 0;
}

/* "12" → 12; 0 when not a plain positive number. */
static unsigned plain_number(const char *s)
{
    if (!s || *s < '1' || *s > '9' || strlen(s) > 6)
        return 0;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return (unsigned)atoi(s);
}

size_t pdf_label_ranges(const dl_doc *doc, pdf_label_range **out)
{
    size_t n = dl_page_count(doc), count = 0;
    *out = g_new0(pdf_label_range, n ? n : 1);
    unsigned expect = 0;   /* the number that continues the current decimal range */
    for (size_t i = 0; i < n; i++) {
        const char *label = dl_page_get(doc, i)->label;
        unsigned num = label ? plain_number(label) : (unsigned)(i + 1);
        if (num && num == expect) {
            expect++;
            continue;
        }
        (*out)[count++] = (pdf_label_range){i, num, num ? NULL : label};
        expect = num ? num + 1 : 0;
    }
    return count;
}

/* The ranges as a number tree; the plain "1, 2, 3..." stays "0 << /S /D >>". */
static void number_tree(GString *s, const dl_doc *doc)
{
    pdf_label_range *r;
    size_t n = pdf_label_ranges(doc, &r);
    g_string_append(s, "<< /Nums [");
    for (size_t i = 0; i < n; i++) {
        g_string_append_printf(s, " %zu << ", r[i].first_page);
        if (r[i].text) {
            g_string_append(s, "/P ");
            raw_append_literal(s, r[i].text);
            g_string_append_c(s, ' ');
        } else if (r[i].start == 1) {
            g_string_append(s, "/S /D ");
        } else {
            g_string_append_printf(s, "/S /D /St %u ", r[i].start);
        }
        g_string_append(s, ">>");
    }
    g_string_append(s, " ] >>");
    g_free(r);
}

bool pdf_write_with_labels(FILE *out, const char *pdf, size_t len, const dl_doc *doc)
{
    bool ok = fwrite(pdf, 1, len, out) == len;
    long obj = number_after(pdf, len, "/PageLabels ");
    long size = number_after(pdf, len, "/Size ");
    long root = number_after(pdf, len, "/Root ");
    long info = number_after(pdf, len, "/Info ");
    long prev = number_after(pdf, len, "startxref\n");
    if (!ok || obj <= 0 || size <= obj || root <= 0 || prev <= 0)
        return ok;
    GString *s = g_string_new(NULL);
    size_t offset = len;
    g_string_append_printf(s, "%ld 0 obj\n", obj);
    number_tree(s, doc);
    g_string_append(s, "\nendobj\n");
    size_t xref = offset + s->len;
    g_string_append_printf(s, "xref\n%ld 1\n%010zu 00000 n \n", obj, offset);
    g_string_append_printf(s, "trailer\n<< /Size %ld\n   /Root %ld 0 R\n", size, root);
    if (info > 0)
        g_string_append_printf(s, "   /Info %ld 0 R\n", info);
    g_string_append_printf(s, "   /Prev %ld\n>>\nstartxref\n%zu\n%%%%EOF\n", prev, xref);
    ok = fwrite(s->str, 1, s->len, out) == s->len;
    g_string_free(s, TRUE);
    return ok;
}
