#include "app.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/outfile.h"
#include "../core/xalloc.h"
#include "../layout/sheets.h"
#include "../render/cairo_out.h"
#include "../render/haru_out.h"
#include "../render/pdf_security.h"

/* --- finding the data ------------------------------------------------------------------ */

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Messages name files as the user would type them: relative to the working folder
 * when the data lives below it. */
static char *relative_to_cwd(char *path)
{
    char cwd[PATH_MAX], real[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd) || !realpath(path, real))
        return path;
    size_t n = strlen(cwd);
    if (!strcmp(real, cwd)) {
        free(path);
        return xstrdup(".");
    }
    if (!strncmp(real, cwd, n) && real[n] == '/') {
        free(path);
        return xstrdup(real + n + 1);
    }
    return path;
}

#ifndef CAREERPDF_DATADIR
#define CAREERPDF_DATADIR "/usr/local/share/careerpdf"
#endif

static bool holds_data(const char *dir)
{
    char probe[PATH_MAX + 32];
    snprintf(probe, sizeof probe, "%s/content/careers", dir);
    return is_dir(probe);
}

/* The data sits beside the binary in a source tree, or in ../share/careerpdf once
 * installed: found from the executable's own location, so a tree that is moved or
 * unpacked elsewhere (a package in a temporary root) still finds its own data. Where
 * /proc is not mounted, the folder `make install` put it in (PREFIX at build time). */
static char *data_root(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        *strrchr(exe, '/') = '\0';
        char probe[PATH_MAX + 64];
        const char *candidates[] = {"", "/..", "/../share/careerpdf"};
        for (size_t i = 0; i < 3; i++) {
            snprintf(probe, sizeof probe, "%s%s", exe, candidates[i]);
            if (holds_data(probe))
                return relative_to_cwd(xstrdup(probe));
        }
    }
    if (holds_data(CAREERPDF_DATADIR))
        return xstrdup(CAREERPDF_DATADIR);
    return xstrdup(".");
}

bool session_open(cp_session *s, const cp_options *o, cp_arena *a)
{
    char *root = data_root();
    memset(s, 0, sizeof *s);
    s->lib.content_dir = o->content_dir ? o->content_dir : arena_printf(a, "%s/content", root);
    s->lib.layouts_dir = o->layouts_dir ? o->layouts_dir : arena_printf(a, "%s/layouts", root);
    s->lib.fonts_dir = arena_printf(a, "%s/fonts", root);
    free(root);
    s->arena = a;
    s->loaded = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return library_open(&s->lib, a);
}

cp_fonts *session_fonts(cp_session *s)
{
    if (!s->fonts && !s->fonts_failed) {
        s->fonts = fonts_new(s->lib.fonts_dir);
        s->fonts_failed = s->fonts == NULL;
    }
    return s->fonts;
}

void session_close(cp_session *s)
{
    fonts_free(s->fonts);
    s->fonts = NULL;
    if (s->loaded)
        g_hash_table_destroy(s->loaded);
    s->loaded = NULL;
    if (s->templates)
        g_hash_table_destroy(s->templates);
    s->templates = NULL;
}

/* --- loading, once per process ---------------------------------------------------------- */

typedef struct {
    const cp_node *node;
    const char *dir;
} loaded_doc;

/* The cache key names the folder too: --check walks other content folders. Documents
 * that failed are not kept, so their errors are reported again where they are used;
 * neither are translations while --check wants their fallbacks reported. */
static char *load_key(cp_session *s, const char *kind, const char *name, const char *lang)
{
    return g_strdup_printf("%s\n%s\n%s\n%s\n%s", kind, s->lib.content_dir,
                           s->lib.layouts_dir, name ? name : "", lang ? lang : "");
}

static const loaded_doc *remember(cp_session *s, char *key, const cp_node *node,
                                  const char *dir)
{
    loaded_doc *d = ARENA_NEW(s->arena, loaded_doc);
    d->node = node;
    d->dir = dir ? arena_strdup(s->arena, dir) : NULL;
    if (node && !s->lib.warn_fallbacks)
        g_hash_table_insert(s->loaded, key, d);
    else
        g_free(key);
    return d;
}

