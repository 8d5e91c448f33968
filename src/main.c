/* main.c - flags to one of: render one, check, list. */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/outfile.h"
#include "layout/layout.h"
#include "layout/theme.h"
#include "model/docs.h"
#include "render/cairo_out.h"

#define VERSION "0.1.0"

enum { EXIT_OK = 0, EXIT_SOME_FAILED = 1, EXIT_BAD = 2 };

typedef struct {
    const char *career, *output, *paper, *layout, *lang, *format;
    const char *content_dir, *layouts_dir;
    double dpi;
    int page;          /* 1-based; 0 = all */
    bool grayscale, quiet, check, list;
    char **check_paths;
    int n_check_paths;
} options;

static const char USAGE[] =
    "usage: careerpdf --career ID|PATH [-o FILE|-] [--layout NAME|PATH] [--paper SIZE]\n"
    "                 [--format pdf|png|svg] [--dpi N] [--page N] [--grayscale]\n"
    "       careerpdf --check [PATH...]\n"
    "       careerpdf --list\n"
    "\n"
    "  --career ID|PATH   career to render (an id from --list, or a .yaml file)\n"
    "  -o, --output FILE  output file; '-' writes to standard output (default ./ID.pdf)\n"
    "  --layout NAME|PATH report (default), handout, poster, or a layout file\n"
    "  --paper SIZE       A4, Letter, A3, A2, A1, A0, 18x24in, 24x36in or WxH{mm,in}\n"
    "  --format FMT       pdf, png or svg (default: from the output name, else pdf)\n"
    "  --dpi N            resolution of PNG output (default 150)\n"
    "  --page N           only page N (PNG, SVG); otherwise NAME-1.png, NAME-2.png...\n"
    "  --grayscale        map colours to greys that stay distinguishable\n"
    "  --lang CODE        labels in this language (default: the career's own)\n"
    "  --content DIR      career data and labels (default: the bundled content)\n"
    "  --layouts DIR      layout files (default: the bundled layouts)\n"
    "  --check [PATH...]  validate careers, layouts and labels; write nothing\n"
    "  --list             id and title of every career, tab-separated\n"
    "  -q, --quiet        no progress or summaries on stderr\n"
    "  --version, --help\n"
    "\n"
    "Exit status: 0 written, 1 some items failed, 2 bad usage or invalid input.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fputs("careerpdf: error: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'careerpdf --help'.\n", stderr);
    return EXIT_BAD;
}

/* --- finding the data ----------------------------------------------------------------- */

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
        return strdup(".");
    }
    if (!strncmp(real, cwd, n) && real[n] == '/') {
        free(path);
        return strdup(real + n + 1);
    }
    return path;
}

/* The data sits beside the binary in a source tree, or in ../share/careerpdf once
 * installed: found from the executable's own location, never from a compiled-in path. */
static char *data_root(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return strdup(".");
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    *slash = '\0';
    char probe[PATH_MAX + 64];
    const char *candidates[] = {"", "/..", "/../share/careerpdf"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(probe, sizeof probe, "%s%s/content/careers", exe, candidates[i]);
        if (is_dir(probe)) {
            snprintf(probe, sizeof probe, "%s%s", exe, candidates[i]);
            return relative_to_cwd(strdup(probe));
        }
    }
    return strdup(".");
}

/* --- rendering one document ---------------------------------------------------------- */

static cp_out_format format_of(const options *o)
{
    const char *f = o->format;
    if (!f && o->output) {
        size_t n = strlen(o->output);
        if (n > 4 && !strcasecmp(o->output + n - 4, ".png")) f = "png";
        if (n > 4 && !strcasecmp(o->output + n - 4, ".svg")) f = "svg";
    }
    if (f && !strcmp(f, "png")) return OUT_PNG;
    if (f && !strcmp(f, "svg")) return OUT_SVG;
    return OUT_PDF;
}

static bool write_one(const dl_doc *doc, cp_out_format fmt, size_t page, double dpi,
                      const char *path)
{
    cp_outfile out;
    if (!outfile_open(&out, path))
        return false;
    bool ok = fmt == OUT_PDF   ? cairo_write_pdf(doc, out.fp)
              : fmt == OUT_PNG ? cairo_write_png(doc, page, dpi, out.fp)
                               : cairo_write_svg(doc, page, out.fp);
    if (!ok) {
        cp_loc loc = {path, 0, 0};
        diag_error(&loc, NULL, "the writer failed (disk full or not writable?)");
        outfile_abort(&out);
        return false;
    }
    return outfile_commit(&out);
}

