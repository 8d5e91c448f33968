#include "fonts.h"

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/diag.h"
#include "../core/xalloc.h"

#define ICON_CACHE 64
#define ICON_FAMILY "FontAwesome"

typedef struct {
    uint32_t codepoint;
    dl_path path;
} icon_entry;

/* One fontconfig configuration with its Pango font map and context. */
typedef struct {
    FcConfig *config;
    PangoFontMap *map;
    PangoContext *context;
} font_set;

struct cp_fonts {
    char *dir;
    font_set bundled;        /* the fonts in the font folder */
    font_set fallback;       /* plus fallback.conf's folders: made on first need */
    bool fallback_tried;
    icon_entry **icons; /* entries never move: pieces keep pointers to their paths */
    size_t icon_len, icon_cap;
};

static const char FAMILIES[] =
    "Noto Sans, Noto Sans Devanagari, Noto Sans Tamil, Noto Sans Arabic";

/* fontconfig wants a cache directory; one per user outside the repository keeps runs
 * from writing into the data folder (which may be read-only once installed). */
static char *cache_dir(void)
{
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    char buf[4096];
    if (xdg && *xdg)
        snprintf(buf, sizeof buf, "%s/careerpdf-fonts", xdg);
    else if (home && *home)
        snprintf(buf, sizeof buf, "%s/.cache/careerpdf-fonts", home);
    else
        snprintf(buf, sizeof buf, "/tmp/careerpdf-fonts-%ld", (long)getuid());
    return xstrdup(buf);
}

static FcConfig *private_config(const char *fonts_dir, const char *extra_conf)
{
    FcConfig *config = FcConfigCreate();
    /* Out of memory is its only failure, and NULL would mean fontconfig's global setup. */
    if (!config)
        xalloc_die();
    char *cache = cache_dir();
    /* fontconfig looks a relative file name up in its own folders, not ours. */
    char real[PATH_MAX], conf_path[PATH_MAX + 16];
    snprintf(conf_path, sizeof conf_path, "%s/fonts.conf",
             realpath(fonts_dir, real) ? real : fonts_dir);
    /* The folder goes into XML: a '&' or '<' in $HOME must not break the document. */
    char *escaped = g_markup_escape_text(cache, -1);
    char xml[8192];
    snprintf(xml, sizeof xml,
             "<?xml version=\"1.0\"?><fontconfig><cachedir>%s</cachedir></fontconfig>",
             escaped);
    g_free(escaped);
    free(cache);
    FcConfigParseAndLoadFromMemory(config, (const FcChar8 *)xml, FcFalse);
    FcConfigParseAndLoad(config, (const FcChar8 *)conf_path, FcFalse);
    if (extra_conf) {
        snprintf(conf_path, sizeof conf_path, "%s/%s",
                 realpath(fonts_dir, real) ? real : fonts_dir, extra_conf);
        FcConfigParseAndLoad(config, (const FcChar8 *)conf_path, FcFalse);
    }
    /* Folders a configuration names with <dir> are read only when the set is built. */
    FcConfigBuildFonts(config);
    if (!FcConfigAppFontAddDir(config, (const FcChar8 *)fonts_dir)) {
        FcConfigDestroy(config);
        return NULL;
    }
    FcFontSet *set = FcConfigGetFonts(config, FcSetApplication);
    if (!set || set->nfont == 0) {
        FcConfigDestroy(config);
        return NULL;
    }
    return config;
}

static PangoContext *unhinted_context(PangoFontMap *map)
{
    PangoContext *ctx = pango_font_map_create_context(map);
    cairo_font_options_t *opts = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(opts, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx, opts);
    cairo_font_options_destroy(opts);
    pango_context_set_round_glyph_positions(ctx, FALSE);
    return ctx;
}

static bool font_set_open(font_set *fs, const char *fonts_dir, const char *extra_conf)
{
    fs->config = private_config(fonts_dir, extra_conf);
    if (!fs->config)
        return false;
    fs->map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fs->map), fs->config);
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(fs->map), 72.0);
    fs->context = unhinted_context(fs->map);
    return true;
}

static void font_set_close(font_set *fs)
{
    if (!fs->config)
        return;
    g_object_unref(fs->context);
    /* Pango keeps its own reference to the configuration until it is told to let go. */
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fs->map), NULL);
    g_object_unref(fs->map);
    FcConfigDestroy(fs->config);
}

