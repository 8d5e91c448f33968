/* main.c - flags to one of: render one, render many (roster), check, list. */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "batch/batch.h"
#include "core/arena.h"
#include "core/diag.h"
#include "layout/theme.h"

#define VERSION "0.2.0"

static const char USAGE[] =
    "usage: careerpdf --career ID|PATH [-o FILE|-] [--layout NAME|PATH] [--paper SIZE]\n"
    "                 [--format pdf|png|svg] [--dpi N] [--page N] [--grayscale]\n"
    "       careerpdf --roster FILE --out-dir DIR [-j N] [--shard K/N] [--merge FILE]\n"
    "       careerpdf --check [PATH...]\n"
    "       careerpdf --list\n"
    "\n"
    "One document:\n"
    "  --career ID|PATH   career to render (an id from --list, or a .yaml file)\n"
    "  -o, --output FILE  output file; '-' writes to standard output (default ./ID.pdf)\n"
    "  --layout NAME|PATH report (default), handout, poster, or a layout file\n"
    "  --paper SIZE       A4, Letter, A3, A2, A1, A0, 18x24in, 24x36in or WxH{mm,in}\n"
    "  --format FMT       pdf, png or svg (default: from the output name, else pdf)\n"
    "  --dpi N            resolution of PNG output (default 150)\n"
    "  --page N           only page N (PNG, SVG); otherwise NAME-1.png, NAME-2.png...\n"
    "  --grayscale        map colours to greys that stay distinguishable\n"
    "  --lang CODE        labels in this language (default: the career's own)\n"
    "  --tile A4|Letter   split a poster onto printable sheets with cut marks\n"
    "  --bleed MM         bleed area and crop marks for print shops (the page grows by\n"
    "                     MM plus 7 mm of slug for the marks on every side)\n"
    "  --backend cairo|haru  PDF writer (haru: password protection)\n"
    "  --password PW, --owner-password PW, --permissions print,copy,edit,annotate\n"
    "  --attach-source    embed the career YAML (and roster row) in the PDF (haru)\n"
    "\n"
    "Many documents:\n"
    "  --roster FILE      CSV or YAML list of students: one personalised report each\n"
    "  --out-dir DIR      where the reports and manifest.csv go\n"
    "  --name-pattern P   file names, default {student.name}-{career.id}.pdf\n"
    "  -j, --jobs N       worker processes (default: all cores)\n"
    "  --shard K/N        only the K-th of N slices of the roster\n"
    "  --merge FILE       one print file, each report starting on an odd page\n"
    "  --skip-existing    keep reports already written (resume a run)\n"
    "  --password-column COL  per-student password from the roster (haru)\n"
    "\n"
    "Other:\n"
    "  --content DIR      career data and labels (default: the bundled content)\n"
    "  --layouts DIR      layout files (default: the bundled layouts)\n"
    "  --check [PATH...]  validate careers, layouts and labels; write nothing\n"
    "  --list             id and title of every career, tab-separated\n"
    "  --force            overwrite existing output files in --out-dir\n"
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

/* --- one document ------------------------------------------------------------------- */

static int render(cp_session *s, const cp_options *o)
{
    cp_arena *a = arena_new();
    dl_doc *doc = app_print_sheets(s, o, app_lay_out(a, s, o, o->career, o->layout, NULL));
    int rc = EXIT_BAD;
    if (doc) {
        const char *path = o->output;
        if (!path) {   /* ./ID.pdf in the working folder */
            const char *base = strrchr(o->career, '/') ? strrchr(o->career, '/') + 1
                                                       : o->career;
            path = arena_printf(a, "%.*s.%s", (int)strcspn(base, "."), base,
                                app_format(o, NULL));
        }
        rc = app_write(doc, o, path, NULL) ? EXIT_OK : EXIT_BAD;
    }
    arena_free(a);
    return rc;
}

/* --- check and list --------------------------------------------------------------------- */

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *const LAYOUTS[] = {"report", "handout", "poster", NULL};
/* What a school prints on: every layout is checked on both, unless --paper names one. */
static const char *const CHECK_PAPERS[] = {"A4", "Letter", NULL};

/* A career passes when it loads and lays out with every bundled layout on every paper
 * checked; a failure says which career, layout and paper, after the error itself. */
static bool check_layouts(cp_session *s, const cp_options *o, const char *ref)
{
    bool ok = true;
    const char *const given[] = {o->paper, NULL};
    const char *const *papers = o->paper ? given : CHECK_PAPERS;
    for (const char *const *l = LAYOUTS; *l && ok; l++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s.yaml", s->lib.layouts_dir, *l);
        if (access(path, R_OK) != 0)
            continue;
        for (const char *const *p = papers; *p && ok; p++) {
            cp_options on = *o;
            on.paper = *p;
            cp_arena *a = arena_new();
            ok = app_lay_out(a, s, &on, ref, *l, NULL) != NULL;
            arena_free(a);
            s->lib.warn_fallbacks = false;   /* once per translation, not per layout */
            if (!ok && !o->quiet)
                fprintf(stderr, "careerpdf: %s%s%s: does not print with the %s layout on "
                        "%s\n", ref, o->lang ? " in " : "", o->lang ? o->lang : "", *l, *p);
        }
    }
    return ok;
}

