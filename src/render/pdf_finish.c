/* pdf_finish.c - the accessibility finisher and encryption, one libqpdf pass. */
#include "pdf_finish.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <qpdf/qpdf-c.h>
#include <zlib.h>

#include "pdf_text.h"

/* ---- from the display list ---------------------------------------------------------- */

/* The script a language's labels are written in: a text whose letters are all in
 * another script gets its own /Lang. */
typedef struct { const char *lang; GUnicodeScript script; } lang_script;
static const lang_script SCRIPTS[] = {
    {"en", G_UNICODE_SCRIPT_LATIN},      {"hi", G_UNICODE_SCRIPT_DEVANAGARI},
    {"ar", G_UNICODE_SCRIPT_ARABIC},     {"ta", G_UNICODE_SCRIPT_TAMIL},
};

static GUnicodeScript script_of_lang(const char *lang)
{
    for (size_t i = 0; lang && i < G_N_ELEMENTS(SCRIPTS); i++)
        if (!strncmp(lang, SCRIPTS[i].lang, 2))
            return SCRIPTS[i].script;
    return G_UNICODE_SCRIPT_LATIN;
}

/* The language of a text all of whose letters are in one script other than the
 * document's (NULL when mixed, when it has no letters, or when it is the document's
 * own). The script gives the language for the scripts we ship labels in; a Latin name
 * in a Hindi report is marked English, the language of our Latin-script labels. */
static const char *other_lang(const char *text, GUnicodeScript doc)
{
    GUnicodeScript found = G_UNICODE_SCRIPT_INVALID_CODE;
    for (const char *p = text; p && *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (!g_unichar_isalpha(c))
            continue;
        GUnicodeScript s = g_unichar_get_script(c);
        if (s == G_UNICODE_SCRIPT_COMMON || s == G_UNICODE_SCRIPT_INHERITED)
            continue;
        if (found != G_UNICODE_SCRIPT_INVALID_CODE && found != s)
            return NULL;
        found = s;
    }
    if (found == G_UNICODE_SCRIPT_INVALID_CODE || found == doc)
        return NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(SCRIPTS); i++)
        if (SCRIPTS[i].script == found)
            return SCRIPTS[i].lang;
    return NULL;
}

static bool boxes_meet(const dl_item *a, double x, double y, double w, double h)
{
    return a->x < x + w && x < a->x + a->w && a->y < y + h && y < a->y + a->h;
}

/* The text a reader sees under a link: every text item of the page that the link's
 * box overlaps, in drawing order; a link over a picture (a QR code) reads as its
 * address. Owned by the caller. */
static char *link_text(const dl_page *page, const dl_item *link)
{
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < page->items.len; i++) {
        const dl_item *it = page->items.items[i];
        if (it->kind != DL_TEXT || !it->layout)
            continue;
        int w, h;
        pango_layout_get_size(it->layout, &w, &h);
        if (!boxes_meet(link, it->x, it->y, (double)w / PANGO_SCALE, (double)h / PANGO_SCALE))
            continue;
        if (s->len)
            g_string_append_c(s, ' ');
        g_string_append(s, pango_layout_get_text(it->layout));
    }
    if (!s->len)
        g_string_append(s, link->uri ? link->uri : link->dest ? link->dest : "");
    return g_string_free(s, FALSE);
}

static void elem_add(pdf_a11y *x, const char *role, const char *alt)
{
    pdf_elem e = {g_strdup(role), g_strdup(alt), NULL};
    g_array_append_val(x->elems, e);
}

pdf_a11y *pdf_a11y_open(const char *title)
{
    pdf_a11y *x = g_new0(pdf_a11y, 1);
    x->title = g_strdup(title);
    x->elems = g_array_new(FALSE, TRUE, sizeof(pdf_elem));
    x->pages = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    x->shares = g_ptr_array_new();
    elem_add(x, "Document", NULL);   /* the writer's root */
    return x;
}

void pdf_a11y_set_lang(pdf_a11y *x, const char *lang)
{
    if (!x->lang && lang && *lang)
        x->lang = g_strdup(lang);
}

void pdf_a11y_add_page(pdf_a11y *x, const dl_page *page, const char *lang, const void *share)
{
    GPtrArray *texts = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(x->pages, texts);
    g_ptr_array_add(x->shares, (gpointer)share);
    if (!page)
        return;
    /* A page of a report in another language than the file's (a Hindi student in a
     * merged roster) marks its elements with its own language. */
    const char *page_lang = lang && *lang ? lang : x->lang ? x->lang : "en";
    const char *foreign = x->lang && strcmp(page_lang, x->lang) ? page_lang : NULL;
    GUnicodeScript own = script_of_lang(page_lang);
    /* The elements begun on this page, innermost last, with the text drawn directly
     * inside each (for its language); -1 for a begin without a role. */
    GArray *open = g_array_new(FALSE, FALSE, sizeof(long));
    GPtrArray *own_text = g_ptr_array_new();
    for (size_t i = 0; i < page->items.len; i++) {
        const dl_item *it = page->items.items[i];
        if (it->kind == DL_TAG_BEGIN) {
            bool real = it->tag && *it->tag;
            long k = real ? (long)x->elems->len : -1;
            if (real)
                elem_add(x, it->tag, it->alt);
            g_array_append_val(open, k);
            g_ptr_array_add(own_text, real ? g_string_new(NULL) : NULL);
        } else if (it->kind == DL_TAG_END && open->len) {
            long k = g_array_index(open, long, open->len - 1);
            GString *t = own_text->pdata[own_text->len - 1];
            if (t) {
                const char *l = other_lang(t->str, own);
                g_array_index(x->elems, pdf_elem, k).lang = g_strdup(l ? l : foreign);
                g_string_free(t, TRUE);
            }
            g_array_set_size(open, open->len - 1);
            g_ptr_array_set_size(own_text, own_text->len - 1);
        } else if (it->kind == DL_TEXT && it->layout && own_text->len) {
            GString *t = own_text->pdata[own_text->len - 1];
            if (t)
                g_string_append_printf(t, "%s ", pango_layout_get_text(it->layout));
        } else if (it->kind == DL_LINK) {
            elem_add(x, "Link", NULL);
            g_ptr_array_add(texts, link_text(page, it));
        }
    }
    for (size_t k = 0; k < own_text->len; k++)
        if (own_text->pdata[k])
            g_string_free(own_text->pdata[k], TRUE);
    g_ptr_array_free(own_text, TRUE);
    g_array_free(open, TRUE);
}

