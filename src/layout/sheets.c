/* sheets.c - posters tiled onto office paper, bleed and crop marks (see sheets.h). */
#include "sheets.h"

#include <math.h>
#include <string.h>

#include "../core/diag.h"
#include "text.h"
#include "theme.h"

#define MM (72.0 / 25.4)

static const cp_rgba INK = {0.13, 0.13, 0.13, 1};    /* labels and instructions */
static const cp_rgba MARK = {0, 0, 0, 1};            /* cut and crop marks */
/* Tiles on the assembly map: neutral, so --grayscale output stays grey. */
static const cp_rgba GRID = {0.1, 0.1, 0.1, 1};
static const cp_rgba WHITE = {1, 1, 1, 1};

/* --- small drawing helpers ----------------------------------------------------------- */

/* A line of text in the bundled sans; `width` > 0 wraps. The layout is owned by the
 * page item (dl_text takes its own reference). */
static double put_label(dl_doc *d, dl_page *p, cp_fonts *fonts, const char *text,
                        double size, bool bold, double x, double y, double width,
                        cp_rgba color)
{
    PangoLayout *l = pango_layout_new(fonts_context(fonts));
    PangoFontDescription *fd = pango_font_description_from_string(fonts_family_list(fonts));
    pango_font_description_set_size(fd, (int)(size * PANGO_SCALE + 0.5));
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD);
    }
    pango_layout_set_text(l, text, -1);
    dl_text(d, p, l, x, y, color);
    PangoRectangle r;
    pango_layout_get_extents(l, NULL, &r);
    g_object_unref(l);
    return (double)r.height / PANGO_SCALE;
}

static double label_width(cp_fonts *fonts, const char *text, double size, bool bold)
{
    PangoLayout *l = pango_layout_new(fonts_context(fonts));
    PangoFontDescription *fd = pango_font_description_from_string(fonts_family_list(fonts));
    pango_font_description_set_size(fd, (int)(size * PANGO_SCALE + 0.5));
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(l, text, -1);
    PangoRectangle r;
    pango_layout_get_extents(l, NULL, &r);
    g_object_unref(l);
    return (double)r.width / PANGO_SCALE;
}

static void mark(dl_doc *d, dl_page *p, double x0, double y0, double x1, double y1)
{
    dl_line(d, p, x0, y0, x1, y1, MARK, 0.3);
}

/* Cut (crop) marks at the corners of a box: short strokes continuing its edges
 * outwards, starting `gap` away from the corner, `len` long. */
static void corner_marks(dl_doc *d, dl_page *p, double x, double y, double w, double h,
                         double gap, double len)
{
    const double xs[2] = {x, x + w}, ys[2] = {y, y + h};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            double sx = i ? 1 : -1, sy = j ? 1 : -1;
            mark(d, p, xs[i] + sx * gap, ys[j], xs[i] + sx * (gap + len), ys[j]);
            mark(d, p, xs[i], ys[j] + sy * gap, xs[i], ys[j] + sy * (gap + len));
        }
}

static dl_item *page_ref(dl_doc *d, dl_page *p, const dl_page *ref, double ref_x,
                         double ref_y, double scale, double x, double y, double w, double h)
{
    dl_item *it = dl_rect(d, p, x, y, w, h, (cp_rgba){0, 0, 0, 0}, 0);
    it->kind = DL_PAGE_REF;
    it->ref = ref;
    it->ref_x = ref_x;
    it->ref_y = ref_y;
    it->scale = scale;
    return it;
}

/* --- tiling -------------------------------------------------------------------------- */

/* Sheets along one side: each covers `part` of the page, and neighbours share `o`. */
static int sheets_along(double len, double part, double o)
{
    if (len <= part + 0.01)
        return 1;
    return (int)ceil((len - o) / (part - o) - 1e-9);
}

void sheets_grid(double w, double h, double sheet_w, double sheet_h, int *rows, int *cols)
{
    double part_w = sheet_w - 2 * SHEET_MARGIN_MM * MM;
    double part_h = sheet_h - 2 * SHEET_MARGIN_MM * MM;
    *cols = sheets_along(w, part_w, SHEET_OVERLAP_MM * MM);
    *rows = sheets_along(h, part_h, SHEET_OVERLAP_MM * MM);
}