static const cp_node *load_career(cp_session *s, const char *ref, const char *lang)
{
    char *key = load_key(s, "career", ref, lang);
    const loaded_doc *d = g_hash_table_lookup(s->loaded, key);
    if (d) {
        g_free(key);
        return d->node;
    }
    return remember(s, key, career_load_lang(s->arena, &s->lib, ref, lang), NULL)->node;
}

static const cp_node *load_strings(cp_session *s, const char *lang)
{
    char *key = load_key(s, "strings", lang, NULL);
    const loaded_doc *d = g_hash_table_lookup(s->loaded, key);
    if (d) {
        g_free(key);
        return d->node;
    }
    return remember(s, key, strings_load(s->arena, &s->lib, lang), NULL)->node;
}

static const cp_node *load_layout(cp_session *s, const char *name, const char **dir)
{
    char *key = load_key(s, "layout", name, NULL);
    const loaded_doc *d = g_hash_table_lookup(s->loaded, key);
    if (!d) {
        const char *found = NULL;
        const cp_node *l = layout_load(s->arena, &s->lib, name, &found);
        d = remember(s, key, l, found);
    } else {
        g_free(key);
    }
    *dir = d->dir;
    return d->node;
}

bool app_job(cp_session *s, const cp_options *o, const char *career_ref,
             const char *layout_name, const cp_node *student, cp_job *job)
{
    /* The language: the student's row, else --lang, else the career file's own. */
    const char *lang = node_str(student, "lang");
    if (!lang || !*lang)
        lang = o->lang;
    const cp_node *career = load_career(s, career_ref, lang);
    if (!career)
        return false;
    if (!lang || !*lang)
        lang = node_str(career, "lang");
    *job = (cp_job){.career = career, .student = student, .paper = o->paper,
                    .grayscale = o->grayscale, .fonts = session_fonts(s),
                    .icons = s->lib.icons};
    if (!job->fonts)
        return false;
    job->strings = load_strings(s, lang ? lang : "en");
    job->layout = load_layout(s, layout_name ? layout_name : "report", &job->layout_dir);
    return job->strings && job->layout;
}

dl_doc *app_lay_out(cp_arena *a, cp_session *s, const cp_options *o, const char *career_ref,
                    const char *layout_name, const cp_node *student)
{
    cp_job job;
    return app_job(s, o, career_ref, layout_name, student, &job) ? layout_document(a, &job)
                                                                 : NULL;
}

/* The labels of the tiling sheets, in the language app_lay_out chose for the poster:
 * --lang, else the career file's own (a single render has no roster row). */
static const cp_node *sheet_strings(cp_session *s, const cp_options *o, cp_arena *a)
{
    const char *lang = o->lang;
    if (!lang || !*lang)
        lang = node_str(career_load(a, &s->lib, o->career), "lang");
    return strings_load(a, &s->lib, lang ? lang : "en");
}

dl_doc *app_print_sheets(cp_session *s, const cp_options *o, dl_doc *doc)
{
    if (doc && o->bleed_mm > 0)
        doc = sheets_bleed(doc, o->bleed_mm);
    if (doc && o->tile) {
        const cp_node *strings = sheet_strings(s, o, doc->arena);
        doc = strings && session_fonts(s) ? sheets_tile(doc, o->tile, s->fonts, strings) : NULL;
    }
    return doc;
}

/* --- writing ----------------------------------------------------------------------------- */

const char *app_format(const cp_options *o, const char *path)
{
    if (o->format)
        return o->format;
    size_t n = path ? strlen(path) : 0;
    if (n > 4 && !strcasecmp(path + n - 4, ".png"))
        return "png";
    if (n > 4 && !strcasecmp(path + n - 4, ".svg"))
        return "svg";
    return "pdf";
}

/* --- protection: one policy for every writer ---------------------------------------- */

/* The password for this document: the roster row's (--password-column), else
 * --password. */