/* ... and so does each of its translations (ID.LANG.yaml), in its own language. */
static bool check_career(cp_session *s, const cp_options *o, const char *ref)
{
    bool ok = check_layouts(s, o, ref);
    if (!career_id_valid(ref))
        return ok;
    cp_arena *a = arena_new();
    for (const char **lang = career_translations(a, &s->lib, ref); *lang; lang++) {
        cp_options tr = *o;
        tr.lang = *lang;
        s->lib.warn_fallbacks = true;
        ok &= check_layouts(s, &tr, ref);
    }
    arena_free(a);
    return ok;
}

static int check(cp_session *s, const cp_options *o)
{
    int failed = 0, checked = 0;
    cp_arena *a = arena_new();
    cp_vec refs = {0};
    for (int i = 0; i < o->n_check_paths; i++) {
        const char *p = o->check_paths[i];
        if (!is_dir(p)) {
            vec_push(a, &refs, (void *)p);
            continue;
        }
        if (!is_dir(arena_printf(a, "%s/careers", p))) {
            cp_loc loc = {p, 0, 0};
            diag_error(&loc, NULL, "not a content folder, expected a folder with careers/ "
                       "inside, or a career .yaml file");
            failed++;
            continue;
        }
        s->lib.content_dir = p;
        for (const char **id = career_ids(a, &s->lib); *id; id++)
            vec_push(a, &refs, (void *)*id);
    }
    if (o->n_check_paths == 0)
        for (const char **id = career_ids(a, &s->lib); *id; id++)
            vec_push(a, &refs, (void *)*id);
    const char *names = "";   /* the failing careers, for the summary */
    for (size_t i = 0; i < refs.len; i++, checked++)
        if (!check_career(s, o, refs.items[i])) {
            names = arena_printf(a, "%s%s%s", names, failed ? ", " : "",
                                 (const char *)refs.items[i]);
            failed++;
        }
    if (!o->quiet)
        fprintf(stderr, "careerpdf: checked %d careers: %d ok, %d with errors%s%s%s\n",
                checked, checked - failed, failed, failed ? " (" : "", names,
                failed ? ")" : "");
    arena_free(a);
    return failed ? EXIT_BAD : EXIT_OK;
}

static int list(cp_session *s)
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

/* --- flags ------------------------------------------------------------------------------ */

enum {
    OPT_CAREER = 256, OPT_PAPER, OPT_LAYOUT, OPT_FORMAT, OPT_DPI, OPT_PAGE, OPT_GRAY,
    OPT_LANG, OPT_CONTENT, OPT_LAYOUTS, OPT_CHECK, OPT_LIST, OPT_VERSION, OPT_HELP,
    OPT_ROSTER, OPT_OUT_DIR, OPT_MERGE, OPT_NAME_PATTERN, OPT_SHARD, OPT_SKIP, OPT_ALL,
    OPT_TILE, OPT_BLEED, OPT_BACKEND, OPT_PASSWORD, OPT_OWNER_PW, OPT_PERMS, OPT_PW_COL,
    OPT_ATTACH, OPT_FORCE,
};

