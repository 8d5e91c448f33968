/* haru_out.c - display list → PDF with libharu (2.3.0 on Debian 12).
 *
 * libharu notes that shape this file:
 * - A failed call leaves the document in an error state in which every later call fails
 *   too (HPDF_INVALID_DOCUMENT); libharu calls the error handler and carries on. The
 *   handler records the first error and the writer checks it at the end. Values libharu
 *   would reject are brought into range first: colours to 0..1, destinations to x, y >=
 *   0, font sizes to at most 600 (the rest goes into the text matrix), dash lengths to
 *   whole numbers up to 100, and every number it writes to +-32767 (see draw_line).
 * - Its public API lacks what the cairo writer produces: XYZ destinations that keep the
 *   zoom, named destinations (/Dests), attachments under a chosen name with a correct
 *   /Filespec, a ToUnicode map that text extraction understands, and the permission
 *   bits of revision 3 (it writes /P exactly as given). Those are built with libharu's
 *   object layer (hpdf_objects.h, hpdf_namedict.h, hpdf_fontdef.h...), which its
 *   installed headers expose as long as HPDF_SHARED is not defined. Its own name-tree
 *   insertion (HPDF_NameTree_Add) and PNG reader (16-bit with alpha) are broken in
 *   2.3.0 and not used.
 * - No shaping: each Pango glyph cluster is drawn from its UTF-8 text at the exact
 *   position Pango computed, in the same TrueType file. Consecutive clusters are drawn
 *   with one text operator when libharu's own advance widths land every cluster within
 *   POS_TOLERANCE of Pango's position (no kerning, no letter spacing between them).
 *   Scripts that need shaping are refused by haru_can_render.
 * - Fonts across documents: a TrueType font definition (parsed tables, glyph offsets,
 *   the open file it embeds from) belongs to one HPDF_Doc handle: HPDF_GetFont only
 *   searches that handle's list, the definition lives in the handle's memory manager
 *   and is freed with it, and it carries per-document state (which glyphs the current
 *   document uses, its font descriptor). So a font cannot be shared by two HPDF_Doc
 *   handles. One handle can make many documents, though: HPDF_NewDoc/HPDF_FreeDoc free
 *   the document but keep the font definitions, resetting their per-document state.
 *   The writer keeps one handle per process and starts each document with HPDF_NewDoc,
 *   so each TrueType file is read and parsed once per process (each batch worker owns
 *   its own). After a failed document the handle is dropped and rebuilt.
 * - What stays per document: HPDF_GetFont builds a width and glyph table over all
 *   65,536 UTF-16 codes for each font of each document (about a quarter of this
 *   writer's time); font_finish trims them to the characters drawn.
 * - libharu names an embedded font's subset tag by load order (HPDFAA, HPDFAB...) and
 *   restarts the count per document; the tag here comes from the font's name instead,
 *   so a report's bytes do not depend on what the process rendered before.
 * - Encrypted files get a /ID made from the clock (HPDF_EncryptDict_CreateID), and the
 *   RC4 key depends on it, so they are not byte-reproducible; unencrypted ones are.
 * - PDF is y-up with the origin bottom-left; the display list is y-down from the top
 *   left: every y becomes page_height - y. */
#include "haru_out.h"
#include "driver.h"
#include "pdf_date.h"
#include "pdf_labels.h"
#include "image_load.h"
#include "../core/image.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <hpdf.h>
#include <hpdf_fontdef.h>
#include <hpdf_namedict.h>
#include <hpdf_page_label.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>

/* Clusters are merged into one text operator while libharu's advances keep each one
 * this close (points) to where Pango put it. */
#define POS_TOLERANCE 0.01

/* ---- the process's libharu handle ------------------------------------------------ */

static struct {
    HPDF_Doc pdf;
    GHashTable *fonts;         /* TrueType file → libharu font name (owned by libharu) */
    HPDF_STATUS error, detail; /* first error since the document began */
} proc;

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
    (void)data;
    /* Reading the finished file out of libharu's memory stream ends with EOF. */
    if (error == HPDF_STREAM_EOF)
        return;
    if (proc.error == HPDF_OK) {
        proc.error = error;
        proc.detail = detail;
    }
}

void haru_release(void)
{
    if (proc.pdf)
        HPDF_Free(proc.pdf);
    if (proc.fonts)
        g_hash_table_destroy(proc.fonts);
    memset(&proc, 0, sizeof proc);
}

/* A handle holding a new, empty document (fonts loaded earlier stay loaded). */
static HPDF_Doc handle_open(void)
{
    if (proc.pdf) {
        proc.error = HPDF_OK;
        if (HPDF_NewDoc(proc.pdf) == HPDF_OK)
            return proc.pdf;
        haru_release();
    }
    proc.pdf = HPDF_New(on_error, NULL);
    proc.fonts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    /* The UTF-8 encoder is registered once per handle (a second time is an error). */
    if (!proc.pdf || HPDF_UseUTFEncodings(proc.pdf) != HPDF_OK) {
        haru_release();
        return NULL;
    }
    proc.error = HPDF_OK;
    return proc.pdf;
}

/* ---- one document ---------------------------------------------------------------- */

typedef struct {
    HPDF_Doc pdf;
    HPDF_Page page;       /* the page being drawn */
    double h;             /* its height: y-down display list → y-up PDF */
    HPDF_Page *pages;     /* all pages, created before drawing (links may point ahead) */
    GHashTable *dests;    /* name → HPDF_Destination */
    GHashTable *images;   /* PNG path → HPDF_Image */
    GHashTable *gstates;  /* alpha pair → HPDF_ExtGState */
    GHashTable *fonts;    /* libharu font name → doc_font */
    GString *chunk;       /* text of the clusters drawn by one operator */
    bool failed;          /* a step failed outside libharu (font file, image file) */
} wctx;

static double Y(const wctx *w, double y)
{
    return w->h - y;
}

static HPDF_REAL unit(double v)
{
    return (HPDF_REAL)(isfinite(v) ? fmin(1, fmax(0, v)) : 0);
}

static void set_fill(wctx *w, cp_rgba c)
{
    HPDF_Page_SetRGBFill(w->page, unit(c.r), unit(c.g), unit(c.b));
}

static void set_stroke(wctx *w, cp_rgba c)
{
    HPDF_Page_SetRGBStroke(w->page, unit(c.r), unit(c.g), unit(c.b));
}

/* Transparency needs an ExtGState per alpha pair; one per distinct pair per document.
 * Items are drawn inside q/Q, so an alpha never leaks into the next item. */
static void set_alpha(wctx *w, double fill, double stroke)
{
    fill = unit(fill);
    stroke = unit(stroke);
    if (fill >= 1 && stroke >= 1)
        return;
    long key = lround(fill * 1000) * 1001 + lround(stroke * 1000) + 1;
    HPDF_ExtGState gs = g_hash_table_lookup(w->gstates, GSIZE_TO_POINTER(key));
    if (!gs) {
        gs = HPDF_CreateExtGState(w->pdf);
        if (!gs)
            return;
        HPDF_ExtGState_SetAlphaFill(gs, (HPDF_REAL)fill);
        HPDF_ExtGState_SetAlphaStroke(gs, (HPDF_REAL)stroke);
        g_hash_table_insert(w->gstates, GSIZE_TO_POINTER(key), gs);
    }
    HPDF_Page_SetExtGState(w->page, gs);
}

/* ---- shapes ---------------------------------------------------------------------- */