/* Page images: NAME.png for one page, else NAME-1.png, NAME-2.png... */
static bool write_pages(const dl_doc *doc, cp_out_format fmt, const options *o,
                        const char *path, cp_arena *a)
{
    size_t pages = dl_page_count(doc);
    if (o->page > 0) {
        if ((size_t)o->page > pages) {
            diag_error(NULL, NULL, "--page %d: the document has %zu pages", o->page, pages);
            return false;
        }
        return write_one(doc, fmt, (size_t)o->page - 1, o->dpi, path);
    }
    if (pages == 1 || !strcmp(path, "-"))
        return write_one(doc, fmt, 0, o->dpi, path);
    const char *dot = strrchr(path, '.');
    size_t stem = dot && !strchr(dot, '/') ? (size_t)(dot - path) : strlen(path);
    for (size_t i = 0; i < pages; i++) {
        const char *name = arena_printf(a, "%.*s-%zu%s", (int)stem, path, i + 1,
                                        path + stem);
        if (!write_one(doc, fmt, i, o->dpi, name))
            return false;
    }
    return true;
}

typedef struct {
    cp_library lib;
    cp_fonts *fonts;
} session;

static dl_doc *lay_out(cp_arena *a, session *s, const options *o, const char *career_ref,
                       const char *layout_name, const cp_node *student)
{
    const cp_node *career = career_load(a, &s->lib, career_ref);
    if (!career)
        return NULL;
    const char *lang = o->lang ? o->lang : node_str(career, "lang");
    cp_job job = {.career = career, .student = student, .paper = o->paper,
                  .grayscale = o->grayscale, .fonts = s->fonts, .icons = s->lib.icons};
    job.strings = strings_load(a, &s->lib, lang ? lang : "en");
    job.layout = layout_load(a, &s->lib, layout_name, &job.layout_dir);
    if (!job.strings || !job.layout)
        return NULL;
    return layout_document(a, &job);
}

static int render(session *s, const options *o)
{
    cp_arena *a = arena_new();
    dl_doc *doc = lay_out(a, s, o, o->career, o->layout ? o->layout : "report", NULL);
    int rc = EXIT_BAD;
    if (doc) {
        cp_out_format fmt = format_of(o);
        const char *path = o->output;
        if (!path) {
            const char *base = strrchr(o->career, '/') ? strrchr(o->career, '/') + 1
                                                       : o->career;
            size_t n = strcspn(base, ".");
            path = arena_printf(a, "%.*s.%s", (int)n, base,
                                fmt == OUT_PDF ? "pdf" : fmt == OUT_PNG ? "png" : "svg");
        }
        bool ok = fmt == OUT_PDF ? write_one(doc, fmt, 0, o->dpi, path)
                                 : write_pages(doc, fmt, o, path, a);
        rc = ok ? EXIT_OK : EXIT_BAD;
    }
    arena_free(a);
    return rc;
}

/* --- check and list ------------------------------------------------------------------- */

static const char *const LAYOUTS[] = {"report", "handout", "poster", NULL};

/* A career passes when it loads and lays out with every bundled layout that exists. */
static bool check_career(session *s, const options *o, const char *ref)
{
    bool ok = true;
    for (const char *const *l = LAYOUTS; *l && ok; l++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s.yaml", s->lib.layouts_dir, *l);
        if (access(path, R_OK) != 0)
            continue;
        cp_arena *a = arena_new();
        ok = lay_out(a, s, o, ref, *l, NULL) != NULL;
        arena_free(a);
    }
    return ok;
}

static int check(session *s, const options *o)
{
    int failed = 0, checked = 0;
    cp_arena *a = arena_new();
    cp_vec refs = {0};
    for (int i = 0; i < o->n_check_paths; i++) {
        const char *p = o->check_paths[i];
        if (is_dir(p)) {
            char *sub = arena_printf(a, "%s/careers", p);
            if (!is_dir(sub)) {
                cp_loc loc = {p, 0, 0};
                diag_error(&loc, NULL, "not a content folder, expected a folder with "
                           "careers/ inside, or a career .yaml file");
                failed++;
                continue;
            }
            s->lib.content_dir = p;
            for (const char **id = career_ids(a, &s->lib); *id; id++)
                vec_push(a, &refs, (void *)*id);
        } else {
            vec_push(a, &refs, (void *)p);
        }
    }
    if (o->n_check_paths == 0)
        for (const char **id = career_ids(a, &s->lib); *id; id++)
            vec_push(a, &refs, (void *)*id);
    for (size_t i = 0; i < refs.len; i++, checked++)
        failed += !check_career(s, o, refs.items[i]);
    if (!o->quiet)
        fprintf(stderr, "careerpdf: checked %d careers: %d ok, %d with errors\n", checked,
                checked - failed, failed);
    arena_free(a);
    return failed ? EXIT_BAD : EXIT_OK;
}

static int list(session *s)
{
    cp_arena *a = arena_new();
    int rc = EXIT_OK;
    for (const char **id = career_ids(a, &s->lib); *id; id++) {
        const cp_node *c = career_load(a, &s->lib, *id);
        if (c)
            printf("%s\t%s\n", *id, node_str(c, "title"));
        else
            rc = EXIT_SOME_FAILED;
    }
    arena_free(a);
    return rc;
}