typedef struct {
    dl_doc *out;
    cp_fonts *fonts;
    cp_ctx *ctx;             /* for label(): the sheets' words come from the strings file */
    const dl_page *page;     /* the poster page being tiled */
    int page_no, pages;      /* 1-based, for labels of documents with several pages */
    const char *paper, *title;
    double sw, sh;           /* sheet size, points, in the chosen orientation */
    double part_w, part_h;   /* the share of the poster on one sheet */
    int rows, cols;
} tiling;

/* Rows are letters (AA after Z), columns numbers, as on a street map: "B3". */
static const char *row_name(cp_arena *a, int row)
{
    char rev[8], name[8];
    int n = 0;
    for (int r = row + 1; r > 0 && n < 6; r = (r - 1) / 26)
        rev[n++] = (char)('A' + (r - 1) % 26);
    for (int i = 0; i < n; i++)
        name[i] = rev[n - 1 - i];
    name[n] = '\0';
    return arena_strdup(a, name);
}

static const char *tile_name(cp_arena *a, int row, int col)
{
    return arena_printf(a, "%s%d", row_name(a, row), col + 1);
}

/* "p2 " before sheet names when the document has several pages. */
static const char *page_prefix(const tiling *t)
{
    if (t->pages <= 1)
        return "";
    const char *n = arena_printf(t->out->arena, "%d", t->page_no);
    return arena_printf(t->out->arena, "%s ", label(t->ctx, "sheets.page", "page", n));
}

/* Ticks in the margins where the next sheet's edge will lie: glue it there. */
static void overlap_marks(const tiling *t, dl_page *p, double x, double y, double w,
                          double h, bool right, bool below)
{
    double o = SHEET_OVERLAP_MM * MM, gap = 1.5 * MM, len = 5.5 * MM;
    if (right) {
        dl_item *a = dl_line(t->out, p, x + w - o, y - gap, x + w - o, y - gap - len, MARK,
                             0.3);
        dl_item *b = dl_line(t->out, p, x + w - o, y + h + gap, x + w - o,
                             y + h + gap + len, MARK, 0.3);
        a->dash = b->dash = 1.5;
    }
    if (below) {
        dl_item *a = dl_line(t->out, p, x - gap, y + h - o, x - gap - len, y + h - o, MARK,
                             0.3);
        dl_item *b = dl_line(t->out, p, x + w + gap, y + h - o, x + w + gap + len,
                             y + h - o, MARK, 0.3);
        a->dash = b->dash = 1.5;
    }
}

static void tile_sheet(const tiling *t, int r, int c)
{
    cp_arena *a = t->out->arena;
    double m = SHEET_MARGIN_MM * MM, o = SHEET_OVERLAP_MM * MM;
    double rx = c * (t->part_w - o), ry = r * (t->part_h - o);
    double w = fmin(t->part_w, t->page->width - rx);
    double h = fmin(t->part_h, t->page->height - ry);
    dl_page *p = dl_page_add(t->out, t->sw, t->sh);
    const char *name = tile_name(a, r, c);
    p->label = arena_printf(a, "%s%s", page_prefix(t), name);
    /* The poster's part and the marks are page furniture (artifacts): the poster's
     * text is read once, on the map. */
    page_ref(t->out, p, t->page, rx, ry, 1, m, m, w, h);
    corner_marks(t->out, p, m, m, w, h, 1.5 * MM, 5.5 * MM);
    overlap_marks(t, p, m, m, w, h, c + 1 < t->cols, r + 1 < t->rows);
    /* The label sits in the top margin, clear of the marks at the corners. */
    const char *id = arena_printf(a, "%s%s", page_prefix(t), name);
    double x = m + 8 * MM, y = 3.2 * MM;
    dl_tag_begin(t->out, p, "P");
    put_label(t->out, p, t->fonts, id, 9, true, x, y - 0.6, 0, INK);
    x += label_width(t->fonts, id, 9, true) + 2.5 * MM;
    const char *where = arena_printf(
        a, "%s  ·  %s  ·  %s",
        label(t->ctx, "sheets.position", "row", row_name(a, r), "last_row",
              row_name(a, t->rows - 1), "column", arena_printf(a, "%d", c + 1), "columns",
              arena_printf(a, "%d", t->cols)),
        t->title, label(t->ctx, "sheets.trim"));
    put_label(t->out, p, t->fonts, where, 6.5, false, x, y + 0.8, t->sw - x - m - 8 * MM,
              INK);
    dl_tag_end(t->out, p);
}