static const struct option LONG_OPTS[] = {
    {"career", required_argument, 0, OPT_CAREER}, {"output", required_argument, 0, 'o'},
    {"paper", required_argument, 0, OPT_PAPER},   {"layout", required_argument, 0, OPT_LAYOUT},
    {"format", required_argument, 0, OPT_FORMAT}, {"dpi", required_argument, 0, OPT_DPI},
    {"page", required_argument, 0, OPT_PAGE},     {"grayscale", no_argument, 0, OPT_GRAY},
    {"lang", required_argument, 0, OPT_LANG},     {"content", required_argument, 0, OPT_CONTENT},
    {"layouts", required_argument, 0, OPT_LAYOUTS}, {"check", no_argument, 0, OPT_CHECK},
    {"list", no_argument, 0, OPT_LIST},           {"quiet", no_argument, 0, 'q'},
    {"version", no_argument, 0, OPT_VERSION},     {"help", no_argument, 0, OPT_HELP},
    {"roster", required_argument, 0, OPT_ROSTER}, {"out-dir", required_argument, 0, OPT_OUT_DIR},
    {"merge", required_argument, 0, OPT_MERGE},   {"jobs", required_argument, 0, 'j'},
    {"name-pattern", required_argument, 0, OPT_NAME_PATTERN},
    {"shard", required_argument, 0, OPT_SHARD},   {"skip-existing", no_argument, 0, OPT_SKIP},
    {"all", no_argument, 0, OPT_ALL},             {"tile", required_argument, 0, OPT_TILE},
    {"bleed", required_argument, 0, OPT_BLEED},   {"backend", required_argument, 0, OPT_BACKEND},
    {"password", required_argument, 0, OPT_PASSWORD},
    {"owner-password", required_argument, 0, OPT_OWNER_PW},
    {"permissions", required_argument, 0, OPT_PERMS},
    {"password-column", required_argument, 0, OPT_PW_COL},
    {"attach-source", no_argument, 0, OPT_ATTACH}, {"force", no_argument, 0, OPT_FORCE},
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

static bool parse_shard(const char *s, int *k, int *n)
{
    char extra;
    return sscanf(s, "%d/%d%c", k, n, &extra) == 2 && *n >= 1 && *n <= 100000 && *k >= 1 &&
           *k <= *n;
}

/* Returns -1 to go on, or an exit code. */
static int parse(int argc, char **argv, cp_options *o)
{
    int c, n;
    o->dpi = 150;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:qj:", LONG_OPTS, NULL)) != -1) {
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
        case 'j':
            if (!whole_number(optarg, 1, 1024, &o->jobs))
                return usage_error("--jobs '%s': expected a whole number from 1 to 1024",
                                   optarg);
            break;
        case OPT_SHARD:
            if (!parse_shard(optarg, &o->shard_k, &o->shard_n))
                return usage_error("--shard '%s': expected K/N with 1 <= K <= N", optarg);
            break;
        case OPT_BLEED: {
            char *end;
            o->bleed_mm = strtod(optarg, &end);
            if (*end || end == optarg || o->bleed_mm < 0 || o->bleed_mm > 20)
                return usage_error("--bleed '%s': expected millimetres from 0 to 20", optarg);
            break;
        }
        case OPT_BACKEND:
            if (!strcmp(optarg, "haru")) o->backend = BACKEND_HARU;
            else if (strcmp(optarg, "cairo"))
                return usage_error("--backend '%s': expected cairo or haru", optarg);
            break;
        case OPT_GRAY: o->grayscale = true; break;
        case OPT_LANG: o->lang = optarg; break;
        case OPT_CONTENT: o->content_dir = optarg; break;
        case OPT_LAYOUTS: o->layouts_dir = optarg; break;
        case OPT_CHECK: o->check = true; break;
        case OPT_LIST: o->list = true; break;
        case OPT_ALL: o->all = true; break;
        case OPT_ROSTER: o->roster = optarg; break;
        case OPT_OUT_DIR: o->out_dir = optarg; break;
        case OPT_MERGE: o->merge = optarg; break;
        case OPT_NAME_PATTERN: o->name_pattern = optarg; break;
        case OPT_SKIP: o->skip_existing = true; break;
        case OPT_TILE: o->tile = optarg; break;
        case OPT_PASSWORD: o->password = optarg; break;
        case OPT_OWNER_PW: o->owner_password = optarg; break;
        case OPT_PERMS: o->permissions = optarg; break;
        case OPT_PW_COL: o->password_column = optarg; break;
        case OPT_ATTACH: o->attach_source = true; break;
        case OPT_FORCE: o->force = true; break;
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
    if (!o->check && !o->list && !o->career && !o->roster && !o->all)
        return usage_error("%s", "nothing to do: give --career ID, --roster FILE, --check "
                                 "or --list");
    double w, h;
    if (o->tile && !paper_parse(o->tile, &w, &h))
        return usage_error("--tile '%s': expected the sheet paper, A4, Letter or "
                           "WxH{mm,in}", o->tile);
    if (o->paper && !paper_parse(o->paper, &w, &h))
        return usage_error("--paper '%s': expected A4, Letter, A3, A2, A1, A0, 18x24in, "
                           "24x36in or WxH{mm,in}", o->paper);
    return -1;
}

/* Combinations that cannot be honoured are refused up front, never half done: print
 * finishing (--tile, --bleed) applies to one document drawn by the cairo writer. */
static int refuse_unavailable(const cp_options *o)
{
    const char *finish = o->tile ? "--tile" : o->bleed_mm > 0 ? "--bleed" : NULL;
    if (!finish)
        return -1;
    if (o->tile && o->bleed_mm > 0)
        return usage_error("%s", "--tile and --bleed together: a tiled poster is trimmed "
                                 "at home, a bled one by a print shop; expected one of them");
    if (o->roster || o->all || o->check || o->list)
        return usage_error("%s works with --career (one document), expected no --roster, "
                           "--all, --check or --list", finish);
    if (o->backend == BACKEND_HARU)
        return usage_error("%s is drawn by the cairo writer, expected no --backend haru",
                           finish);
    return -1;
}

int main(int argc, char **argv)
{
    cp_options o = {0};
    int rc = parse(argc, argv, &o);
    if (rc >= 0 || (rc = refuse_unavailable(&o)) >= 0)
        return rc;
    cp_arena *a = arena_new();
    cp_session s;
    if (!session_open(&s, &o, a)) {
        session_close(&s);
        arena_free(a);
        return EXIT_BAD;
    }
    rc = o.list ? list(&s) : o.check ? check(&s, &o) : o.roster ? batch_run(&s, &o)
       : o.all ? app_handbook(&s, &o) : render(&s, &o);
    session_close(&s);
    arena_free(a);
    return rc;
}