void pdf_a11y_free(pdf_a11y *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->elems->len; i++) {
        pdf_elem *e = &g_array_index(x->elems, pdf_elem, i);
        g_free(e->role);
        g_free(e->alt);
        g_free(e->lang);
    }
    g_array_free(x->elems, TRUE);
    g_ptr_array_free(x->pages, TRUE);
    g_ptr_array_free(x->shares, TRUE);
    g_free(x->lang);
    g_free(x->title);
    g_free(x);
}

pdf_a11y *pdf_a11y_new(const dl_doc *doc)
{
    pdf_a11y *x = pdf_a11y_open(doc->meta.title);
    pdf_a11y_set_lang(x, doc->meta.lang);
    for (size_t p = 0; p < dl_page_count(doc); p++)
        pdf_a11y_add_page(x, dl_page_get(doc, p), doc->meta.lang, NULL);
    arena_on_free(doc->arena, (void (*)(void *))pdf_a11y_free, x);
    return x;
}

/* ---- the catalog ---------------------------------------------------------------------- */

static void xml_escape(GString *s, const char *text)
{
    char *e = g_markup_escape_text(text ? text : "", -1);
    g_string_append(s, e);
    g_free(e);
}

/* XMP with what PDF/UA asks for: the title, the language and the PDF/UA part. */
static char *xmp_packet(const pdf_a11y *x, size_t *len)
{
    GString *s = g_string_new(
        "<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
        " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        "  <rdf:Description rdf:about=\"\"\n"
        "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
        "    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
        "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    xml_escape(s, x->title);
    g_string_append(s, "</rdf:li></rdf:Alt></dc:title>\n   <dc:language><rdf:Bag><rdf:li>");
    xml_escape(s, x->lang ? x->lang : "en");
    g_string_append(s, "</rdf:li></rdf:Bag></dc:language>\n"
                       "   <pdfuaid:part>1</pdfuaid:part>\n"
                       "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n"
                       "<?xpacket end=\"w\"?>");
    *len = s->len;
    return g_string_free(s, FALSE);
}

static void finish_catalog(qpdf_data q, const pdf_a11y *x)
{
    qpdf_oh root = qpdf_get_root(q);
    qpdf_oh_replace_key(q, root, "/Lang", qpdf_oh_new_unicode_string(q, x->lang ? x->lang
                                                                             : "en"));
    qpdf_oh_replace_key(q, root, "/MarkInfo", qpdf_oh_parse(q, "<< /Marked true >>"));
    qpdf_oh_replace_key(q, root, "/ViewerPreferences",
                        qpdf_oh_parse(q, "<< /DisplayDocTitle true >>"));
    size_t n;
    char *xmp = xmp_packet(x, &n);
    qpdf_oh meta = qpdf_make_indirect_object(q, qpdf_oh_new_stream(q));
    qpdf_oh_replace_stream_data(q, meta, (const unsigned char *)xmp, n, qpdf_oh_new_null(q),
                                qpdf_oh_new_null(q));
    qpdf_oh dict = qpdf_oh_get_dict(q, meta);
    qpdf_oh_replace_key(q, dict, "/Type", qpdf_oh_new_name(q, "/Metadata"));
    qpdf_oh_replace_key(q, dict, "/Subtype", qpdf_oh_new_name(q, "/XML"));
    qpdf_oh_replace_key(q, root, "/Metadata", meta);
    g_free(xmp);
}

/* ---- the structure tree ------------------------------------------------------------- */

/* Whether dictionary `d`'s `key` is the name `name`. The value's handle is released at
 * once: the tree of a merged file has tens of thousands of elements, and libqpdf keeps
 * every handle until it is released. */
static bool key_is(qpdf_data q, qpdf_oh d, const char *key, const char *name)
{
    qpdf_oh v = qpdf_oh_get_key(q, d, key);
    bool is = qpdf_oh_is_name_and_equals(q, v, name);
    qpdf_oh_release(q, v);
    return is;
}

static bool is_elem(qpdf_data q, qpdf_oh k)
{
    return qpdf_oh_is_dictionary(q, k) && qpdf_oh_has_key(q, k, "/S") &&
           !key_is(q, k, "/Type", "/MCR") && !key_is(q, k, "/Type", "/OBJR");
}

static bool role_is(qpdf_data q, qpdf_oh elem, const char *name)
{
    return key_is(q, elem, "/S", name);
}

typedef struct {
    qpdf_data q;
    const pdf_a11y *x;
    size_t next;        /* the next display-list element to match */
    GHashTable *parents;   /* StructParents key → its ParentTree array (parent_arrays) */
} tree_walk;

/* A row of header cells (the header, also where it is repeated on a later page)
 * heads the columns; a header cell in a row of data cells heads its row. */
static void scope_headers(qpdf_data q, qpdf_oh tr)
{
    qpdf_oh kids = qpdf_oh_get_key(q, tr, "/K");
    int n = qpdf_oh_is_array(q, kids) ? qpdf_oh_get_array_n_items(q, kids) : 0;
    bool all_th = true;
    for (int i = 0; i < n; i++) {
        qpdf_oh c = qpdf_oh_get_array_item(q, kids, i);
        if (is_elem(q, c) && !role_is(q, c, "/TH"))
            all_th = false;
    }
    for (int i = 0; i < n; i++) {
        qpdf_oh c = qpdf_oh_get_array_item(q, kids, i);
        if (is_elem(q, c) && role_is(q, c, "/TH"))
            qpdf_oh_replace_key(q, c, "/A", qpdf_oh_parse(q, all_th
                                ? "<< /O /Table /Scope /Column >>"
                                : "<< /O /Table /Scope /Row >>"));
    }
}

/* The ParentTree's arrays by their key, read once: a merged file has hundreds of pages
 * and thousands of links, each of which looks its page's array up. */
static GHashTable *parent_arrays(qpdf_data q)
{
    GHashTable *t = g_hash_table_new(g_direct_hash, g_direct_equal);
    qpdf_oh nums = qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_oh_get_key(q,
                       qpdf_get_root(q), "/StructTreeRoot"), "/ParentTree"), "/Nums");
    int n = qpdf_oh_is_array(q, nums) ? qpdf_oh_get_array_n_items(q, nums) : 0;
    for (int i = 0; i + 1 < n; i += 2) {
        qpdf_oh k = qpdf_oh_get_array_item(q, nums, i);
        if (qpdf_oh_is_integer(q, k))
            g_hash_table_insert(t, GINT_TO_POINTER(qpdf_oh_get_int_value_as_int(q, k) + 1),
                                GUINT_TO_POINTER(qpdf_oh_get_array_item(q, nums, i + 1)));
    }
    return t;
}