static void move_to(wctx *w, double x, double y)
{
    HPDF_Page_MoveTo(w->page, (HPDF_REAL)x, (HPDF_REAL)Y(w, y));
}

static void line_to(wctx *w, double x, double y)
{
    HPDF_Page_LineTo(w->page, (HPDF_REAL)x, (HPDF_REAL)Y(w, y));
}

static void curve_to(wctx *w, double x1, double y1, double x2, double y2, double x3,
                     double y3)
{
    HPDF_Page_CurveTo(w->page, (HPDF_REAL)x1, (HPDF_REAL)Y(w, y1), (HPDF_REAL)x2,
                      (HPDF_REAL)Y(w, y2), (HPDF_REAL)x3, (HPDF_REAL)Y(w, y3));
}

/* The outline of a shape: a plain rectangle, or its path translated and scaled. A line
 * or curve without a current point starts one (as in cairo); libharu would otherwise
 * reject the operator and poison the document. False when nothing was drawn. */
static bool shape_path(wctx *w, const rd_shape *sh, double ox, double oy, double s)
{
    if (sh->box) {
        HPDF_Page_Rectangle(w->page, (HPDF_REAL)sh->rect[0],
                            (HPDF_REAL)Y(w, sh->rect[1] + sh->rect[3]),
                            (HPDF_REAL)sh->rect[2], (HPDF_REAL)sh->rect[3]);
        return true;
    }
    bool open = false;
    for (size_t i = 0; i < sh->len; i++) {
        const double *q = sh->ops[i].pts;
        switch (sh->ops[i].op) {
        case PATH_MOVE:
            move_to(w, ox + s * q[0], oy + s * q[1]);
            open = true;
            break;
        case PATH_LINE:
            if (open)
                line_to(w, ox + s * q[0], oy + s * q[1]);
            else
                move_to(w, ox + s * q[0], oy + s * q[1]);
            open = true;
            break;
        case PATH_CURVE:
            if (!open)
                move_to(w, ox + s * q[0], oy + s * q[1]);
            curve_to(w, ox + s * q[0], oy + s * q[1], ox + s * q[2], oy + s * q[3],
                     ox + s * q[4], oy + s * q[5]);
            open = true;
            break;
        case PATH_CLOSE:
            if (open)
                HPDF_Page_ClosePath(w->page);
            break;
        }
    }
    return open;
}

/* A dashed stroke. libharu takes dash lengths as whole numbers up to 100, and clamps
 * every number it writes to +-32767. The path is drawn from its first point in units
 * of dash/p points, where the dash is exactly p units: p as fine as the path's extent
 * lets the numbers stay in range. */
static bool dashed_path(wctx *w, const rd_shape *sh)
{
    if (sh->box || sh->len == 0)
        return false;
    double x0 = sh->x + sh->scale * sh->ops[0].pts[0];
    double y0 = sh->y + sh->scale * sh->ops[0].pts[1];
    double len = sh->width;
    for (size_t i = 0; i < sh->len; i++)
        for (int k = 0; k < (sh->ops[i].op == PATH_CURVE ? 3 : 1); k++) {
            len = fmax(len, fabs(sh->x + sh->scale * sh->ops[i].pts[2 * k] - x0));
            len = fmax(len, fabs(sh->y + sh->scale * sh->ops[i].pts[2 * k + 1] - y0));
        }
    double p = fmin(HPDF_MAX_DASH_PATTERN, floor(HPDF_LIMIT_MAX_REAL * sh->dash / len));
    if (p < 1)
        p = 1;
    double s = p / sh->dash;
    HPDF_Page_Concat(w->page, (HPDF_REAL)(1 / s), 0, 0, (HPDF_REAL)(1 / s),
                     (HPDF_REAL)x0, (HPDF_REAL)Y(w, y0));
    HPDF_UINT16 dash = (HPDF_UINT16)p;
    HPDF_Page_SetDash(w->page, &dash, 1, 0);
    HPDF_Page_SetLineWidth(w->page, (HPDF_REAL)(sh->width * s));
    /* In the scaled units, y up from the first point: Y() of the page is undone. */
    double h = w->h;
    w->h = 0;
    bool open = shape_path(w, sh, (sh->x - x0) * s, (sh->y - y0) * s, sh->scale * s);
    w->h = h;
    return open;
}

/* Fills and/or strokes a shape (rd_shape), inside q/Q. */
static void haru_shape(void *be, const rd_shape *sh)
{
    wctx *w = be;
    HPDF_Page_GSave(w->page);
    set_alpha(w, sh->fill ? sh->fill_color.a : 1, sh->stroke ? sh->stroke_color.a : 1);
    if (sh->fill)
        set_fill(w, sh->fill_color);
    bool open;
    if (sh->stroke) {
        set_stroke(w, sh->stroke_color);
        if (sh->round_cap)
            HPDF_Page_SetLineCap(w->page, HPDF_ROUND_END);
    }
    if (sh->stroke && sh->dash > 0) {
        open = dashed_path(w, sh);
    } else {
        if (sh->stroke)
            HPDF_Page_SetLineWidth(w->page, (HPDF_REAL)sh->width);
        open = shape_path(w, sh, sh->x, sh->y, sh->scale);
    }
    if (open && sh->fill && sh->stroke)
        HPDF_Page_FillStroke(w->page);
    else if (open && sh->fill)
        HPDF_Page_Fill(w->page); /* non-zero winding, like cairo's default */
    else if (open)
        HPDF_Page_Stroke(w->page);
    HPDF_Page_GRestore(w->page);
}

/* ---- images ---------------------------------------------------------------------- */

/* Raw 8-bit samples as an image XObject (compressed with the document's settings),
 * drawn smoothed as cairo's are. */
static HPDF_Image raw_image(wctx *w, const HPDF_BYTE *data, int width, int height,
                            HPDF_ColorSpace cs)
{
    HPDF_Image img = HPDF_LoadRawImageFromMem(w->pdf, data, (HPDF_UINT)width,
                                              (HPDF_UINT)height, cs, 8);
    if (img)
        HPDF_Dict_AddBoolean(img, "Interpolate", HPDF_TRUE);
    return img;
}

/* Loaded once per document, decoded by cairo exactly as the cairo writer decodes it:
 * libharu's own PNG reader garbles 16-bit images with alpha (the bundled example logo
 * among them) and stores the alpha channel uncompressed. Colours are un-premultiplied
 * and the alpha channel, when any pixel is not opaque, becomes a soft mask. A PNG is
 * reduced to the pixels its box needs in print (image_load.h); a JPEG is embedded as
 * it is. A missing or broken file is skipped, as cairo does. */