static const char *doc_password(const cp_options *o, const cp_write_extra *extra)
{
    return extra && extra->password ? extra->password : o->password;
}

bool app_protection(const cp_options *o, const cp_write_extra *extra, cp_protection *p)
{
    memset(p, 0, sizeof *p);
    const char *pw = doc_password(o, extra), *why;
    if (!pw && o->password_column) {
        diag_error(NULL, NULL, "--password-column %s: no password for this report",
                   o->password_column);
        return false;
    }
    if (!pw) {
        if (o->owner_password || o->permissions)
            diag_error(NULL, NULL, "%s needs --password: permissions only apply to an "
                       "encrypted file", o->owner_password ? "--owner-password"
                                                           : "--permissions");
        return !o->owner_password && !o->permissions;
    }
    /* Messages never show a password. */
    if (!pdf_password_ok(pw, &why)) {
        diag_error(NULL, NULL, "%s: %s", o->password_column ? "--password-column"
                                                            : "--password", why);
        return false;
    }
    if (o->owner_password && !pdf_password_ok(o->owner_password, &why)) {
        diag_error(NULL, NULL, "--owner-password: %s", why);
        return false;
    }
    if (o->owner_password)
        snprintf(p->owner, sizeof p->owner, "%s", o->owner_password);
    else
        pdf_derive_owner_password(pw, p->owner);
    if (!strcmp(p->owner, pw)) {
        diag_error(NULL, NULL, "--owner-password must differ from the user password");
        return false;
    }
    if (!pdf_parse_permissions(o->permissions, &p->sec.permissions)) {
        diag_error(NULL, NULL, "--permissions '%s': expected a comma-separated list of "
                   "print, copy, edit, annotate, or none", o->permissions);
        return false;
    }
    p->sec.user_password = pw;
    p->sec.owner_password = p->owner;
    p->on = true;
    return true;
}

bool app_open_output(cp_outfile *out, const char *path, cp_protection *p)
{
    if (!p || (!p->on && !p->a11y))
        return outfile_open(out, path);
    p->finish = (pdf_finish_opts){p->a11y, p->on ? &p->sec : NULL, false};
    return outfile_open_filtered(out, path, pdf_finish_filter, &p->finish);
}

static bool write_file(const dl_doc *doc, const cp_options *o, const char *fmt, size_t page,
                       const char *path, cp_protection *p)
{
    cp_outfile out;
    if (!app_open_output(&out, path, p))
        return false;
    errno = 0;
    bool ok;
    if (!strcmp(fmt, "png"))
        ok = cairo_write_png(doc, page, o->dpi, out.fp);
    else if (!strcmp(fmt, "svg"))
        ok = cairo_write_svg(doc, page, out.fp);
    else
        ok = cairo_write_pdf(doc, out.fp);
    if (!ok) {
        outfile_fail(&out, fmt);
        return false;
    }
    return outfile_commit(&out);
}

/* Page images: NAME.png for one page or --page N, else NAME-1.png, NAME-2.png... */
static bool write_pages(const dl_doc *doc, const cp_options *o, const char *fmt,
                        const char *path)
{
    size_t pages = dl_page_count(doc);
    if (o->page > 0) {
        if ((size_t)o->page > pages) {
            diag_error(NULL, NULL, "--page %d: the document has %zu pages, expected 1 to %zu",
                       o->page, pages, pages);
            return false;
        }
        return write_file(doc, o, fmt, (size_t)o->page - 1, path, NULL);
    }
    if (pages == 1)
        return write_file(doc, o, fmt, 0, path, NULL);
    if (outfile_is_direct(path)) {   /* one stream holds one image */
        cp_loc loc = {path, 0, 0};
        diag_error(&loc, NULL, "the document has %zu pages and this output takes one %s "
                   "image; expected --page N (1 to %zu) or a file name (NAME-1.%s, "
                   "NAME-2.%s... are written)", pages, fmt, pages, fmt, fmt);
        return false;
    }
    const char *dot = strrchr(path, '.');
    size_t stem = dot && !strchr(dot, '/') ? (size_t)(dot - path) : strlen(path);
    for (size_t i = 0; i < pages; i++) {
        char name[PATH_MAX];
        snprintf(name, sizeof name, "%.*s-%zu%s", (int)stem, path, i + 1, path + stem);
        if (!write_file(doc, o, fmt, i, name, NULL))
            return false;
    }
    return true;
}