/* The ParentTree's array for a page: which element each MCID of the page belongs to. */
static qpdf_oh parent_array(qpdf_data q, GHashTable *parents, qpdf_oh page)
{
    qpdf_oh key = qpdf_oh_get_key(q, page, "/StructParents");
    gpointer arr = qpdf_oh_is_integer(q, key) ? g_hash_table_lookup(parents,
                       GINT_TO_POINTER(qpdf_oh_get_int_value_as_int(q, key) + 1)) : NULL;
    return arr ? GPOINTER_TO_UINT(arr) : qpdf_oh_new_null(q);
}

static bool only_content(qpdf_data q, qpdf_oh kids)
{
    int n = qpdf_oh_is_array(q, kids) ? qpdf_oh_get_array_n_items(q, kids) : 0;
    for (int i = 0; i < n; i++) {
        qpdf_oh c = qpdf_oh_get_array_item(q, kids, i);
        if (!qpdf_oh_is_integer(q, c) &&
            !qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, c, "/Type"), "/MCR"))
            return false;
    }
    return n > 0;
}

/* cairo 1.16 marks no content inside a link, so the layout draws a link's text in a
 * Span just before it (a contents entry). The Span's content moves into the Link, which
 * then holds its visible text as PDF/UA asks; the ParentTree follows. */
static bool give_link_its_text(qpdf_data q, GHashTable *parents, qpdf_oh span, qpdf_oh link)
{
    qpdf_oh text = qpdf_oh_get_key(q, span, "/K");
    qpdf_oh own = qpdf_oh_get_key(q, link, "/K");
    if (qpdf_oh_is_integer(q, text) || qpdf_oh_is_dictionary(q, text))
        text = qpdf_oh_wrap_in_array(q, text);
    if (!only_content(q, text) || only_content(q, own) ||
        !qpdf_oh_is_dictionary(q, qpdf_oh_get_key(q, span, "/Pg")))
        return false;
    qpdf_oh pg = qpdf_oh_get_key(q, span, "/Pg");
    qpdf_oh kids = qpdf_oh_new_array(q);
    int n = qpdf_oh_get_array_n_items(q, text);
    for (int i = 0; i < n; i++) {
        qpdf_oh c = qpdf_oh_get_array_item(q, text, i);
        qpdf_oh mcid = qpdf_oh_is_integer(q, c) ? c : qpdf_oh_get_key(q, c, "/MCID");
        qpdf_oh cpg = qpdf_oh_is_dictionary(q, c) && qpdf_oh_has_key(q, c, "/Pg")
                          ? qpdf_oh_get_key(q, c, "/Pg") : pg;
        qpdf_oh arr = parent_array(q, parents, cpg);
        int m = qpdf_oh_get_int_value_as_int(q, mcid);
        if (!qpdf_oh_is_array(q, arr) || m < 0 || m >= qpdf_oh_get_array_n_items(q, arr))
            return false;
        qpdf_oh_set_array_item(q, arr, m, link);
        qpdf_oh_append_item(q, kids, c);
    }
    if (qpdf_oh_is_dictionary(q, own))
        own = qpdf_oh_wrap_in_array(q, own);
    int k = qpdf_oh_is_array(q, own) ? qpdf_oh_get_array_n_items(q, own) : 0;
    for (int i = 0; i < k; i++)
        qpdf_oh_append_item(q, kids, qpdf_oh_get_array_item(q, own, i));
    qpdf_oh_replace_key(q, link, "/K", kids);
    if (!qpdf_oh_has_key(q, link, "/Pg"))
        qpdf_oh_replace_key(q, link, "/Pg", pg);
    return true;
}