static HPDF_Image image_get(wctx *w, const dl_item *it)
{
    const char *path = it->image_path;
    gpointer found;
    if (g_hash_table_lookup_extended(w->images, path, NULL, &found))
        return found;
    HPDF_Image img = NULL;
    cp_image_info info;
    const char *why;
    if (image_probe(path, &info, &why) && info.kind == IMAGE_JPEG) {
        img = HPDF_LoadJpegImageFromFile(w->pdf, path);
        g_hash_table_insert(w->images, (gpointer)path, img);
        return img;
    }
    cairo_surface_t *s = image_load(path, image_print_pixels(it->w), image_print_pixels(it->h));
    if (!s) {
        g_hash_table_insert(w->images, (gpointer)path, NULL);
        return NULL;
    }
    cairo_format_t fmt = cairo_image_surface_get_format(s);
    int wd = cairo_image_surface_get_width(s), ht = cairo_image_surface_get_height(s);
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS && wd > 0 && ht > 0 &&
        (fmt == CAIRO_FORMAT_ARGB32 || fmt == CAIRO_FORMAT_RGB24)) {
        cairo_surface_flush(s);
        const unsigned char *data = cairo_image_surface_get_data(s);
        int stride = cairo_image_surface_get_stride(s);
        size_t npx = (size_t)wd * ht;
        HPDF_BYTE *rgb = g_malloc(npx * 3), *alpha = g_malloc(npx);
        bool translucent = false;
        for (int y = 0; y < ht; y++) {
            const uint32_t *row =
                (const uint32_t *)(const void *)(data + (size_t)y * stride);
            for (int x = 0; x < wd; x++) {
                uint32_t p = row[x];
                unsigned a = fmt == CAIRO_FORMAT_ARGB32 ? p >> 24 : 255;
                size_t i = (size_t)y * wd + x;
                for (int c = 0; c < 3; c++) {
                    unsigned v = (p >> (16 - 8 * c)) & 255;
                    rgb[i * 3 + c] = (HPDF_BYTE)(a == 0 ? 0 : a == 255 ? v
                                                 : (v * 255 + a / 2) / a);
                }
                alpha[i] = (HPDF_BYTE)a;
                translucent |= a != 255;
            }
        }
        img = raw_image(w, rgb, wd, ht, HPDF_CS_DEVICE_RGB);
        HPDF_Image mask = img && translucent ? raw_image(w, alpha, wd, ht,
                                                         HPDF_CS_DEVICE_GRAY) : NULL;
        if (mask)
            HPDF_Image_AddSMask(img, mask);
        g_free(rgb);
        g_free(alpha);
    }
    cairo_surface_destroy(s);
    g_hash_table_insert(w->images, (gpointer)path, img);
    return img;
}

/* Fits the image into the box keeping its aspect ratio, centred (as cairo_out). */
static void draw_image(wctx *w, const dl_item *it)
{
    HPDF_Image img = it->image_path ? image_get(w, it) : NULL;
    if (!img || !(it->w > 0) || !(it->h > 0))
        return;
    double iw = HPDF_Image_GetWidth(img), ih = HPDF_Image_GetHeight(img);
    if (!(iw > 0) || !(ih > 0))
        return;
    double s = fmin(it->w / iw, it->h / ih);
    double x = it->x + (it->w - iw * s) / 2, top = it->y + (it->h - ih * s) / 2;
    HPDF_Page_DrawImage(w->page, img, (HPDF_REAL)x, (HPDF_REAL)Y(w, top + ih * s),
                        (HPDF_REAL)(iw * s), (HPDF_REAL)(ih * s));
}

/* ---- fonts ----------------------------------------------------------------------- */

/* The TrueType file Pango drew a run with; NULL for anything but a plain file (a
 * collection index other than 0 included). */
static const char *font_file(PangoFont *font, FcPattern **pat_out)
{
    if (!font || !PANGO_IS_FC_FONT(font))
        return NULL;
    FcPattern *pat = pango_fc_font_get_pattern(PANGO_FC_FONT(font));
    FcChar8 *file = NULL;
    int index = 0;
    if (!pat || FcPatternGetString(pat, FC_FILE, 0, &file) != FcResultMatch)
        return NULL;
    if (FcPatternGetInteger(pat, FC_INDEX, 0, &index) == FcResultMatch && index != 0)
        return NULL;
    if (pat_out)
        *pat_out = pat;
    return (const char *)file;
}

/* A subset tag (six capitals) from the font's name: the same font gets the same tag in
 * every document, whatever was loaded before it. */
static void tag_for(const char *name, char tag[7])
{
    uint32_t h = 2166136261u;
    for (const char *p = name; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    for (int i = 0; i < 6; i++, h /= 26)
        tag[i] = (char)('A' + h % 26);
    tag[6] = '\0';
}

/* The libharu name of a TrueType file, loading it into the process's handle the first
 * time (embedded; libharu writes only the glyphs a document uses). */
static const char *font_load(wctx *w, const char *file)
{
    const char *name = g_hash_table_lookup(proc.fonts, file);
    if (name)
        return name;
    HPDF_FontDef def = HPDF_GetTTFontDefFromFile(w->pdf, file, HPDF_TRUE);
    if (!def)
        return NULL;
    /* The same font under another path (a link, a copy) is the one already loaded:
     * libharu's registry is by PostScript name. */
    HPDF_FontDef known = HPDF_Doc_FindFontDef(w->pdf, def->base_font);
    if (known) {
        HPDF_FontDef_Free(def);
        g_hash_table_insert(proc.fonts, g_strdup(file), known->base_font);
        return known->base_font;
    }
    char tag[7];
    tag_for(def->base_font, tag);
    HPDF_TTFontDef_SetTagName(def, tag);
    if (HPDF_Doc_RegisterFontDef(w->pdf, def) != HPDF_OK)
        return NULL;
    g_hash_table_insert(proc.fonts, g_strdup(file), def->base_font);
    return def->base_font;
}

/* A font as used by one document, and the characters drawn with it. */
typedef struct {
    HPDF_Font font;
    uint8_t used[0x10000 / 8]; /* U+0000..U+FFFF: libharu's UTF-8 fonts are 16-bit */
} doc_font;

static void mark_used(doc_font *df, const char *s, size_t len)
{
    for (const char *p = s; p < s + len; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c <= 0xFFFF)
            df->used[c >> 3] |= (uint8_t)(1u << (c & 7));
    }
}

static bool is_used(const doc_font *df, unsigned c)
{
    return df->used[c >> 3] & (1u << (c & 7));
}

/* libharu's ToUnicode CMap for UTF-8 fonts is an identity *cid*range, which is not
 * valid in a ToUnicode map (poppler warns on every file; other readers may not extract
 * the text). The codes of a libharu UTF-8 font are the characters themselves (U+0000 to
 * U+FFFF), so the right map is the identity: one bfrange per block of 256 in use. */