/* --- the haru writer: RC4 encryption and attachments ------------------------------- */

/* Flags that only the haru writer honours are refused for cairo, never ignored. */
static bool cairo_can_write(const cp_options *o, const char *fmt, const cp_write_extra *extra)
{
    if (o->attach_source) {
        diag_error(NULL, NULL, "--attach-source needs --backend haru: the cairo writer "
                   "cannot attach files to a PDF");
        return false;
    }
    if (strcmp(fmt, "pdf") && (doc_password(o, extra) || o->owner_password ||
                               o->permissions)) {
        diag_error(NULL, NULL, "%s protects PDF files, and --format %s cannot be encrypted; "
                   "expected --format pdf", o->password ? "--password" : o->owner_password
                   ? "--owner-password" : "--permissions", fmt);
        return false;
    }
    return true;
}

/* --attach-source: the career file (and the roster row as YAML text). */
static bool haru_attachments(const dl_doc *doc, const cp_options *o,
                             const cp_write_extra *extra, haru_options *ho)
{
    if (!o->attach_source)
        return true;
    const char *src = extra ? extra->source_yaml : NULL;
    if (!src && o->career) {
        char *root = o->content_dir ? NULL : data_root();
        cp_library lib = {.content_dir = o->content_dir ? o->content_dir
                                        : arena_printf(doc->arena, "%s/content", root)};
        free(root);
        src = career_path(doc->arena, &lib, o->career);
    }
    if (!src) {
        diag_error(NULL, NULL, "--attach-source: no career file to attach");
        return false;
    }
    ho->attach_paths[0] = src;
    if (extra && extra->row_yaml) {
        ho->attach_texts[1] = extra->row_yaml;
        ho->attach_names[1] = "student.yaml";
    }
    return true;
}

static bool write_haru(const dl_doc *doc, const cp_options *o, const char *fmt,
                       const char *path, const cp_write_extra *extra)
{
    const char *why;
    if (strcmp(fmt, "pdf")) {
        diag_error(NULL, NULL, "--backend haru writes PDF only, expected --format pdf");
        return false;
    }
    if (!haru_can_render(doc, &why)) {
        diag_error(NULL, NULL, "%s", why);
        return false;
    }
    cp_protection prot;
    haru_options ho = {0};
    if (!app_protection(o, extra, &prot) ||
        !haru_attachments(doc, o, extra, &ho))
        return false;
    if (prot.on) {
        ho.user_password = prot.sec.user_password;
        ho.owner_password = prot.sec.owner_password;
        ho.permissions = prot.sec.permissions;
    }
    cp_outfile out;
    if (!outfile_open(&out, path))
        return false;
    errno = 0;
    if (!haru_write_pdf(doc, out.fp, &ho)) {
        if (errno)
            outfile_fail(&out, "pdf");
        else {
            cp_loc loc = {path, 0, 0};
            diag_error(&loc, NULL, "libharu could not write the pdf (an attachment, font or "
                       "image that could not be read?)");
            outfile_abort(&out);
        }
        return false;
    }
    return outfile_commit(&out);
}

bool app_write(const dl_doc *doc, const cp_options *o, const char *path,
               const cp_write_extra *extra)
{
    const char *fmt = app_format(o, path);
    if (o->backend == BACKEND_HARU)
        return write_haru(doc, o, fmt, path, extra);
    if (!cairo_can_write(o, fmt, extra))
        return false;
    if (strcmp(fmt, "pdf"))
        return write_pages(doc, o, fmt, path);
    cp_protection prot;
    if (!app_protection(o, extra, &prot))
        return false;
    prot.a11y = pdf_a11y_new(doc);
    return write_file(doc, o, fmt, 0, path, &prot);
}