/* The layout draws page furniture that sits among tagged content (a table's header
 * repeated on a later page, inside the open Table) in a DL_ARTIFACT_ROLE element;
 * cairo writes it as an element like any other. Its content becomes an /Artifact sequence
 * (the page's MCIDs returned here, their ParentTree entries cleared) and the element
 * leaves the tree (drop_kid). */
static GArray *artifact_ids(qpdf_data q, qpdf_oh parents)
{
    GArray *arts = g_array_new(FALSE, TRUE, sizeof(bool));
    int n = qpdf_oh_is_array(q, parents) ? qpdf_oh_get_array_n_items(q, parents) : 0;
    g_array_set_size(arts, (guint)n);
    for (int k = 0; k < n; k++) {
        qpdf_oh e = qpdf_oh_get_array_item(q, parents, k);
        if (qpdf_oh_is_dictionary(q, e) && role_is(q, e, "/" DL_ARTIFACT_ROLE)) {
            g_array_index(arts, bool, (guint)k) = true;
            qpdf_oh_set_array_item(q, parents, k, qpdf_oh_new_null(q));
        }
        qpdf_oh_release(q, e);
    }
    return arts;
}

/* Kid i of `elem` (whose kids, as an array, are `kids`) leaves the tree. */
static void drop_kid(qpdf_data q, qpdf_oh elem, qpdf_oh kids, int i)
{
    if (qpdf_oh_is_array(q, qpdf_oh_get_key(q, elem, "/K")))
        qpdf_oh_erase_item(q, kids, i);
    else
        qpdf_oh_replace_key(q, elem, "/K", qpdf_oh_new_array(q));
}

static void walk(tree_walk *w, qpdf_oh elem, int depth)
{
    qpdf_data q = w->q;
    if (depth > 200)   /* cairo's trees are shallow; a cycle is not ours to follow */
        return;
    qpdf_oh role = qpdf_oh_get_key(q, elem, "/S");
    const char *s = qpdf_oh_get_name(q, role);
    /* Match by order: the display list may hold elements cairo did not write (none
     * today), so skip forward to the next of the same role, never backward. */
    const GArray *elems = w->x->elems;
    for (size_t i = w->next; s && i < elems->len; i++) {
        const pdf_elem *e = &g_array_index(elems, pdf_elem, i);
        if (strcmp(e->role, s + 1))
            continue;
        if (e->alt)
            qpdf_oh_replace_key(q, elem, "/Alt", qpdf_oh_new_unicode_string(q, e->alt));
        if (e->lang)
            qpdf_oh_replace_key(q, elem, "/Lang", qpdf_oh_new_unicode_string(q, e->lang));
        w->next = i + 1;
        break;
    }
    qpdf_oh_release(q, role);
    qpdf_oh kids = qpdf_oh_get_key(q, elem, "/K");
    if (qpdf_oh_is_dictionary(q, kids))
        kids = qpdf_oh_wrap_in_array(q, kids);
    int n = qpdf_oh_is_array(q, kids) ? qpdf_oh_get_array_n_items(q, kids) : 0;
    for (int i = 0; i < n; i++) {
        qpdf_oh c = qpdf_oh_get_array_item(q, kids, i);
        if (!is_elem(q, c)) {
            qpdf_oh_release(q, c);
            continue;
        }
        if (role_is(q, elem, "/Table") && role_is(q, c, "/TR"))
            scope_headers(q, c);
        walk(w, c, depth + 1);
        if (role_is(q, c, "/" DL_ARTIFACT_ROLE)) {   /* matched, then left out: see artifact_ids */
            drop_kid(q, elem, kids, i);
            n--;
            i--;
            qpdf_oh_release(q, c);
            continue;
        }
        /* The Span is matched (walked) first, then left out of the tree. */
        if (i + 1 < n && role_is(q, c, "/Span") &&
            is_elem(q, qpdf_oh_get_array_item(q, kids, i + 1)) &&
            role_is(q, qpdf_oh_get_array_item(q, kids, i + 1), "/Link") &&
            qpdf_oh_is_array(q, qpdf_oh_get_key(q, elem, "/K")) &&
            give_link_its_text(q, w->parents, c, qpdf_oh_get_array_item(q, kids, i + 1))) {
            qpdf_oh_erase_item(q, kids, i);
            n--;
            i--;
        }
        qpdf_oh_release(q, c);   /* see key_is */
    }
}

static void finish_tree(qpdf_data q, const pdf_a11y *x, GHashTable *parents)
{
    qpdf_oh str = qpdf_oh_get_key(q, qpdf_get_root(q), "/StructTreeRoot");
    if (!qpdf_oh_is_dictionary(q, str))
        return;
    qpdf_oh kids = qpdf_oh_get_key(q, str, "/K");
    if (qpdf_oh_is_dictionary(q, kids))
        kids = qpdf_oh_wrap_in_array(q, kids);
    tree_walk w = {q, x, 0, parents};
    int n = qpdf_oh_is_array(q, kids) ? qpdf_oh_get_array_n_items(q, kids) : 0;
    for (int i = 0; i < n; i++) {
        qpdf_oh c = qpdf_oh_get_array_item(q, kids, i);
        if (is_elem(q, c))
            walk(&w, c, 0);
    }
}