static void write_to_unicode(HPDF_Dict tu, const doc_font *df)
{
    int blocks[256], n = 0;
    for (int hi = 0; hi < 256; hi++) {
        bool any = false;
        for (int lo = 0; lo < 256 && !any; lo += 8)
            any = df->used[(hi << 5) | (lo >> 3)] != 0;
        if (any && (hi < 0xD8 || hi > 0xDF)) /* no surrogates */
            blocks[n++] = hi;
    }
    HPDF_MemStream_FreeData(tu->stream);
    GString *s = g_string_new(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    for (int i = 0; i < n; i += 100) { /* at most 100 entries per section */
        int m = n - i < 100 ? n - i : 100;
        g_string_append_printf(s, "%d beginbfrange\n", m);
        for (int j = i; j < i + m; j++)
            g_string_append_printf(s, "<%02X00> <%02XFF> <%02X00>\n", blocks[j],
                                   blocks[j], blocks[j]);
        g_string_append(s, "endbfrange\n");
    }
    g_string_append(s, "endcmap\n"
                       "CMapName currentdict /CMap defineresource pop\nend\nend\n");
    HPDF_Stream_Write(tu->stream, (const HPDF_BYTE *)s->str, (HPDF_UINT)s->len);
    g_string_free(s, TRUE);
}

/* libharu gives a UTF-8 font a width (/W) and a glyph (/CIDToGIDMap) for every
 * character the font has, about 12 KB and 5 KB compressed per font and document. Only
 * the characters the document drew are kept; the glyph ids and widths come from the
 * same font tables libharu used. */
static bool font_finish(wctx *w, const doc_font *df)
{
    HPDF_FontAttr fa = df->font->attr;
    HPDF_FontDef def = fa->fontdef;
    HPDF_Dict tu = HPDF_Dict_GetItem(df->font, "ToUnicode", HPDF_OCLASS_DICT);
    if (tu && tu->stream)
        write_to_unicode(tu, df);
    HPDF_Array widths = HPDF_Array_New(w->pdf->mmgr), run = NULL;
    if (!widths)
        return false;
    int last = -1;
    for (unsigned c = 0; c <= 0xFFFF; c++) {
        if (!is_used(df, c))
            continue;
        if (!run || (int)c != last + 1) {
            run = HPDF_Array_New(w->pdf->mmgr);
            if (!run || HPDF_Array_AddNumber(widths, (HPDF_INT32)c) != HPDF_OK ||
                HPDF_Array_Add(widths, run) != HPDF_OK)
                return false;
        }
        HPDF_Array_AddNumber(run, HPDF_TTFontDef_GetCharWidth(def, (HPDF_UNICODE)c));
        last = (int)c;
    }
    if (!fa->descendant_font ||
        HPDF_Dict_Add(fa->descendant_font, "W", widths) != HPDF_OK)
        return false;
    if (fa->map_stream && fa->map_stream->stream) {
        HPDF_MemStream_FreeData(fa->map_stream->stream);
        for (int c = 0; c <= last; c++) {
            HPDF_UINT16 gid = is_used(df, (unsigned)c)
                                  ? HPDF_TTFontDef_GetGlyphid(def, (HPDF_UNICODE)c) : 0;
            HPDF_BYTE be[2] = {(HPDF_BYTE)(gid >> 8), (HPDF_BYTE)gid};
            HPDF_Stream_Write(fa->map_stream->stream, be, 2);
        }
    }
    return proc.error == HPDF_OK;
}

static bool fonts_finish(wctx *w)
{
    GHashTableIter it;
    gpointer df;
    g_hash_table_iter_init(&it, w->fonts);
    while (g_hash_table_iter_next(&it, NULL, &df))
        if (!font_finish(w, df))
            return false;
    return true;
}

/* How a run's font is set: the document's font, Tf size and the text matrix per point
 * (the shear of a synthetic oblique), and whether Pango asked for synthetic bold. */
typedef struct {
    doc_font *df;
    HPDF_Font font;
    double size;
    double a, b, c, d;
    bool embolden;
} run_font;

static bool run_font_get(wctx *w, PangoFont *pf, run_font *rf)
{
    FcPattern *pat = NULL;
    const char *file = font_file(pf, &pat);
    const char *name = file ? font_load(w, file) : NULL;
    if (!name)
        return false;
    doc_font *df = g_hash_table_lookup(w->fonts, name);
    if (!df) {
        HPDF_Font font = HPDF_GetFont(w->pdf, name, "UTF-8");
        if (!font)
            return false;
        df = g_new0(doc_font, 1);
        df->font = font;
        g_hash_table_insert(w->fonts, (gpointer)name, df);
    }
    /* The font matrix pangocairo draws with: size, and the shear Pango adds for a
     * synthetic oblique. cairo's font space is y-down, PDF's text space y-up. */
    cairo_matrix_t m;
    cairo_scaled_font_t *sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(pf));
    if (!sf)
        return false;
    cairo_scaled_font_get_font_matrix(sf, &m);
    double size = fabs(m.yy);
    if (!(size > 0) || !isfinite(size))
        return false;
    rf->df = df;
    rf->font = df->font;
    rf->size = fmin(size, HPDF_MAX_FONTSIZE); /* larger sizes go into the matrix */
    rf->a = m.xx / rf->size;
    rf->b = -m.yx / rf->size;
    rf->c = -m.xy / rf->size;
    rf->d = m.yy / rf->size;
    FcBool emb = FcFalse;
    rf->embolden = pat && FcPatternGetBool(pat, FC_EMBOLDEN, 0, &emb) == FcResultMatch &&
                   emb;
    return true;
}

/* ---- text ------------------------------------------------------------------------ */

/* The colour of a run: the item's, unless the layout's attributes give one. */
static cp_rgba run_color(const PangoGlyphItem *run, cp_rgba c)
{
    for (GSList *l = run->item->analysis.extra_attrs; l; l = l->next) {
        const PangoAttribute *a = l->data;
        if (a->klass->type == PANGO_ATTR_FOREGROUND) {
            const PangoColor *pc = &((const PangoAttrColor *)a)->color;
            c.r = pc->red / 65535.0;
            c.g = pc->green / 65535.0;
            c.b = pc->blue / 65535.0;
        } else if (a->klass->type == PANGO_ATTR_FOREGROUND_ALPHA) {
            c.a = ((const PangoAttrInt *)a)->value / 65535.0;
        }
    }
    return c;
}

/* Clusters waiting to be drawn with one operator. */
typedef struct {
    bool open;
    int end;          /* byte after the last cluster */
    double x, y;      /* where the first cluster starts (PDF space) */
    double next_x;    /* where libharu's advances put the next cluster */
} chunk;

static void chunk_flush(wctx *w, const run_font *rf, chunk *ch)
{
    if (!ch->open)
        return;
    ch->open = false;
    /* Absolute positioning (Tm) for every chunk: nothing accumulates along a line. */
    HPDF_Page_SetTextMatrix(w->page, (HPDF_REAL)rf->a, (HPDF_REAL)rf->b, (HPDF_REAL)rf->c,
                            (HPDF_REAL)rf->d, (HPDF_REAL)ch->x, (HPDF_REAL)ch->y);
    HPDF_Page_ShowText(w->page, w->chunk->str);
    g_string_truncate(w->chunk, 0);
}

/* Advance libharu gives a piece of text, in points. */
static double haru_advance(const run_font *rf, const char *s, size_t len)
{
    HPDF_TextWidth tw =
        HPDF_Font_TextWidth(rf->font, (const HPDF_BYTE *)s, (HPDF_UINT)len);
    return tw.width / 1000.0 * rf->size * rf->a;
}

/* Glyph indices [*g0, *g1) of the cluster the iterator is on, in visual order. */
static void cluster_glyphs(const PangoGlyphItemIter *ci, int *g0, int *g1)
{
    if (ci->start_glyph <= ci->end_glyph) {
        *g0 = ci->start_glyph;
        *g1 = ci->end_glyph;
    } else {
        *g0 = ci->end_glyph + 1;
        *g1 = ci->start_glyph + 1;
    }
}

/* Draws one run whose first glyph's origin is (x, y) (display-list space, on the
 * baseline), cluster by cluster. */