cp_fonts *fonts_new(const char *fonts_dir)
{
    cp_fonts *f = xcalloc(1, sizeof *f);
    f->dir = xstrdup(fonts_dir);
    /* Pango warms fontconfig up in a thread of its own (FcInit), which would parse the
     * machine's whole configuration - a tenth of a report's start-up - only for us to
     * replace it. With ours current, FcInit has nothing to do. */
    FcConfig *probe = private_config(fonts_dir, NULL);
    if (probe) {
        FcConfigSetCurrent(probe);
        FcConfigDestroy(probe);   /* fontconfig holds its own reference */
    }
    if (!probe || !font_set_open(&f->bundled, fonts_dir, NULL)) {
        cp_loc loc = {fonts_dir, 0, 0};
        diag_error(&loc, NULL, "no usable font in the font folder, expected the bundled "
                               "TrueType fonts");
        free(f->dir);
        free(f);
        return NULL;
    }
    return f;
}

void fonts_free(cp_fonts *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->icon_len; i++) {
        free((void *)f->icons[i]->path.ops);
        free(f->icons[i]);
    }
    free(f->icons);
    font_set_close(&f->fallback);
    font_set_close(&f->bundled);
    free(f->dir);
    free(f);
}

PangoContext *fonts_fallback_context(cp_fonts *f)
{
    if (!f->fallback_tried) {
        f->fallback_tried = true;
        if (!font_set_open(&f->fallback, f->dir, "fallback.conf"))
            f->fallback = (font_set){0};
    }
    return f->fallback.context;
}

PangoContext *fonts_context(cp_fonts *f) { return f->bundled.context; }
const char *fonts_family_list(const cp_fonts *f) { (void)f; return FAMILIES; }

/* Copies cairo's path into our own op list, moved and scaled so that the glyph's ink
 * box is centred in the unit square: every icon then fills the same box. */
static bool path_from_cairo(cairo_path_t *cp, double x0, double y0, double x1, double y1,
                            dl_path *out)
{
    double w = x1 - x0, h = y1 - y0;
    double size = w > h ? w : h;
    if (size <= 0)
        return false;
    double dx = (size - w) / 2 - x0, dy = (size - h) / 2 - y0;
    dl_path_op *ops = xcalloc((size_t)cp->num_data, sizeof *ops);
    size_t n = 0;
    for (int i = 0; i < cp->num_data; i += cp->data[i].header.length) {
        cairo_path_data_t *d = &cp->data[i];
        dl_path_op *op = &ops[n++];
        int points = 0;
        switch (d->header.type) {
        case CAIRO_PATH_MOVE_TO: op->op = PATH_MOVE; points = 1; break;
        case CAIRO_PATH_LINE_TO: op->op = PATH_LINE; points = 1; break;
        case CAIRO_PATH_CURVE_TO: op->op = PATH_CURVE; points = 3; break;
        case CAIRO_PATH_CLOSE_PATH: op->op = PATH_CLOSE; break;
        }
        for (int k = 0; k < points; k++) {
            op->pts[2 * k] = (d[1 + k].point.x + dx) / size;
            op->pts[2 * k + 1] = (d[1 + k].point.y + dy) / size;
        }
    }
    out->ops = ops;
    out->len = n;
    return true;
}

static bool trace_icon(cp_fonts *f, uint32_t codepoint, dl_path *out)
{
    char utf8[8] = {0};
    g_unichar_to_utf8(codepoint, utf8);
    PangoLayout *layout = pango_layout_new(f->bundled.context);
    PangoFontDescription *desc = pango_font_description_from_string(ICON_FAMILY " 100");
    pango_layout_set_font_description(layout, desc);
    pango_font_description_free(desc);
    pango_layout_set_text(layout, utf8, -1);
    bool ok = pango_layout_get_unknown_glyphs_count(layout) == 0;

    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_ALPHA, NULL);
    cairo_t *cr = cairo_create(s);
    pango_cairo_layout_path(cr, layout);
    double x0, y0, x1, y1;
    cairo_fill_extents(cr, &x0, &y0, &x1, &y1);
    cairo_path_t *cp = cairo_copy_path(cr);
    ok = ok && cp->status == CAIRO_STATUS_SUCCESS && path_from_cairo(cp, x0, y0, x1, y1, out);
    cairo_path_destroy(cp);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    g_object_unref(layout);
    return ok;
}

const dl_path *fonts_icon(cp_fonts *f, uint32_t codepoint)
{
    for (size_t i = 0; i < f->icon_len; i++)
        if (f->icons[i]->codepoint == codepoint)
            return &f->icons[i]->path;
    dl_path path;
    if (!trace_icon(f, codepoint, &path))
        return NULL;
    if (f->icon_len == f->icon_cap) {
        f->icon_cap = f->icon_cap ? f->icon_cap * 2 : ICON_CACHE;
        f->icons = xrealloc(f->icons, f->icon_cap * sizeof *f->icons);
    }
    icon_entry *e = xmalloc(sizeof *e);
    *e = (icon_entry){codepoint, path};
    f->icons[f->icon_len++] = e;
    return &e->path;
}