/* The assembly map: the poster small, the sheets drawn over it with their names,
 * and how to put them together. */
static void map_sheet(const tiling *t)
{
    cp_arena *a = t->out->arena;
    double m = SHEET_MARGIN_MM * MM, o = SHEET_OVERLAP_MM * MM, w = t->sw - 2 * m;
    dl_page *p = dl_page_add(t->out, t->sw, t->sh);
    p->label = arena_printf(a, "%smap", page_prefix(t));
    double y = m;
    const char *heading = arena_printf(a, "%s%s", page_prefix(t),
                                       label(t->ctx, "sheets.map"));
    dl_tag_begin(t->out, p, "H1");
    y += put_label(t->out, p, t->fonts, heading, 16, true, m, y, w, INK) + 2 * MM;
    dl_tag_end(t->out, p);
    const char *what = label(
        t->ctx, "sheets.summary", "title", t->title,
        "width", arena_printf(a, "%.0f", t->page->width / MM),
        "height", arena_printf(a, "%.0f", t->page->height / MM),
        "sheets", arena_printf(a, "%d", t->rows * t->cols), "paper", t->paper,
        "rows", arena_printf(a, "%d", t->rows), "columns", arena_printf(a, "%d", t->cols),
        "overlap", arena_printf(a, "%.0f", SHEET_OVERLAP_MM));
    dl_tag_begin(t->out, p, "P");
    y += put_label(t->out, p, t->fonts, what, 9, false, m, y, w, INK) + 5 * MM;
    dl_tag_end(t->out, p);
    /* The poster as large as the space between the heading and the steps allows: drawn
     * with its structure, so that a screen reader reads the poster here, once; the grid
     * over it and the sheets' parts of it are furniture. */
    double room_h = t->sh - m - 34 * MM - y;
    double s = fmin(w / t->page->width, room_h / t->page->height);
    double pw = t->page->width * s, ph = t->page->height * s, x0 = m + (w - pw) / 2;
    page_ref(t->out, p, t->page, 0, 0, s, x0, y, pw, ph)->with_tags = true;
    /* The poster faded under the grid, so the sheets and their names stand out. */
    dl_rect(t->out, p, x0, y, pw, ph, (cp_rgba){1, 1, 1, 0.55}, 0);
    dl_frame(t->out, p, x0, y, pw, ph, (cp_rgba){0.6, 0.6, 0.65, 1}, 0.4, 0);
    for (int r = 0; r < t->rows; r++)
        for (int c = 0; c < t->cols; c++) {
            double rx = c * (t->part_w - o), ry = r * (t->part_h - o);
            double tw = fmin(t->part_w, t->page->width - rx);
            double th = fmin(t->part_h, t->page->height - ry);
            dl_frame(t->out, p, x0 + rx * s, y + ry * s, tw * s, th * s, GRID, 0.9, 0);
            const char *name = tile_name(a, r, c);
            double size = fmin(12, fmax(6, (t->part_w - o) * s / 4));
            double lw = label_width(t->fonts, name, size, true), lh = size * 1.35;
            double cx = x0 + (rx + (tw - (c + 1 < t->cols ? o : 0)) / 2) * s;
            double cy = y + (ry + (th - (r + 1 < t->rows ? o : 0)) / 2) * s;
            dl_rect(t->out, p, cx - lw / 2 - 2, cy - lh / 2, lw + 4, lh, WHITE, 2);
            put_label(t->out, p, t->fonts, name, size, true, cx - lw / 2, cy - lh / 2,
                      0, GRID);
        }
    /* How to put the sheets together, read after the poster. */
    const char *steps = arena_printf(a, "%s\n%s\n%s", label(t->ctx, "sheets.step_print"),
                                     label(t->ctx, "sheets.step_trim"),
                                     label(t->ctx, "sheets.step_glue"));
    dl_tag_begin(t->out, p, "P");
    put_label(t->out, p, t->fonts, steps, 8.5, false, m, t->sh - m - 30 * MM, w, INK);
    dl_tag_end(t->out, p);
}