static void draw_run(wctx *w, const char *text, PangoGlyphItem *run, double x, double y,
                     const run_font *rf)
{
    const PangoGlyphString *gs = run->glyphs;
    int n = gs->num_glyphs;
    int *pos = g_new(int, n + 1);
    pos[0] = 0;
    for (int i = 0; i < n; i++)
        pos[i + 1] = pos[i] + gs->glyphs[i].geometry.width;
    chunk ch = {0};
    PangoGlyphItemIter ci;
    for (gboolean more = pango_glyph_item_iter_init_start(&ci, run, text); more;
         more = pango_glyph_item_iter_next_cluster(&ci)) {
        int g0, g1, drawn = 0;
        cluster_glyphs(&ci, &g0, &g1);
        for (int g = g0; g < g1; g++)
            drawn += gs->glyphs[g].glyph != PANGO_GLYPH_EMPTY;
        const char *s = text + ci.start_index;
        size_t len = (size_t)(ci.end_index - ci.start_index);
        if (drawn == 0 || len == 0) { /* newlines, zero-width characters */
            chunk_flush(w, rf, &ch);
            continue;
        }
        const PangoGlyphGeometry *geo = &gs->glyphs[g0].geometry;
        double cx = x + (pos[g0] + geo->x_offset) / (double)PANGO_SCALE;
        double cy = Y(w, y + geo->y_offset / (double)PANGO_SCALE);
        double adv = haru_advance(rf, s, len);
        if (!(ch.open && ci.start_index == ch.end && cy == ch.y &&
              fabs(ch.next_x - cx) <= POS_TOLERANCE)) {
            chunk_flush(w, rf, &ch);
            ch = (chunk){true, ci.start_index, cx, cy, cx};
        }
        g_string_append_len(w->chunk, s, (gssize)len);
        mark_used(rf->df, s, len);
        /* A hyphen Pango added at a break inside a word has no character of its own. */
        if (drawn > (int)g_utf8_strlen(s, (gssize)len)) {
            g_string_append_c(w->chunk, '-');
            mark_used(rf->df, "-", 1);
        }
        ch.end = ci.end_index;
        ch.next_x += adv;
    }
    chunk_flush(w, rf, &ch);
    g_free(pos);
}

static void draw_text_run(wctx *w, const dl_item *it, const char *text,
                          PangoGlyphItem *run, double x, double y)
{
    run_font rf;
    if (!run_font_get(w, run->item->analysis.font, &rf)) {
        w->failed = true;
        return;
    }
    cp_rgba c = run_color(run, it->fill);
    if (!(c.a > 0))
        return;
    HPDF_Page_GSave(w->page);
    set_alpha(w, c.a, c.a);
    set_fill(w, c);
    if (rf.embolden) {
        /* cairo emboldens outlines by 1/24 em in total: a stroke that wide, half on
         * each side, looks the same. */
        set_stroke(w, c);
        HPDF_Page_SetLineWidth(w->page, (HPDF_REAL)(rf.size * fabs(rf.d) / 24));
    }
    HPDF_Page_BeginText(w->page);
    HPDF_Page_SetFontAndSize(w->page, rf.font, (HPDF_REAL)rf.size);
    if (rf.embolden)
        HPDF_Page_SetTextRenderingMode(w->page, HPDF_FILL_THEN_STROKE);
    draw_run(w, text, run, x, y, &rf);
    HPDF_Page_EndText(w->page);
    HPDF_Page_GRestore(w->page);
}

/* Walks the layout the way pango_renderer_draw_layout does, so every run starts where
 * pangocairo starts it. */
static void draw_text(wctx *w, const dl_item *it)
{
    if (!it->layout)
        return;
    const char *text = pango_layout_get_text(it->layout);
    PangoLayoutIter *iter = pango_layout_get_iter(it->layout);
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(iter);
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(iter, NULL, &logical);
        int baseline = pango_layout_iter_get_baseline(iter);
        int x_off = 0;
        for (GSList *l = line ? line->runs : NULL; l; l = l->next) {
            PangoGlyphItem *run = l->data;
            x_off += run->start_x_offset;
            draw_text_run(w, it, text, run,
                          it->x + (logical.x + x_off) / (double)PANGO_SCALE,
                          it->y + (baseline - run->y_offset) / (double)PANGO_SCALE);
            x_off += pango_glyph_string_get_width(run->glyphs) + run->end_x_offset;
        }
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
}

/* ---- links and destinations ------------------------------------------------------ */

/* An XYZ destination at (x, y) that keeps the reader's zoom, like cairo's. libharu
 * rejects zoom 0 ("unchanged") and negative coordinates: it gets zoom 1, then the
 * number is set to 0 in the array. */
static HPDF_Destination dest_new(wctx *w, HPDF_Page page, double h, double x, double y)
{
    /* libharu makes it an indirect object: the name tree, links and outline entries
     * can all refer to it. */
    HPDF_Destination d = HPDF_Page_CreateDestination(page);
    if (!d)
        return NULL;
    double left = fmax(0, isfinite(x) ? x : 0), top = fmax(0, h - (isfinite(y) ? y : 0));
    if (HPDF_Destination_SetXYZ(d, (HPDF_REAL)left, (HPDF_REAL)top, 1) != HPDF_OK)
        return NULL;
    HPDF_Real zoom = HPDF_Array_GetItem(d, 4, HPDF_OCLASS_REAL);
    if (zoom)
        zoom->value = 0;
    return d;
}

/* Every DL_DEST of the document, by name (the first of a name wins), before any page
 * is drawn: links may point forward. */
static bool collect_dests(wctx *w, const dl_doc *doc)
{
    for (size_t i = 0; i < dl_page_count(doc); i++) {
        const dl_page *p = dl_page_get(doc, i);
        for (size_t j = 0; j < p->items.len; j++) {
            const dl_item *it = p->items.items[j];
            if (it->kind != DL_DEST || !it->dest || !*it->dest ||
                g_hash_table_contains(w->dests, it->dest))
                continue;
            HPDF_Destination d = dest_new(w, w->pages[i], p->height, it->x, it->y);
            if (!d)
                return false;
            g_hash_table_insert(w->dests, (gpointer)it->dest, d);
        }
    }
    return true;
}

/* The names dictionary of the catalog, made on first use. */
static HPDF_NameDict names_dict(wctx *w)
{
    HPDF_NameDict names = HPDF_Catalog_GetNames(w->pdf->catalog);
    if (!names) {
        names = HPDF_NameDict_New(w->pdf->mmgr, w->pdf->xref);
        if (!names || HPDF_Catalog_SetNames(w->pdf->catalog, names) != HPDF_OK)
            return NULL;
    }
    return names;
}

/* Appends one key and value to a name tree. Keys must come in byte order: libharu's
 * own HPDF_NameTree_Add sorts with a broken insertion (in 2.3.0 it loses values and
 * misorders keys), so callers sort and this only appends. */