/* --- flags ----------------------------------------------------------------------------- */

enum { OPT_CAREER = 256, OPT_PAPER, OPT_LAYOUT, OPT_FORMAT, OPT_DPI, OPT_PAGE, OPT_GRAY,
       OPT_LANG, OPT_CONTENT, OPT_LAYOUTS, OPT_CHECK, OPT_LIST, OPT_VERSION, OPT_HELP };

static const struct option LONG_OPTS[] = {
    {"career", required_argument, 0, OPT_CAREER}, {"output", required_argument, 0, 'o'},
    {"paper", required_argument, 0, OPT_PAPER},   {"layout", required_argument, 0, OPT_LAYOUT},
    {"format", required_argument, 0, OPT_FORMAT}, {"dpi", required_argument, 0, OPT_DPI},
    {"page", required_argument, 0, OPT_PAGE},     {"grayscale", no_argument, 0, OPT_GRAY},
    {"lang", required_argument, 0, OPT_LANG},     {"content", required_argument, 0, OPT_CONTENT},
    {"layouts", required_argument, 0, OPT_LAYOUTS}, {"check", no_argument, 0, OPT_CHECK},
    {"list", no_argument, 0, OPT_LIST},           {"quiet", no_argument, 0, 'q'},
    {"version", no_argument, 0, OPT_VERSION},     {"help", no_argument, 0, OPT_HELP},
    {0, 0, 0, 0},
};

static bool whole_number(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

/* Returns -1 to go on, or an exit code. */
static int parse(int argc, char **argv, options *o)
{
    int c, n;
    o->dpi = 150;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:q", LONG_OPTS, NULL)) != -1) {
        switch (c) {
        case OPT_CAREER: o->career = optarg; break;
        case 'o': o->output = optarg; break;
        case OPT_PAPER: o->paper = optarg; break;
        case OPT_LAYOUT: o->layout = optarg; break;
        case OPT_FORMAT:
            if (strcmp(optarg, "pdf") && strcmp(optarg, "png") && strcmp(optarg, "svg"))
                return usage_error("--format '%s': expected pdf, png or svg", optarg);
            o->format = optarg;
            break;
        case OPT_DPI:
            if (!whole_number(optarg, 10, 2400, &n))
                return usage_error("--dpi '%s': expected a whole number from 10 to 2400",
                                   optarg);
            o->dpi = n;
            break;
        case OPT_PAGE:
            if (!whole_number(optarg, 1, 100000, &o->page))
                return usage_error("--page '%s': expected a page number from 1", optarg);
            break;
        case OPT_GRAY: o->grayscale = true; break;
        case OPT_LANG: o->lang = optarg; break;
        case OPT_CONTENT: o->content_dir = optarg; break;
        case OPT_LAYOUTS: o->layouts_dir = optarg; break;
        case OPT_CHECK: o->check = true; break;
        case OPT_LIST: o->list = true; break;
        case 'q': o->quiet = true; break;
        case OPT_VERSION: printf("careerpdf %s\n", VERSION); return EXIT_OK;
        case OPT_HELP: fputs(USAGE, stdout); return EXIT_OK;
        case ':': return usage_error("%s needs a value", argv[optind - 1]);
        default: return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (o->check) {
        o->check_paths = argv + optind;
        o->n_check_paths = argc - optind;
    } else if (optind < argc) {
        return usage_error("unexpected argument '%s'", argv[optind]);
    }
    if (!o->check && !o->list && !o->career)
        return usage_error("%s", "nothing to do: give --career ID, --check or --list");
    if (o->paper) {
        double w, h;
        if (!paper_parse(o->paper, &w, &h))
            return usage_error("--paper '%s': expected A4, Letter, A3, A2, A1, A0, "
                               "18x24in, 24x36in or WxH{mm,in}", o->paper);
    }
    return -1;
}

int main(int argc, char **argv)
{
    options o = {0};
    int rc = parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    diag_set_quiet(0);
    char *root = data_root();
    cp_arena *a = arena_new();
    session s = {0};
    s.lib.content_dir = o.content_dir ? o.content_dir : arena_printf(a, "%s/content", root);
    s.lib.layouts_dir = o.layouts_dir ? o.layouts_dir : arena_printf(a, "%s/layouts", root);
    s.lib.fonts_dir = arena_printf(a, "%s/fonts", root);
    free(root);
    if (!library_open(&s.lib, a) || !(s.fonts = fonts_new(s.lib.fonts_dir))) {
        arena_free(a);
        return EXIT_BAD;
    }
    rc = o.list ? list(&s) : o.check ? check(&s, &o) : render(&s, &o);
    fonts_free(s.fonts);
    arena_free(a);
    return rc;
}