/* Portrait or landscape sheets, whichever needs fewer (portrait on a tie). */
static void choose_orientation(tiling *t, double paper_w, double paper_h)
{
    int r1, c1, r2, c2;
    sheets_grid(t->page->width, t->page->height, paper_w, paper_h, &r1, &c1);
    sheets_grid(t->page->width, t->page->height, paper_h, paper_w, &r2, &c2);
    bool landscape = r2 * c2 < r1 * c1;
    t->sw = landscape ? paper_h : paper_w;
    t->sh = landscape ? paper_w : paper_h;
    t->rows = landscape ? r2 : r1;
    t->cols = landscape ? c2 : c1;
    t->part_w = t->sw - 2 * SHEET_MARGIN_MM * MM;
    t->part_h = t->sh - 2 * SHEET_MARGIN_MM * MM;
}

dl_doc *sheets_tile(dl_doc *doc, const char *paper, cp_fonts *fonts,
                    const cp_node *strings)
{
    double pw, ph;
    if (!paper_parse(paper, &pw, &ph)) {
        diag_error(NULL, NULL, "--tile '%s': unknown paper, expected A4, Letter or "
                   "WxH{mm,in}", paper);
        return NULL;
    }
    dl_doc *out = dl_doc_new(doc->arena);
    out->meta = doc->meta;
    /* Enough of a layout context for label(): the strings, no career and no theme, so
     * only the placeholders each key's schema lists (passed below) are filled. */
    cp_theme th = {0};
    cp_job job = {.strings = strings, .fonts = fonts};
    const char *lang = node_str(strings, "lang");
    cp_ctx ctx = {.a = doc->arena, .doc = out, .job = &job, .th = &th, .fonts = fonts,
                  .lang = lang ? lang : "en"};
    const char *title = doc->meta.title ? doc->meta.title : label(&ctx, "sheets.poster");
    for (size_t i = 0; i < dl_page_count(doc); i++) {
        tiling t = {.out = out, .fonts = fonts, .ctx = &ctx, .page = dl_page_get(doc, i),
                    .page_no = (int)i + 1, .pages = (int)dl_page_count(doc),
                    .paper = paper, .title = title};
        choose_orientation(&t, pw, ph);
        if (t.rows * t.cols == 1) {
            diag_error(NULL, NULL, "--tile %s: page %zu (%.0f × %.0f mm) already fits on one "
                       "%s sheet, expected a poster larger than the sheet (--paper A2)",
                       paper, i + 1, t.page->width / MM, t.page->height / MM, paper);
            return NULL;
        }
        map_sheet(&t);
        for (int r = 0; r < t.rows; r++)
            for (int c = 0; c < t.cols; c++)
                tile_sheet(&t, r, c);
    }
    return out;
}

/* --- bleed --------------------------------------------------------------------------- */

/* A rectangle touching an edge of the page is a background meant to run off it. */
static void extend_to_bleed(dl_item *it, double w, double h, double b)
{
    const double eps = 0.01;
    double x0 = it->x, y0 = it->y, x1 = it->x + it->w, y1 = it->y + it->h;
    if (x0 <= eps) x0 -= b;
    if (y0 <= eps) y0 -= b;
    if (x1 >= w - eps) x1 += b;
    if (y1 >= h - eps) y1 += b;
    it->x = x0;
    it->y = y0;
    it->w = x1 - x0;
    it->h = y1 - y0;
}

dl_doc *sheets_bleed(dl_doc *doc, double bleed_mm)
{
    /* Crop marks start just outside the bleed and run 5 mm into the slug. */
    double b = bleed_mm * MM, gap = b + 1 * MM, len = 5 * MM, e = gap + len + 1 * MM;
    dl_doc *out = dl_doc_new(doc->arena);
    out->meta = doc->meta;
    out->outline = doc->outline;
    for (size_t i = 0; i < dl_page_count(doc); i++) {
        const dl_page *src = dl_page_get(doc, i);
        dl_page *p = dl_page_add(out, src->width + 2 * e, src->height + 2 * e);
        p->label = src->label;
        for (size_t k = 0; k < src->items.len; k++) {
            dl_item *it = ARENA_NEW(doc->arena, dl_item);
            *it = *(const dl_item *)src->items.items[k];
            if (it->kind == DL_RECT)
                extend_to_bleed(it, src->width, src->height, b);
            it->x += e;
            it->y += e;
            vec_push(doc->arena, &p->items, it);
        }
        corner_marks(out, p, e, e, src->width, src->height, gap, len);
    }
    return out;
}