static bool name_tree_append(wctx *w, HPDF_NameTree tree, const char *key, void *value)
{
    HPDF_Array items = HPDF_Dict_GetItem(tree, "Names", HPDF_OCLASS_ARRAY);
    HPDF_String k = HPDF_String_New(w->pdf->mmgr, key, NULL);
    return items && k && HPDF_Array_Add(items, k) == HPDF_OK &&
           HPDF_Array_Add(items, value) == HPDF_OK;
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* /Names << /Dests ... >>: the named destinations, as cairo writes them (other tools
 * and links from outside the file can open "#name"). Keys sorted byte-wise, as name
 * trees require. */
static bool write_named_dests(wctx *w)
{
    if (g_hash_table_size(w->dests) == 0)
        return true;
    HPDF_NameDict names = names_dict(w);
    HPDF_NameTree tree = names ? HPDF_NameTree_New(w->pdf->mmgr, w->pdf->xref) : NULL;
    if (!tree || HPDF_Dict_Add(names, "Dests", tree) != HPDF_OK)
        return false;
    guint n = 0;
    gpointer *keys = g_hash_table_get_keys_as_array(w->dests, &n);
    qsort(keys, n, sizeof *keys, (int (*)(const void *, const void *))cmp_str);
    bool ok = true;
    for (guint i = 0; i < n && ok; i++)
        ok = name_tree_append(w, tree, keys[i], g_hash_table_lookup(w->dests, keys[i]));
    g_free(keys);
    return ok;
}

static void draw_link(wctx *w, const dl_item *it)
{
    double x0 = fmin(it->x, it->x + it->w), x1 = fmax(it->x, it->x + it->w);
    double y0 = fmin(it->y, it->y + it->h), y1 = fmax(it->y, it->y + it->h);
    HPDF_Rect r = {(HPDF_REAL)x0, (HPDF_REAL)Y(w, y1), (HPDF_REAL)x1,
                   (HPDF_REAL)Y(w, y0)};
    HPDF_Annotation a = NULL;
    if (it->uri && *it->uri) {
        a = HPDF_Page_CreateURILinkAnnot(w->page, r, it->uri);
    } else if (it->dest && *it->dest) {
        HPDF_Destination d = g_hash_table_lookup(w->dests, it->dest);
        if (!d)
            return; /* a link to nowhere is left out, not drawn dead */
        a = HPDF_Page_CreateLinkAnnot(w->page, r, d);
    }
    /* Without /Border [0 0 0] readers frame every link in black. */
    if (a)
        HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
}

/* ---- the libharu backend --------------------------------------------------------- */

static void haru_image(void *be, const dl_item *it)
{
    wctx *w = be;
    HPDF_Page_GSave(w->page);
    draw_image(w, it);
    HPDF_Page_GRestore(w->page);
}

static void haru_text(void *be, const dl_item *it)
{
    draw_text(be, it); /* each run keeps its own q/Q */
}

static void haru_link(void *be, const dl_item *it)
{
    draw_link(be, it);
}

static bool haru_failed(void *be)
{
    return proc.error != HPDF_OK || ((wctx *)be)->failed;
}

static void haru_page_ref(void *be, const dl_item *it, const rd_walk_state *walk);

/* Destinations are collected before drawing (collect_dests); libharu writes no
 * structure tree, so tags are dropped; templates are made with cairo only. */
static const rd_backend haru_backend = {
    .shape = haru_shape,
    .text = haru_text,
    .image = haru_image,
    .page_ref = haru_page_ref,
    .link = haru_link,
    .failed = haru_failed,
};

/* A region of another page (poster tiles, the assembly map): the page's items drawn
 * again under a clip and a transform, without its links (as cairo_out, which records
 * the page instead; libharu has no form XObjects, so each tile carries its own copy of
 * the drawing, sharing fonts and images). The y flip of the shown page is undone by
 * the matrix: its items are drawn with its own height. */
static void haru_page_ref(void *be, const dl_item *it, const rd_walk_state *walk)
{
    wctx *w = be;
    const dl_page *ref = it->ref;
    HPDF_Page_GSave(w->page);
    if (it->scale > 0 && it->w > 0 && it->h > 0) {
        double s = it->scale, href = ref->height, h = w->h;
        HPDF_Page_Rectangle(w->page, (HPDF_REAL)it->x, (HPDF_REAL)Y(w, it->y + it->h),
                            (HPDF_REAL)it->w, (HPDF_REAL)it->h);
        HPDF_Page_Clip(w->page);
        HPDF_Page_EndPath(w->page);
        HPDF_Page_Concat(w->page, (HPDF_REAL)s, 0, 0, (HPDF_REAL)s,
                         (HPDF_REAL)(it->x - s * it->ref_x),
                         (HPDF_REAL)(h - it->y - s * (href - it->ref_y)));
        w->h = href;
        rd_walk(&haru_backend, w, ref, RD_DRAW, NULL, NULL, walk);
        w->h = h;
    }
    HPDF_Page_GRestore(w->page);
}

static double clamp_size(double v)
{
    return isfinite(v) ? fmin(fmax(v, HPDF_MIN_PAGE_SIZE), HPDF_MAX_PAGE_SIZE) : 595;
}

static bool add_pages(wctx *w, const dl_doc *doc)
{
    for (size_t i = 0; i < dl_page_count(doc); i++) {
        const dl_page *p = dl_page_get(doc, i);
        HPDF_Page page = HPDF_AddPage(w->pdf);
        if (!page)
            return false;
        HPDF_Page_SetWidth(page, (HPDF_REAL)clamp_size(p->width));
        HPDF_Page_SetHeight(page, (HPDF_REAL)clamp_size(p->height));
        w->pages[i] = page;
    }
    return proc.error == HPDF_OK;
}

/* ---- document-level parts -------------------------------------------------------- */

/* One outline entry (rd_outline_fn), left out when its destination is not in the
 * document. */
static bool add_outline_entry(void *be, intptr_t parent, const char *title,
                              const char *dest, bool open, intptr_t *made)
{
    wctx *w = be;
    HPDF_Destination d = g_hash_table_lookup(w->dests, dest);
    if (!d)
        return false;
    HPDF_Outline e = HPDF_CreateOutline(w->pdf, (HPDF_Outline)parent, title,
                                        HPDF_GetEncoder(w->pdf, "UTF-8"));
    if (!e)
        return false; /* libharu's error handler has recorded why */
    HPDF_Outline_SetOpened(e, open);
    HPDF_Outline_SetDestination(e, d);
    *made = (intptr_t)e;
    return true;
}

/* Entries nested by the one rule (driver.h). */
static bool write_outline(wctx *w, const dl_doc *doc)
{
    rd_outline(doc, 1, (intptr_t)NULL, NULL, add_outline_entry, w);
    return proc.error == HPDF_OK;
}

/* Page labels by the one rule (pdf_labels.h). */
static bool write_page_labels(wctx *w, const dl_doc *doc)
{
    pdf_label_range *r;
    size_t n = pdf_label_ranges(doc, &r);
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        HPDF_Dict d;
        if (!r[i].text) {
            d = HPDF_PageLabel_New(w->pdf, HPDF_PAGE_NUM_STYLE_DECIMAL, (HPDF_INT)r[i].start,
                                   NULL);
        } else {
            d = HPDF_Dict_New(w->pdf->mmgr);
            HPDF_String s = HPDF_String_New(w->pdf->mmgr, r[i].text, NULL);
            ok = d && s && HPDF_Dict_Add(d, "P", s) == HPDF_OK;
        }
        ok = ok && d &&
             HPDF_Catalog_AddPageLabel(w->pdf->catalog, (HPDF_UINT)r[i].first_page, d) ==
                 HPDF_OK;
    }
    g_free(r);
    return ok && proc.error == HPDF_OK;
}

/* The document date by the one rule (pdf_date.h), in libharu's form. */
static HPDF_Date doc_date(const dl_meta *m)
{
    cp_pdf_date p;
    pdf_date_of(m->date, &p);
    HPDF_Date d = {.year = p.year, .month = p.month, .day = p.day, .hour = p.hour,
                   .minutes = p.minute, .seconds = p.second, .ind = p.zone,
                   .off_hour = p.zone_hour, .off_minutes = p.zone_minute};
    return d;
}

static void set_info(wctx *w, HPDF_InfoType key, const char *value)
{
    if (value && *value)
        HPDF_SetInfoAttr(w->pdf, key, value); /* UTF-16 via the current (UTF-8) encoder */
}

