/* pdf_finish.c - the accessibility finisher (on pdf_doc.h), then encryption and object
 * streams when asked (pdf_qpdf.h). */
#include "pdf_finish.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include "pdf_content.h"
#include "pdf_doc.h"
#include "pdf_lang.h"
#include "pdf_qpdf.h"
#include "pdf_text.h"

/* ---- from the display list ---------------------------------------------------------- */

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

/* What the writer tags on a page, in drawing order, per page's items: `open` holds the
 * elements begun and not ended, innermost last (-1: a begin without a role), and
 * `own_text` the text drawn directly inside each (for its language). A region of
 * another page drawn with its tags (DL_PAGE_REF with_tags) adds that page's elements
 * where it is drawn, without its links, which the writer leaves out there. */
typedef struct {
    pdf_a11y *x;
    GUnicodeScript own;
    const char *foreign;
    GArray *open;
    GPtrArray *own_text;
    GPtrArray *texts;   /* the page's links' texts */
} page_tags;

static void add_items(page_tags *pt, const dl_page *page, bool links)
{
    pdf_a11y *x = pt->x;
    for (size_t i = 0; i < page->items.len; i++) {
        const dl_item *it = page->items.items[i];
        if (it->kind == DL_TAG_BEGIN) {
            bool real = it->tag && *it->tag;
            long k = real ? (long)x->elems->len : -1;
            if (real)
                elem_add(x, it->tag, it->alt);
            g_array_append_val(pt->open, k);
            g_ptr_array_add(pt->own_text, real ? g_string_new(NULL) : NULL);
        } else if (it->kind == DL_TAG_END && pt->open->len) {
            long k = g_array_index(pt->open, long, pt->open->len - 1);
            GString *t = pt->own_text->pdata[pt->own_text->len - 1];
            if (t) {
                const char *l = pdf_other_lang(t->str, pt->own);
                g_array_index(x->elems, pdf_elem, k).lang = g_strdup(l ? l : pt->foreign);
                g_string_free(t, TRUE);
            }
            g_array_set_size(pt->open, pt->open->len - 1);
            g_ptr_array_set_size(pt->own_text, pt->own_text->len - 1);
        } else if (it->kind == DL_TEXT && it->layout && pt->own_text->len) {
            GString *t = pt->own_text->pdata[pt->own_text->len - 1];
            if (t)
                g_string_append_printf(t, "%s ", pango_layout_get_text(it->layout));
        } else if (it->kind == DL_LINK && links) {
            elem_add(x, "Link", NULL);
            g_ptr_array_add(pt->texts, link_text(page, it));
        } else if (it->kind == DL_PAGE_REF && it->with_tags && it->ref && it->ref != page) {
            add_items(pt, it->ref, false);
        }
    }
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
    page_tags pt = {x, pdf_lang_script(page_lang),
                    x->lang && strcmp(page_lang, x->lang) ? page_lang : NULL,
                    g_array_new(FALSE, FALSE, sizeof(long)), g_ptr_array_new(), texts};
    add_items(&pt, page, true);
    for (size_t k = 0; k < pt.own_text->len; k++)
        if (pt.own_text->pdata[k])
            g_string_free(pt.own_text->pdata[k], TRUE);
    g_ptr_array_free(pt.own_text, TRUE);
    g_array_free(pt.open, TRUE);
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

static void finish_catalog(pd_doc *doc, const pdf_a11y *x)
{
    pd_obj *root = pd_root(doc);
    pd_put(doc, root, "/Lang", pd_new_text(doc, x->lang ? x->lang
                                                                             : "en"));
    pd_put(doc, root, "/MarkInfo", pd_parse(doc, "<< /Marked true >>"));
    pd_put(doc, root, "/ViewerPreferences",
                        pd_parse(doc, "<< /DisplayDocTitle true >>"));
    size_t n;
    char *xmp = xmp_packet(x, &n);
    pd_obj *meta = pd_new_stream(doc);
    pd_stream_put_plain(doc, meta, xmp, n);
    pd_put(doc, meta, "/Type", pd_new_name(doc, "/Metadata"));
    pd_put(doc, meta, "/Subtype", pd_new_name(doc, "/XML"));
    pd_put(doc, root, "/Metadata", meta);
    g_free(xmp);
}

/* ---- the structure tree ------------------------------------------------------------- */

/* Whether dictionary `d`'s `key` is the name `name`. */
static bool key_is(pd_doc *doc, pd_obj *d, const char *key, const char *name)
{
    return pd_is_name(pd_get(doc, d, key), name);
}

static bool is_elem(pd_doc *doc, pd_obj *k)
{
    return pd_is_dict(k) && pd_has(k, "/S") &&
           !key_is(doc, k, "/Type", "/MCR") && !key_is(doc, k, "/Type", "/OBJR");
}

static bool role_is(pd_doc *doc, pd_obj *elem, const char *name)
{
    return key_is(doc, elem, "/S", name);
}

typedef struct {
    pd_doc *doc;
    const pdf_a11y *x;
    size_t next;        /* the next display-list element to match */
} tree_walk;

/* A row of header cells (the header, also where it is repeated on a later page)
 * heads the columns; a header cell in a row of data cells heads its row. */
static void scope_headers(pd_doc *doc, pd_obj *tr)
{
    pd_obj *kids = pd_get(doc, tr, "/K");
    int n = pd_is_array(kids) ? (int)pd_len(kids) : 0;
    bool all_th = true;
    for (int i = 0; i < n; i++) {
        pd_obj *c = pd_at(doc, kids, i);
        if (is_elem(doc, c) && !role_is(doc, c, "/TH"))
            all_th = false;
    }
    for (int i = 0; i < n; i++) {
        pd_obj *c = pd_at(doc, kids, i);
        if (is_elem(doc, c) && role_is(doc, c, "/TH"))
            pd_put(doc, c, "/A", pd_parse(doc, all_th
                                ? "<< /O /Table /Scope /Column >>"
                                : "<< /O /Table /Scope /Row >>"));
    }
}

static bool only_content(pd_doc *doc, pd_obj *kids)
{
    int n = pd_is_array(kids) ? (int)pd_len(kids) : 0;
    for (int i = 0; i < n; i++) {
        pd_obj *c = pd_at(doc, kids, i);
        if (!pd_is_int(c) &&
            !pd_is_name(pd_get(doc, c, "/Type"), "/MCR"))
            return false;
    }
    return n > 0;
}

/* cairo 1.16 marks no content inside a link, so the layout draws a link's text in a
 * Span just before it (a contents entry). The Span's content moves into the Link, which
 * then holds its visible text as PDF/UA asks; the ParentTree follows. */
static bool give_link_its_text(pd_doc *doc, pd_obj *span, pd_obj *link)
{
    pd_obj *text = pd_get(doc, span, "/K");
    pd_obj *own = pd_get(doc, link, "/K");
    if (pd_is_int(text) || pd_is_dict(text))
        text = pd_wrap_in_array(doc, text);
    if (!only_content(doc, text) || only_content(doc, own) ||
        !pd_is_dict(pd_get(doc, span, "/Pg")))
        return false;
    pd_obj *pg = pd_get(doc, span, "/Pg");
    pd_obj *kids = pd_new_array(doc);
    int n = (int)pd_len(text);
    for (int i = 0; i < n; i++) {
        pd_obj *c = pd_at(doc, text, i);
        pd_obj *mcid = pd_is_int(c) ? c : pd_get(doc, c, "/MCID");
        pd_obj *cpg = pd_is_dict(c) && pd_has(c, "/Pg")
                          ? pd_get(doc, c, "/Pg") : pg;
        pd_obj *arr = pd_parent_array(doc, cpg);
        int m = (int)pd_int(mcid);
        if (!pd_is_array(arr) || m < 0 || m >= (int)pd_len(arr))
            return false;
        pd_set_at(doc, arr, m, link);
        pd_append(doc, kids, c);
    }
    if (pd_is_dict(own))
        own = pd_wrap_in_array(doc, own);
    int k = pd_is_array(own) ? (int)pd_len(own) : 0;
    for (int i = 0; i < k; i++)
        pd_append(doc, kids, pd_at(doc, own, i));
    pd_put(doc, link, "/K", kids);
    if (!pd_has(link, "/Pg"))
        pd_put(doc, link, "/Pg", pg);
    return true;
}

/* The layout draws page furniture that sits among tagged content (a table's header
 * repeated on a later page, inside the open Table) in a DL_ARTIFACT_ROLE element;
 * cairo writes it as an element like any other. Its content becomes an /Artifact sequence
 * (the page's MCIDs returned here, their ParentTree entries cleared) and the element
 * leaves the tree (drop_kid). */
static GArray *artifact_ids(pd_doc *doc, pd_obj *parents)
{
    GArray *arts = g_array_new(FALSE, TRUE, sizeof(bool));
    int n = pd_is_array(parents) ? (int)pd_len(parents) : 0;
    g_array_set_size(arts, (guint)n);
    for (int k = 0; k < n; k++) {
        pd_obj *e = pd_at(doc, parents, k);
        if (pd_is_dict(e) && role_is(doc, e, "/" DL_ARTIFACT_ROLE)) {
            g_array_index(arts, bool, (guint)k) = true;
            pd_set_at(doc, parents, k, NULL);
        }
    }
    return arts;
}

/* Kid i of `elem` (whose kids, as an array, are `kids`) leaves the tree. */
static void drop_kid(pd_doc *doc, pd_obj *elem, pd_obj *kids, int i)
{
    if (pd_is_array(pd_get(doc, elem, "/K")))
        pd_erase_at(kids, i);
    else
        pd_put(doc, elem, "/K", pd_new_array(doc));
}

static void walk(tree_walk *w, pd_obj *elem, int depth)
{
    pd_doc *doc = w->doc;
    if (depth > 200)   /* cairo's trees are shallow; a cycle is not ours to follow */
        return;
    pd_obj *role = pd_get(doc, elem, "/S");
    const char *s = pd_name(doc, role);
    /* Match by order: the display list may hold elements cairo did not write (none
     * today), so skip forward to the next of the same role, never backward. */
    const GArray *elems = w->x->elems;
    for (size_t i = w->next; s && i < elems->len; i++) {
        const pdf_elem *e = &g_array_index(elems, pdf_elem, i);
        if (strcmp(e->role, s + 1))
            continue;
        if (e->alt)
            pd_put(doc, elem, "/Alt", pd_new_text(doc, e->alt));
        if (e->lang)
            pd_put(doc, elem, "/Lang", pd_new_text(doc, e->lang));
        w->next = i + 1;
        break;
    }
    pd_obj *kids = pd_get(doc, elem, "/K");
    if (pd_is_dict(kids))
        kids = pd_wrap_in_array(doc, kids);
    int n = pd_is_array(kids) ? (int)pd_len(kids) : 0;
    for (int i = 0; i < n; i++) {
        pd_obj *c = pd_at(doc, kids, i);
        if (!is_elem(doc, c)) {
            continue;
        }
        if (role_is(doc, elem, "/Table") && role_is(doc, c, "/TR"))
            scope_headers(doc, c);
        walk(w, c, depth + 1);
        if (role_is(doc, c, "/" DL_ARTIFACT_ROLE)) {   /* matched, then left out: see artifact_ids */
            drop_kid(doc, elem, kids, i);
            n--;
            i--;
            continue;
        }
        /* The Span is matched (walked) first, then left out of the tree. */
        if (i + 1 < n && role_is(doc, c, "/Span") &&
            is_elem(doc, pd_at(doc, kids, i + 1)) &&
            role_is(doc, pd_at(doc, kids, i + 1), "/Link") &&
            pd_is_array(pd_get(doc, elem, "/K")) &&
            give_link_its_text(doc, c, pd_at(doc, kids, i + 1))) {
            pd_erase_at(kids, i);
            n--;
            i--;
        }
    }
}

static void finish_tree(pd_doc *doc, const pdf_a11y *x)
{
    pd_obj *str = pd_get(doc, pd_root(doc), "/StructTreeRoot");
    if (!pd_is_dict(str))
        return;
    pd_obj *kids = pd_get(doc, str, "/K");
    if (pd_is_dict(kids))
        kids = pd_wrap_in_array(doc, kids);
    tree_walk w = {doc, x, 0};
    int n = pd_is_array(kids) ? (int)pd_len(kids) : 0;
    for (int i = 0; i < n; i++) {
        pd_obj *c = pd_at(doc, kids, i);
        if (is_elem(doc, c))
            walk(&w, c, 0);
    }
}

/* ---- pages ------------------------------------------------------------------------------ */

static void replace_compressed(pd_doc *doc, pd_obj *stream, const GString *data)
{
    pd_stream_put(doc, stream, data->str, data->len);
}

/* The page's content with its text layer and its artifacts marked (pdf_text.h, in one
 * walk: the text layer's /Lang pieces sit inside the tagged content), or NULL when it
 * is left as it is. A page whose drawing is shared (`keep`) gets its content back even
 * when nothing changed. */
static GString *finish_content(pd_doc *doc, pd_obj *stream, pdf_text *text, pd_obj *page,
                               const GArray *arts, bool keep)
{
    size_t len = 0;
    guint8 *buf = pd_stream_bytes(doc, stream, &len);
    if (!buf)
        return NULL;
    pdf_artifacts art = {.furniture = arts};
    GString *marked = pdf_text_content(text, page, (const char *)buf, len, &art);
    if (!marked && keep)
        marked = g_string_new_len((const char *)buf, (gssize)len);
    g_free(buf);
    return marked;
}

/* The text layer of the form XObjects a page (or form) draws through `resources`, and
 * of the forms they draw; each form once (`done`: object numbers). */
static void finish_forms(pd_doc *doc, pd_obj *resources, pdf_text *layer, GHashTable *done)
{
    pd_obj *xobjects = pd_get(doc, resources, "/XObject");
    for (size_t i = 0; i < pd_dict_len(xobjects); i++) {
        pd_obj *form = pd_dict_value_at(doc, xobjects, i);
        long id = pd_id(form);
        if (!pd_is_stream(form) || !pd_is_name(pd_get(doc, form, "/Subtype"), "/Form") ||
            id == 0 || g_hash_table_contains(done, GSIZE_TO_POINTER((gsize)id)))
            continue;
        g_hash_table_add(done, GSIZE_TO_POINTER((gsize)id));
        size_t len = 0;
        guint8 *buf = pd_stream_bytes(doc, form, &len);
        GString *marked = buf ? pdf_text_form(layer, form, (const char *)buf, len) : NULL;
        g_free(buf);
        if (marked) {
            replace_compressed(doc, form, marked);
            g_string_free(marked, TRUE);
        }
        finish_forms(doc, pd_get(doc, form, "/Resources"), layer, done);
    }
}

/* Marks the page's artifacts and names its links. A page drawn from a shared page
 * (pdf_a11y_add_page) hands its marked content back in *shared, written later by
 * share_drawing; any other page's is written here. */
static void finish_page(pd_doc *doc, pd_obj *page, const pdf_a11y *x, size_t index,
                        pdf_text *layer, GString **shared)
{
    pd_obj *contents = pd_get(doc, page, "/Contents");
    /* Several streams are one content: marked content may cross them. cairo writes
     * one; several are left as they are rather than split wrongly. */
    if (pd_is_array(contents))
        contents = (int)pd_len(contents) == 1
                       ? pd_at(doc, contents, 0) : NULL;
    GArray *arts = artifact_ids(doc, pd_parent_array(doc, page));
    bool shares = index < x->shares->len && x->shares->pdata[index];
    GString *marked = finish_content(doc, contents, layer, page, arts, shares);
    g_array_free(arts, TRUE);
    if (marked && shares) {
        *shared = marked;
    } else if (marked) {
        replace_compressed(doc, contents, marked);
        g_string_free(marked, TRUE);
    }
    pd_obj *annots = pd_get(doc, page, "/Annots");
    int n = pd_is_array(annots) ? (int)pd_len(annots) : 0;
    if (n > 0)
        pd_put(doc, page, "/Tabs", pd_new_name(doc, "/S"));
    size_t link = 0;
    for (int i = 0; i < n; i++) {
        pd_obj *a = pd_at(doc, annots, i);
        if (!pd_is_name(pd_get(doc, a, "/Subtype"), "/Link"))
            continue;
        const GPtrArray *texts = index < x->pages->len ? x->pages->pdata[index] : NULL;
        const char *text = texts && link < texts->len ? texts->pdata[link] : NULL;
        link++;
        if (text && !pd_has(a, "/Contents"))
            pd_put(doc, a, "/Contents", pd_new_text(doc, text));
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
    for (;;) {
        tk t;
        p = pdf_lex(p, end, &t);
        if (t.kind == TK_END)
            break;
        if (t.kind != TK_OP)
            continue;
        pdf_op_kind k = pdf_op_classify(&t);
        if (k == OP_INLINE) {   /* inline image data is not tokens: no cuts at all */
            g_array_set_size(cuts, 0);
            return cuts;
        }
        marked += k == OP_BDC || k == OP_BMC ? 1 : k == OP_EMC ? -1 : 0;
        text += k == OP_BT ? 1 : k == OP_ET ? -1 : 0;
        if (marked == 0 && text == 0) {
            size_t at = (size_t)(t.e - c->str);
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

typedef struct {
    size_t first;            /* the group's first page */
    size_t head, tail;       /* bytes every page of the group starts / ends with */
    size_t shortest;
    pd_obj *head_obj, *tail_obj;
} share_group;

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

/* A new content stream holding bytes [from, to) of `c`. */
static pd_obj *part_stream(pd_doc *doc, const GString *c, size_t from, size_t to)
{
    pd_obj *st = pd_new_stream(doc);
    GString part = {.str = c->str + from, .len = to - from};
    replace_compressed(doc, st, &part);
    return st;
}

/* Below this a shared stream saves less than its object costs. */
enum { MIN_SHARED = 256 };

/* The pages drawn from one shared page (a template page in every student's report of a
 * merged file) hold the same drawing but for the student's own: cairo writes the same
 * bytes for the same items, and numbers each page's marked content from 0, which each
 * page's own /StructParents resolves to its own elements. The bytes all of a group's
 * pages start with, and those they all end with, become one stream each that every
 * page of the group lists in its /Contents, around its own part. */
static void share_drawing(pd_doc *doc, const pdf_a11y *x, GString **marked, size_t pages)
{
    GHashTable *by_share = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    for (size_t i = 0; i < pages; i++) {
        if (!marked[i])
            continue;
        share_group *g = g_hash_table_lookup(by_share, x->shares->pdata[i]);
        if (!g) {
            g = g_new0(share_group, 1);
            *g = (share_group){i, marked[i]->len, marked[i]->len, marked[i]->len, 0, 0};
            g_hash_table_insert(by_share, x->shares->pdata[i], g);
            continue;
        }
        const GString *ref = marked[g->first];
        g->head = MIN(g->head, common_head(ref, marked[i]));
        g->tail = MIN(g->tail, common_tail(ref, marked[i]));
        g->shortest = MIN(g->shortest, marked[i]->len);
    }
    for (size_t i = 0; i < pages; i++) {
        if (!marked[i])
            continue;
        share_group *g = g_hash_table_lookup(by_share, x->shares->pdata[i]);
        pd_obj *page = pd_page(doc, i);
        pd_obj *contents = pd_get(doc, page, "/Contents");
        if (pd_is_array(contents))
            contents = pd_at(doc, contents, 0);
        GString *c = marked[i];
        GArray *cuts = cut_points(c);
        if (i == g->first) {
            /* The cuts, found on the first page, hold for every page: up to the head's
             * end and from the tail's start, the bytes are the same. */
            size_t head = 0, tail = c->len;
            for (size_t k = 0; k < cuts->len; k++) {
                size_t at = g_array_index(cuts, size_t, k);
                if (at <= g->head)
                    head = at;
                if (at >= c->len - MIN(g->tail, g->shortest - MIN(g->head, g->shortest)) &&
                    tail == c->len)
                    tail = at;
            }
            g->head = head;
            g->tail = tail >= head ? c->len - tail : 0;
            if (g->head >= MIN_SHARED)
                g->head_obj = part_stream(doc, c, 0, g->head);
            if (g->tail >= MIN_SHARED)
                g->tail_obj = part_stream(doc, c, c->len - g->tail, c->len);
        }
        bool head = g->head_obj && is_cut(cuts, g->head);
        bool tail = g->tail_obj && c->len - g->tail >= (head ? g->head : 0) &&
                    is_cut(cuts, c->len - g->tail);
        size_t from = head ? g->head : 0, to = tail ? c->len - g->tail : c->len;
        pd_obj *list = pd_new_array(doc);
        if (head)
            pd_append(doc, list, g->head_obj);
        if (to > from || (!head && !tail)) {
            GString own = {.str = c->str + from, .len = to - from};
            replace_compressed(doc, contents, &own);
            pd_append(doc, list, contents);
        }
        if (tail)
            pd_append(doc, list, g->tail_obj);
        pd_put(doc, page, "/Contents", list);
        g_array_free(cuts, TRUE);
    }
    g_hash_table_destroy(by_share);
}

/* ---- one pass ------------------------------------------------------------------------- */

/* A full disk or a closed pipe is told like any writer's failure, with its cause; the
 * flush makes a small file's error show here too. */
static bool write_out(const void *bytes, size_t n, FILE *out, char *why, size_t why_len)
{
    errno = 0;
    if (!bytes || fwrite(bytes, 1, n, out) != n || fflush(out) != 0) {
        snprintf(why, why_len, "cannot write the pdf: %s",
                 errno ? strerror(errno) : "the writer failed");
        return false;
    }
    return true;
}

/* The tags finished (pdf_doc.h); NULL when the file is not one pdf_doc.h reads. */
static GString *finish_a11y(const char *pdf, size_t len, const pdf_a11y *x)
{
    pd_doc *doc = pd_open(pdf, len);
    if (!doc)
        return NULL;
    finish_catalog(doc, x);
    finish_tree(doc, x);
    size_t pages = pd_page_count(doc);
    pdf_text *text = pdf_text_new(doc);
    GString **shared = g_new0(GString *, pages + 1);
    GHashTable *forms = g_hash_table_new(NULL, NULL);
    for (size_t i = 0; i < pages; i++) {
        finish_page(doc, pd_page(doc, i), x, i, text, &shared[i]);
        finish_forms(doc, pd_get(doc, pd_page(doc, i), "/Resources"), text, forms);
    }
    g_hash_table_destroy(forms);
    share_drawing(doc, x, shared, pages);
    for (size_t i = 0; i < pages; i++)
        if (shared[i])
            g_string_free(shared[i], TRUE);
    g_free(shared);
    pdf_text_finish(text);
    pd_deflate_plain_streams(doc);   /* what cairo left as it is (cairo_out_init) */
    GString *out = pd_write(doc);
    pd_close(doc);
    return out;
}

bool pdf_finish(const char *pdf, size_t len, const pdf_finish_opts *f, FILE *out, char *why,
                size_t why_len)
{
    GString *done = NULL;
    if (f->a11y) {
        done = finish_a11y(pdf, len, f->a11y);
        if (!done) {
            snprintf(why, why_len, "the PDF to finish could not be read (it is not one cairo "
                                   "wrote: object or cross-reference streams)");
            return false;
        }
        pdf = done->str;
        len = done->len;
    }
    GString *packed = NULL;
    if (f->sec || f->compact) {
        packed = pdf_qpdf_pass(pdf, len, f->sec, f->compact, why, why_len);
        pdf = packed ? packed->str : NULL;
        len = packed ? packed->len : 0;
    }
    bool ok = pdf && write_out(pdf, len, out, why, why_len);
    if (done)
        g_string_free(done, TRUE);
    if (packed)
        g_string_free(packed, TRUE);
    return ok;
}

bool pdf_finish_filter(void *ctx, const char *pdf, size_t len, FILE *out, char *why,
                       size_t why_len)
{
    return pdf_finish(pdf, len, ctx, out, why, why_len);
}