/* ---- pages ------------------------------------------------------------------------------ */

/* One token of a content stream: its end, and whether it is an operator. Strings,
 * names, numbers, arrays and dictionaries are operands. */
static const char *next_token(const char *p, const char *end, bool *op, const char **start)
{
    while (p < end && (g_ascii_isspace(*p) || *p == '%')) {
        if (*p == '%')
            while (p < end && *p != '\n' && *p != '\r')
                p++;
        else
            p++;
    }
    *start = p;
    *op = false;
    if (p >= end)
        return p;
    if (*p == '(') {
        int depth = 0;
        for (; p < end; p++) {
            if (*p == '\\') { p++; continue; }
            if (*p == '(') depth++;
            else if (*p == ')' && --depth == 0) return p + 1;
        }
        return end;
    }
    if (*p == '<' && p + 1 < end && p[1] == '<')
        return p + 2;
    if (*p == '>' && p + 1 < end && p[1] == '>')
        return p + 2;
    if (*p == '<') {
        const char *e = memchr(p, '>', (size_t)(end - p));
        return e ? e + 1 : end;
    }
    if (strchr("[]{}", *p))
        return p + 1;
    bool name = *p == '/';
    const char *s = p++;
    while (p < end && !g_ascii_isspace(*p) && !strchr("()<>[]{}/%", *p))
        p++;
    if (!name && !(g_ascii_isdigit(*s) || *s == '-' || *s == '+' || *s == '.') &&
        !(p - s == 4 && !memcmp(s, "true", 4)) && !(p - s == 5 && !memcmp(s, "false", 5)) &&
        !(p - s == 4 && !memcmp(s, "null", 4)))
        *op = true;
    return p;
}

/* The next operator at or after *pp, from *s to *e; its operands are skipped. False at
 * the end of the content. */
static bool next_op(const char **pp, const char *end, const char **s, const char **e)
{
    for (;;) {
        bool op;
        *e = next_token(*pp, end, &op, s);
        if (*s >= end)
            return false;
        *pp = *e;
        if (op)
            return true;
    }
}

static bool op_is(const char *s, const char *e, const char *name)
{
    return (size_t)(e - s) == strlen(name) && !memcmp(s, name, (size_t)(e - s));
}

/* Whether the marked-content id written after `mcid` ("/MCID 12") is one of `arts`. */
static bool artifact_mcid(const char *mcid, const GArray *arts)
{
    long k = strtol(mcid + strlen("/MCID"), NULL, 10);
    return arts && k >= 0 && (size_t)k < arts->len && g_array_index(arts, bool, (size_t)k);
}

/* The content with every operator outside all marked-content sequences wrapped in
 * /Artifact BMC ... EMC, and each sequence whose id is in `arts` (the content of an
 * DL_ARTIFACT_ROLE element, see artifact_ids) made an /Artifact sequence. NULL when
 * the content holds an inline image (its data is not tokens) or unbalanced marked
 * content: it is then left as it is. */
static GString *mark_artifacts(const char *c, size_t len, const GArray *arts)
{
    GString *out = g_string_sized_new(len + 256);
    const char *p = c, *end = c + len, *operands = c;   /* where the current operands begin */
    int depth = 0;
    bool art = false;
    const char *s, *e;
    while (next_op(&p, end, &s, &e)) {
        if (op_is(s, e, "BI") || (op_is(s, e, "EMC") && depth == 0)) {
            g_string_free(out, TRUE);
            return NULL;
        }
        bool begin = op_is(s, e, "BDC") || op_is(s, e, "BMC");
        /* Marked content and text objects nest (ISO 32000-1, 14.6): an artifact never
         * spans BT or ET, which paint nothing themselves. */
        if (depth == 0 && (op_is(s, e, "BT") || op_is(s, e, "ET"))) {
            if (art)
                g_string_append(out, "\nEMC\n");
            art = false;
            g_string_append_len(out, operands, e - operands);
            operands = e;
            continue;
        }
        /* Only a sequence with an MCID belongs to the tree; one without (cairo's
         * /Span with an /ActualText for a ligature) stays inside the artifact. */
        const char *mcid = begin ? g_strstr_len(operands, s - operands, "/MCID") : NULL;
        bool tagged = mcid != NULL;
        if (depth == 0 && tagged && art) {
            g_string_append(out, "\nEMC\n");
            art = false;
        } else if (depth == 0 && !tagged && !op_is(s, e, "EMC") && !art) {
            g_string_append(out, "\n/Artifact BMC\n");
            art = true;
        }
        if (tagged && artifact_mcid(mcid, arts))
            g_string_append(out, "\n/Artifact BMC");
        else
            g_string_append_len(out, operands, e - operands);
        operands = e;
        depth += begin ? 1 : op_is(s, e, "EMC") ? -1 : 0;
    }
    g_string_append_len(out, operands, end - operands);
    if (art)
        g_string_append(out, "\nEMC\n");
    if (depth != 0) {
        g_string_free(out, TRUE);
        return NULL;
    }
    return out;
}

static void replace_compressed(qpdf_data q, qpdf_oh stream, const GString *data)
{
    pdf_text_put_stream(q, stream, data->str, data->len);
}

/* The page's content with its text layer (pdf_text.h) and its artifacts marked, or NULL
 * when it is left as it is. `parents` is the page's ParentTree array. */