static bool write_metadata(wctx *w, const dl_meta *m)
{
    set_info(w, HPDF_INFO_TITLE, m->title);
    set_info(w, HPDF_INFO_AUTHOR, m->author);
    set_info(w, HPDF_INFO_SUBJECT, m->subject);
    set_info(w, HPDF_INFO_KEYWORDS, m->keywords);
    set_info(w, HPDF_INFO_CREATOR, m->creator);
    HPDF_Date d = doc_date(m);
    HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_CREATION_DATE, d);
    HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_MOD_DATE, d);
    return proc.error == HPDF_OK;
}

/* One embedded file as a /Filespec named `name`. Built by hand because
 * HPDF_AttachFile names the attachment after the full path and writes /Type /F instead
 * of /Filespec (qpdf warns). */
static HPDF_Dict filespec(wctx *w, const char *name, const char *data, size_t len)
{
    HPDF_MMgr mm = w->pdf->mmgr;
    HPDF_Dict spec = HPDF_Dict_New(mm), ef = HPDF_Dict_New(mm);
    HPDF_Dict params = HPDF_Dict_New(mm);
    if (!spec || !ef || !params || HPDF_Xref_Add(w->pdf->xref, spec) != HPDF_OK)
        return NULL;
    HPDF_Dict file = HPDF_DictStream_New(mm, w->pdf->xref);
    if (!file)
        return NULL;
    file->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_STATUS st =
        HPDF_Stream_Write(file->stream, (const HPDF_BYTE *)data, (HPDF_UINT)len);
    st += HPDF_Dict_AddName(file, "Type", "EmbeddedFile");
    st += HPDF_Dict_AddNumber(params, "Size", (HPDF_INT32)len);
    st += HPDF_Dict_Add(file, "Params", params);
    st += HPDF_Dict_AddName(spec, "Type", "Filespec");
    st += HPDF_Dict_Add(spec, "F", HPDF_String_New(mm, name, NULL));
    st += HPDF_Dict_Add(spec, "UF", HPDF_String_New(mm, name, NULL));
    st += HPDF_Dict_Add(ef, "F", file);
    st += HPDF_Dict_Add(spec, "EF", ef);
    return st == HPDF_OK ? spec : NULL;
}

/* The name of attachment slot i: given, or the file's base name. */
static const char *attach_name(const haru_options *opt, int i)
{
    const char *path = opt->attach_paths[i];
    if (opt->attach_names[i])
        return opt->attach_names[i];
    if (opt->attach_texts[i] || !path)
        return NULL;
    return strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
}

/* /Names << /EmbeddedFiles ... >>, entries in byte order of their names. */
static bool write_attachments(wctx *w, const haru_options *opt)
{
    int order[HARU_MAX_ATTACH], n = 0;
    for (int i = 0; i < HARU_MAX_ATTACH; i++) {
        if (!opt->attach_paths[i] && !opt->attach_texts[i])
            continue;
        const char *name = attach_name(opt, i);
        if (!name || !*name)
            return false;
        int j = n++;
        for (; j > 0 && strcmp(attach_name(opt, order[j - 1]), name) > 0; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
    if (n == 0)
        return true;
    HPDF_NameDict names = names_dict(w);
    HPDF_NameTree tree = names ? HPDF_NameTree_New(w->pdf->mmgr, w->pdf->xref) : NULL;
    if (!tree ||
        HPDF_NameDict_SetNameTree(names, HPDF_NAME_EMBEDDED_FILES, tree) != HPDF_OK)
        return false;
    for (int k = 0; k < n; k++) {
        int i = order[k];
        gchar *data = NULL;
        gsize len = 0;
        if (opt->attach_texts[i]) {
            data = g_strdup(opt->attach_texts[i]);
            len = strlen(data);
        } else if (!g_file_get_contents(opt->attach_paths[i], &data, &len, NULL)) {
            return false;
        }
        HPDF_Dict spec = filespec(w, attach_name(opt, i), data, len);
        g_free(data);
        if (!spec || !name_tree_append(w, tree, attach_name(opt, i), spec))
            return false;
    }
    return proc.error == HPDF_OK;
}

/* The /P value for revision 3: bits 7-8 and 13-32 must be set, and libharu writes the
 * number as given. Extraction for accessibility (bit 10) is always allowed so screen
 * readers work; printing includes high quality (bit 12); editing includes assembling
 * pages (bit 11); annotating includes filling in forms (bit 9). */
static HPDF_UINT permission_bits(unsigned perms)
{
    uint32_t p = 0xFFFFF0C0u | 0x200u;
    if (perms & HARU_PERM_PRINT)
        p |= 0x4u | 0x800u;
    if (perms & HARU_PERM_EDIT)
        p |= 0x8u | 0x400u;
    if (perms & HARU_PERM_COPY)
        p |= 0x10u;
    if (perms & HARU_PERM_ANNOTATE)
        p |= 0x20u | 0x100u;
    return (HPDF_UINT)p;
}

static bool write_encryption(wctx *w, const haru_options *opt)
{
    if (!opt->user_password)
        return true;
    /* Strongest mode libharu has: RC4 with a 128-bit key, security handler rev. 3. */
    return HPDF_SetPassword(w->pdf, opt->owner_password, opt->user_password) == HPDF_OK &&
           HPDF_SetEncryptionMode(w->pdf, HPDF_ENCRYPT_R3, 16) == HPDF_OK &&
           HPDF_SetPermission(w->pdf, permission_bits(opt->permissions)) == HPDF_OK;
}

/* libharu builds the file in memory; it is copied out in blocks. */
static bool save(HPDF_Doc pdf, FILE *out)
{
    if (HPDF_SaveToStream(pdf) != HPDF_OK || HPDF_ResetStream(pdf) != HPDF_OK)
        return false;
    HPDF_BYTE buf[16384];
    for (;;) {
        HPDF_UINT32 n = sizeof buf;
        HPDF_STATUS st = HPDF_ReadFromStream(pdf, buf, &n);
        if (n > 0 && fwrite(buf, 1, n, out) != n)
            return false;
        if (st == HPDF_STREAM_EOF || n == 0)
            return true;
        if (st != HPDF_OK)
            return false;
    }
}

static bool options_ok(const haru_options *opt)
{
    if (!opt->user_password)
        return true;
    const char *why;
    return haru_password_ok(opt->user_password, &why) && opt->owner_password &&
           haru_password_ok(opt->owner_password, &why) &&
           strcmp(opt->user_password, opt->owner_password) != 0;
}

/* Pages exist already (add_pages): drawing one starts by selecting it. */
static void haru_begin_page(void *be, size_t index, const dl_page *p)
{
    wctx *w = be;
    w->page = w->pages[index];
    w->h = clamp_size(p->height);
}

static bool draw_document(wctx *w, const dl_doc *doc, const haru_options *opt)
{
    HPDF_SetCompressionMode(w->pdf, HPDF_COMP_ALL);
    if (HPDF_SetCurrentEncoder(w->pdf, "UTF-8") != HPDF_OK || !add_pages(w, doc) ||
        !collect_dests(w, doc))
        return false;
    rd_backend b = haru_backend;
    b.begin_page = haru_begin_page;
    rd_document(&b, w, doc, RD_DRAW | RD_LINKS);
    return !w->failed && proc.error == HPDF_OK && write_named_dests(w) &&
           write_outline(w, doc) && write_page_labels(w, doc) &&
           write_metadata(w, &doc->meta) && write_attachments(w, opt) &&
           write_encryption(w, opt) && fonts_finish(w) && proc.error == HPDF_OK;
}

bool haru_write_pdf(const dl_doc *doc, FILE *out, const haru_options *opt)
{
    static const haru_options none;
    if (!opt)
        opt = &none;
    size_t n = dl_page_count(doc);
    if (n == 0 || !options_ok(opt))
        return false;
    HPDF_Doc pdf = handle_open();
    if (!pdf)
        return false;
    wctx w = {
        .pdf = pdf,
        .pages = g_new0(HPDF_Page, n),
        .dests = g_hash_table_new(g_str_hash, g_str_equal),
        .images = g_hash_table_new(g_str_hash, g_str_equal),
        .gstates = g_hash_table_new(g_direct_hash, g_direct_equal),
        .fonts = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free),
        .chunk = g_string_new(NULL),
    };
    bool ok = draw_document(&w, doc, opt) && save(pdf, out) && proc.error == HPDF_OK;
    g_free(w.pages);
    g_hash_table_destroy(w.dests);
    g_hash_table_destroy(w.images);
    g_hash_table_destroy(w.gstates);
    g_hash_table_destroy(w.fonts);
    g_string_free(w.chunk, TRUE);
    if (ok)
        HPDF_FreeDoc(pdf); /* the document's memory now; the fonts stay for the next */
    else
        haru_release(); /* an error state is not worth trusting: start afresh */
    return fflush(out) == 0 && !ferror(out) && ok;
}

/* ---- options --------------------------------------------------------------------- */

bool haru_password_ok(const char *password, const char **why)
{
    return pdf_password_ok(password, why);
}

/* ---- what libharu cannot draw ---------------------------------------------------- */

/* Scripts whose text is garbled without shaping (reordering, joining, conjuncts, mark
 * positioning) or that are right to left. */
static const struct {
    GUnicodeScript script;
    const char *name;
} SHAPED_SCRIPTS[] = {
    {G_UNICODE_SCRIPT_ARABIC, "Arabic"}, {G_UNICODE_SCRIPT_HEBREW, "Hebrew"},
    {G_UNICODE_SCRIPT_SYRIAC, "Syriac"}, {G_UNICODE_SCRIPT_THAANA, "Thaana"},
    {G_UNICODE_SCRIPT_NKO, "N'Ko"}, {G_UNICODE_SCRIPT_DEVANAGARI, "Devanagari"},
    {G_UNICODE_SCRIPT_BENGALI, "Bengali"}, {G_UNICODE_SCRIPT_GURMUKHI, "Gurmukhi"},
    {G_UNICODE_SCRIPT_GUJARATI, "Gujarati"}, {G_UNICODE_SCRIPT_ORIYA, "Odia"},
    {G_UNICODE_SCRIPT_TAMIL, "Tamil"}, {G_UNICODE_SCRIPT_TELUGU, "Telugu"},
    {G_UNICODE_SCRIPT_KANNADA, "Kannada"}, {G_UNICODE_SCRIPT_MALAYALAM, "Malayalam"},
    {G_UNICODE_SCRIPT_SINHALA, "Sinhala"}, {G_UNICODE_SCRIPT_THAI, "Thai"},
    {G_UNICODE_SCRIPT_LAO, "Lao"}, {G_UNICODE_SCRIPT_TIBETAN, "Tibetan"},
    {G_UNICODE_SCRIPT_MYANMAR, "Myanmar"}, {G_UNICODE_SCRIPT_KHMER, "Khmer"},
    {G_UNICODE_SCRIPT_MONGOLIAN, "Mongolian"}, {G_UNICODE_SCRIPT_JAVANESE, "Javanese"},
    {G_UNICODE_SCRIPT_BALINESE, "Balinese"},
};

static const char *shaped_script(gunichar c)
{
    GUnicodeScript s = g_unichar_get_script(c);
    for (size_t i = 0; i < G_N_ELEMENTS(SHAPED_SCRIPTS); i++)
        if (SHAPED_SCRIPTS[i].script == s)
            return SHAPED_SCRIPTS[i].name;
    return NULL;
}

/* The start of a text for a message: one line, at most 24 characters, "…" if cut. */
static char *excerpt(const char *text)
{
    GString *s = g_string_new(NULL);
    int n = 0;
    const char *p = text;
    for (; *p && n < 24; p = g_utf8_next_char(p), n++) {
        gunichar c = g_utf8_get_char(p);
        if (c == '\n' || c == '\t' || c == '\r')
            c = ' ';
        if (c == '"')
            g_string_append_c(s, '\\');
        g_string_append_unichar(s, c);
    }
    if (*p)
        g_string_append(s, "…");
    return g_string_free(s, FALSE);
}

/* TrueType with glyf outlines ("\0\1\0\0" or "true"), what libharu can embed; CFF
 * (.otf, "OTTO") and collections ("ttcf") it cannot. */
static bool truetype_file(const char *path)
{
    unsigned char head[4];
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    bool ok = fread(head, 1, 4, f) == 4 &&
              (!memcmp(head, "\0\1\0\0", 4) || !memcmp(head, "true", 4));
    fclose(f);
    return ok;
}

static char why_buf[512];

/* False (with why_buf set) when a character of the text cannot be drawn. */
static bool text_chars_ok(const char *text)
{
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        const char *script = shaped_script(c);
        char *ex = NULL;
        if (script) {
            ex = excerpt(text);
            snprintf(why_buf, sizeof why_buf, "text \"%s\" is in %s, which the haru "
                     "writer cannot shape; use --backend cairo", ex, script);
        } else if (c > 0xFFFF) {
            ex = excerpt(text);
            snprintf(why_buf, sizeof why_buf, "text \"%s\" has the character U+%04X, "
                     "which the haru writer cannot encode (it handles U+0000 to U+FFFF "
                     "only); use --backend cairo", ex, (unsigned)c);
        }
        if (ex) {
            g_free(ex);
            return false;
        }
    }
    return true;
}

/* Every run's font is a TrueType file libharu can embed. */
static bool text_fonts_ok(PangoLayout *l, const char *text, GHashTable *checked)
{
    for (GSList *ln = pango_layout_get_lines_readonly(l); ln; ln = ln->next) {
        const PangoLayoutLine *line = ln->data;
        for (GSList *r = line->runs; r; r = r->next) {
            const PangoGlyphItem *run = r->data;
            const char *file = font_file(run->item->analysis.font, NULL);
            if (file && g_hash_table_contains(checked, file))
                continue;
            if (file && truetype_file(file)) {
                g_hash_table_add(checked, g_strdup(file));
                continue;
            }
            char *ex = excerpt(text);
            snprintf(why_buf, sizeof why_buf, "text \"%s\" uses the font %s, which is "
                     "not a TrueType (glyf) font the haru writer can embed; use "
                     "--backend cairo", ex, file ? file : "(not a font file)");
            g_free(ex);
            return false;
        }
    }
    return true;
}

bool haru_can_render(const dl_doc *doc, const char **why)
{
    GHashTable *checked = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    bool ok = true;
    for (size_t i = 0; i < dl_page_count(doc) && ok; i++) {
        const dl_page *p = dl_page_get(doc, i);
        for (size_t j = 0; j < p->items.len && ok; j++) {
            const dl_item *it = p->items.items[j];
            if (it->kind != DL_TEXT || !it->layout)
                continue;
            const char *text = pango_layout_get_text(it->layout);
            ok = text_chars_ok(text) && text_fonts_ok(it->layout, text, checked);
        }
    }
    g_hash_table_destroy(checked);
    if (why)
        *why = ok ? NULL : why_buf;
    return ok;
}