static GString *finish_content(qpdf_data q, qpdf_oh stream, pdf_text *text, qpdf_oh page,
                               qpdf_oh parents)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    QPDF_BOOL filtered = QPDF_FALSE;
    if (!qpdf_oh_is_stream(q, stream) ||
        (qpdf_oh_get_stream_data(q, stream, qpdf_dl_generalized, &filtered, &buf, &len) &
         QPDF_ERRORS) || !filtered) {
        free(buf);
        g_array_free(artifact_ids(q, parents), TRUE);   /* still out of the tree */
        return NULL;
    }
    /* The text layer first (pdf_text.h): its /Lang spans sit inside the tagged content */
    GString *t = pdf_text_content(text, page, (const char *)buf, len);
    /* The artifacts' ids only now: the text layer may give a run of another language
     * inside an element's content an id of its own, for the same element (a Hindi
     * header repeated on a later page), which must become an artifact too. */
    GArray *arts = artifact_ids(q, parents);
    GString *marked = t ? mark_artifacts(t->str, t->len, arts)
                        : mark_artifacts((const char *)buf, len, arts);
    g_array_free(arts, TRUE);
    if (t && !marked)
        marked = t;
    else if (t)
        g_string_free(t, TRUE);
    free(buf);
    return marked;
}

/* Marks the page's artifacts and names its links. A page drawn from a shared page
 * (pdf_a11y_add_page) hands its marked content back in *shared, written later by
 * share_drawing; any other page's is written here. */
static void finish_page(qpdf_data q, qpdf_oh page, const pdf_a11y *x, size_t index,
                        GHashTable *parents, pdf_text *layer, GString **shared)
{
    qpdf_oh contents = qpdf_oh_get_key(q, page, "/Contents");
    /* Several streams are one content: marked content may cross them. cairo writes
     * one; several are left as they are rather than split wrongly. */
    if (qpdf_oh_is_array(q, contents))
        contents = qpdf_oh_get_array_n_items(q, contents) == 1
                       ? qpdf_oh_get_array_item(q, contents, 0) : qpdf_oh_new_null(q);
    GString *marked = finish_content(q, contents, layer, page, parent_array(q, parents, page));
    if (marked && index < x->shares->len && x->shares->pdata[index]) {
        *shared = marked;
    } else if (marked) {
        replace_compressed(q, contents, marked);
        g_string_free(marked, TRUE);
    }
    qpdf_oh annots = qpdf_oh_get_key(q, page, "/Annots");
    int n = qpdf_oh_is_array(q, annots) ? qpdf_oh_get_array_n_items(q, annots) : 0;
    if (n > 0)
        qpdf_oh_replace_key(q, page, "/Tabs", qpdf_oh_new_name(q, "/S"));
    size_t link = 0;
    for (int i = 0; i < n; i++) {
        qpdf_oh a = qpdf_oh_get_array_item(q, annots, i);
        if (!qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, a, "/Subtype"), "/Link"))
            continue;
        const GPtrArray *texts = index < x->pages->len ? x->pages->pdata[index] : NULL;
        const char *text = texts && link < texts->len ? texts->pdata[link] : NULL;
        link++;
        if (text && !qpdf_oh_has_key(q, a, "/Contents"))
            qpdf_oh_replace_key(q, a, "/Contents", qpdf_oh_new_unicode_string(q, text));
    }
}

/* ---- pages drawn from one shared page ------------------------------------------------- */

/* Where a page's content may be cut into streams that are read as one: after an
 * operator, outside marked content and text objects (the cut is legal anywhere between
 * tokens; these cuts also keep each stream readable alone). Ascending. */
static GArray *cut_points(const GString *c)
{
    GArray *cuts = g_array_new(FALSE, FALSE, sizeof(size_t));
    const char *p = c->str, *end = c->str + c->len;
    int marked = 0, text = 0;
    const char *s, *e;
    while (next_op(&p, end, &s, &e)) {
        marked += op_is(s, e, "BDC") || op_is(s, e, "BMC") ? 1 : op_is(s, e, "EMC") ? -1 : 0;
        text += op_is(s, e, "BT") ? 1 : op_is(s, e, "ET") ? -1 : 0;
        if (marked == 0 && text == 0) {
            size_t at = (size_t)(e - c->str);
            g_array_append_val(cuts, at);
        }
    }
    /* The end, past any white space after the last operator. */
    size_t end_at = c->len;
    if (marked == 0 && text == 0 &&
        (!cuts->len || g_array_index(cuts, size_t, cuts->len - 1) != end_at))
        g_array_append_val(cuts, end_at);
    return cuts;
}

static bool is_cut(const GArray *cuts, size_t at)
{
    size_t lo = 0, hi = cuts->len;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2, v = g_array_index(cuts, size_t, mid);
        if (v == at)
            return true;
        if (v < at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* A page drawn from a shared page, held until every page of its group is seen: only
 * the bytes it does not have in common with the group's first page (its own drawing),
 * so what the finisher holds grows with what the students' pages add, not with the
 * shared drawing repeated on every page. */
typedef struct {
    size_t head, tail;       /* bytes it starts / ends with that the group's first has */
    GString *own;            /* the bytes between */
} share_page;

typedef struct {
    GString *ref;            /* the group's first page's content, whole */
    size_t first;            /* that page */
    size_t head, tail;       /* bytes every page of the group starts / ends with */
    size_t shortest;
    qpdf_oh head_obj, tail_obj;
} share_group;

typedef struct share_set share_set;
struct share_set {
    GHashTable *groups;      /* what the pages were drawn from -> share_group */
    share_page *pages;       /* per page of the file; own NULL when not held */
    size_t n;
};

static void group_free(share_group *g)
{
    g_string_free(g->ref, TRUE);
    g_free(g);
}

static share_set *share_set_new(size_t pages)
{
    share_set *ss = g_new0(share_set, 1);
    ss->groups = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                       (GDestroyNotify)group_free);
    ss->pages = g_new0(share_page, pages + 1);
    ss->n = pages;
    return ss;
}

static void share_set_free(share_set *ss)
{
    for (size_t i = 0; i < ss->n; i++)
        if (ss->pages[i].own)
            g_string_free(ss->pages[i].own, TRUE);
    g_hash_table_destroy(ss->groups);
    g_free(ss->pages);
    g_free(ss);
}

static size_t common_head(const GString *a, const GString *b)
{
    size_t n = 0, m = MIN(a->len, b->len);
    while (n < m && a->str[n] == b->str[n])
        n++;
    return n;
}

static size_t common_tail(const GString *a, const GString *b)
{
    size_t n = 0, m = MIN(a->len, b->len);
    while (n < m && a->str[a->len - 1 - n] == b->str[b->len - 1 - n])
        n++;
    return n;
}

/* Page `i`'s finished content `c` (taken), drawn from `share`: the group's first page is
 * kept whole; any other keeps what lies between the bytes it has in common with it. */
static void share_add(share_set *ss, const void *share, size_t i, GString *c)
{
    share_group *g = g_hash_table_lookup(ss->groups, share);
    if (!g) {
        g = g_new0(share_group, 1);
        *g = (share_group){c, i, c->len, c->len, c->len, 0, 0};
        g_hash_table_insert(ss->groups, (gpointer)share, g);
        ss->pages[i] = (share_page){0, 0, NULL};
        return;
    }
    size_t head = common_head(g->ref, c);
    size_t tail = MIN(common_tail(g->ref, c), MIN(c->len, g->ref->len) - head);
    g->head = MIN(g->head, head);
    g->tail = MIN(g->tail, tail);
    g->shortest = MIN(g->shortest, c->len);
    GString *own = g_string_new_len(c->str + head, (gssize)(c->len - head - tail));
    g_string_free(c, TRUE);
    ss->pages[i] = (share_page){head, tail, own};
}

/* Page `i`'s content again, whole: its own bytes between the group's first page's. */
static GString *share_page_content(const share_set *ss, const share_group *g, size_t i)
{
    const share_page *sp = &ss->pages[i];
    GString *c = g_string_sized_new(sp->head + sp->own->len + sp->tail);
    g_string_append_len(c, g->ref->str, (gssize)sp->head);
    g_string_append_len(c, sp->own->str, (gssize)sp->own->len);
    g_string_append_len(c, g->ref->str + g->ref->len - sp->tail, (gssize)sp->tail);
    return c;
}

/* A new content stream holding bytes [from, to) of `c`. */
static qpdf_oh part_stream(qpdf_data q, const GString *c, size_t from, size_t to)
{
    qpdf_oh st = qpdf_make_indirect_object(q, qpdf_oh_new_stream(q));
    GString part = {.str = c->str + from, .len = to - from};
    replace_compressed(q, st, &part);
    return st;
}

/* Below this a shared stream saves less than its object costs. */
enum { MIN_SHARED = 256 };

/* The group's shared streams, cut where the first page allows (see cut_points): up to
 * the head's end and from the tail's start, every page's bytes are the same. */
static void group_streams(qpdf_data q, share_group *g)
{
    const GString *c = g->ref;
    GArray *cuts = cut_points(c);
    size_t head = 0, tail = c->len;
    for (size_t k = 0; k < cuts->len; k++) {
        size_t at = g_array_index(cuts, size_t, k);
        if (at <= g->head)
            head = at;
        if (at >= c->len - MIN(g->tail, g->shortest - MIN(g->head, g->shortest)) &&
            tail == c->len)
            tail = at;
    }
    g_array_free(cuts, TRUE);
    g->head = head;
    g->tail = tail >= head ? c->len - tail : 0;
    if (g->head >= MIN_SHARED)
        g->head_obj = part_stream(q, c, 0, g->head);
    if (g->tail >= MIN_SHARED)
        g->tail_obj = part_stream(q, c, c->len - g->tail, c->len);
}

/* The pages drawn from one shared page (a template page in every student's report of a
 * merged file) hold the same drawing but for the student's own: cairo writes the same
 * bytes for the same items, and numbers each page's marked content from 0, which each
 * page's own /StructParents resolves to its own elements. The bytes all of a group's
 * pages start with, and those they all end with, become one stream each that every
 * page of the group lists in its /Contents, around its own part. */
static void share_drawing(qpdf_data q, const pdf_a11y *x, share_set *ss)
{
    for (size_t i = 0; i < ss->n; i++) {
        share_group *g = i < x->shares->len && x->shares->pdata[i]
                             ? g_hash_table_lookup(ss->groups, x->shares->pdata[i]) : NULL;
        if (!g || (i != g->first && !ss->pages[i].own))
            continue;
        if (i == g->first)   /* in page order, so the objects are made in one order */
            group_streams(q, g);
        qpdf_oh page = qpdf_get_page_n(q, i);
        qpdf_oh contents = qpdf_oh_get_key(q, page, "/Contents");
        if (qpdf_oh_is_array(q, contents))
            contents = qpdf_oh_get_array_item(q, contents, 0);
        GString *c = i == g->first ? g->ref : share_page_content(ss, g, i);
        if (i != g->first) {   /* what it held is no longer needed */
            g_string_free(ss->pages[i].own, TRUE);
            ss->pages[i].own = NULL;
        }
        GArray *cuts = cut_points(c);
        bool head = g->head_obj && is_cut(cuts, g->head);
        bool tail = g->tail_obj && c->len - g->tail >= (head ? g->head : 0) &&
                    is_cut(cuts, c->len - g->tail);
        size_t from = head ? g->head : 0, to = tail ? c->len - g->tail : c->len;
        qpdf_oh list = qpdf_oh_new_array(q);
        if (head)
            qpdf_oh_append_item(q, list, g->head_obj);
        if (to > from || (!head && !tail)) {
            GString own = {.str = c->str + from, .len = to - from};
            replace_compressed(q, contents, &own);
            qpdf_oh_append_item(q, list, contents);
        }
        if (tail)
            qpdf_oh_append_item(q, list, g->tail_obj);
        qpdf_oh_replace_key(q, page, "/Contents", list);
        g_array_free(cuts, TRUE);
        if (c != g->ref)
            g_string_free(c, TRUE);
    }
}

/* ---- one pass ------------------------------------------------------------------------- */

/* libqpdf's own words for its first error. */
static void qpdf_why(qpdf_data q, const char *what, char *why, size_t why_len)
{
    const char *detail = NULL;
    if (qpdf_has_error(q)) {
        qpdf_error e = qpdf_get_error(q);
        detail = qpdf_get_error_message_detail(q, e);
    }
    snprintf(why, why_len, "%s%s%s", what, detail && *detail ? ": " : "",
             detail ? detail : "");
}

static void set_encryption(qpdf_data q, const cp_pdf_security *sec)
{
    unsigned p = sec->permissions;
    qpdf_set_r6_encryption_parameters2(
        q, sec->user_password, sec->owner_password,
        QPDF_TRUE,                               /* accessibility: always */
        (p & PDF_PERM_COPY) != 0,                /* extract */
        (p & PDF_PERM_EDIT) != 0,                /* assemble */
        (p & PDF_PERM_ANNOTATE) != 0,            /* annotate and fill forms */
        (p & PDF_PERM_ANNOTATE) != 0,            /* fill forms */
        (p & PDF_PERM_EDIT) != 0,                /* modify other */
        (p & PDF_PERM_PRINT) ? qpdf_r3p_full : qpdf_r3p_none,
        QPDF_TRUE);                              /* the metadata too */
}

bool pdf_finish(const char *pdf, size_t len, const pdf_finish_opts *f, FILE *out, char *why,
                size_t why_len)
{
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    bool ok = false;
    if (qpdf_read_memory(q, "document.pdf", pdf, (unsigned long long)len, NULL) &
        QPDF_ERRORS) {
        qpdf_why(q, "the PDF to finish could not be read", why, why_len);
        goto done;
    }
    if (f->a11y) {
        finish_catalog(q, f->a11y);
        GHashTable *parents = parent_arrays(q);
        finish_tree(q, f->a11y, parents);
        size_t pages = (size_t)MAX(qpdf_get_num_pages(q), 0);
        pdf_text *text = pdf_text_new(q);
        share_set *ss = share_set_new(pages);
        for (size_t i = 0; i < pages; i++) {
            GString *shared = NULL;
            finish_page(q, qpdf_get_page_n(q, i), f->a11y, i, parents, text, &shared);
            if (shared)
                share_add(ss, f->a11y->shares->pdata[i], i, shared);
        }
        g_hash_table_destroy(parents);
        share_drawing(q, f->a11y, ss);
        share_set_free(ss);
        pdf_text_finish(text);
        qpdf_oh_release_all(q);
    }
    if (qpdf_init_write_memory(q) & QPDF_ERRORS) {
        qpdf_why(q, "cannot start writing the finished PDF", why, why_len);
        goto done;
    }
    /* The writer's streams are copied as they are (already compressed): never decoded
     * and compressed again, so the pages stay the writer's and a pass costs little.
     * Object streams only when compact (pdf_finish_opts). */
    qpdf_set_decode_level(q, qpdf_dl_none);
    qpdf_set_compress_streams(q, QPDF_FALSE);
    qpdf_set_object_stream_mode(q, f->compact ? qpdf_o_generate : qpdf_o_disable);
    qpdf_set_deterministic_ID(q, f->sec ? QPDF_FALSE : QPDF_TRUE);
    if (f->sec)
        set_encryption(q, f->sec);
    if (qpdf_write(q) & QPDF_ERRORS) {
        qpdf_why(q, "the finished PDF could not be written", why, why_len);
        goto done;
    }
    size_t n = qpdf_get_buffer_length(q);
    const unsigned char *bytes = qpdf_get_buffer(q);
    /* A full disk or a closed pipe is told like any writer's failure, with its cause;
     * the flush makes a small file's error show here too. */
    errno = 0;
    if (!bytes || fwrite(bytes, 1, n, out) != n || fflush(out) != 0) {
        snprintf(why, why_len, "cannot write the pdf: %s",
                 errno ? strerror(errno) : "the writer failed");
        goto done;
    }
    ok = true;
done:
    qpdf_cleanup(&q);
    return ok;
}

bool pdf_finish_filter(void *ctx, const char *pdf, size_t len, FILE *out, char *why,
                       size_t why_len)
{
    return pdf_finish(pdf, len, ctx, out, why, why_len);
}
