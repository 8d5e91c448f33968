/* main.c - flags to one of: render one, render many (roster), check, list. */
#include <errno.h>
#include <dirent.h>
#include <getopt.h>
#include <signal.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "app/schema_export.h"
#include "app/watch.h"
#include "batch/batch.h"
#include "batch/catalog.h"
#include "core/arena.h"
#include "core/diag.h"
#include "core/stdin.h"
#include "layout/theme.h"
#include "render/cairo_out.h"
#include "render/pdf_date.h"

/* The Makefile passes the version from debian/changelog, its one source. */
#ifndef CP_VERSION
#error "build with the Makefile: it defines CP_VERSION from debian/changelog"
#endif

static const char USAGE[] =
    "usage: careerpdf --career ID|PATH [-o FILE|-] [--layout NAME|PATH] [--paper SIZE]\n"
    "                 [--format pdf|png|svg] [--dpi N] [--page N] [--grayscale]\n"
    "       careerpdf --roster FILE --out-dir DIR [-j N] [--shard K/N] [--merge FILE]\n"
    "       careerpdf --check [--json] [PATH...]\n"
    "       careerpdf --list [--json]\n"
    "       careerpdf --schema career|layout|strings [--json-schema]\n"
    "\n"
    "One document:\n"
    "  --career ID|PATH   career to render (an id from --list, or a .yaml file; '-'\n"
    "                     reads the YAML from standard input)\n"
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
    "  --backend cairo|haru  PDF writer (haru: attachments, RC4 encryption)\n"
    "  --password PW, --owner-password PW, --permissions print,copy,edit,annotate\n"
    "                     encrypt the PDF (AES-256; RC4 with --backend haru)\n"
    "  --attach-source    embed the career YAML (and roster row) in the PDF (haru)\n"
    "\n"
    "Many documents:\n"
    "  --roster FILE      CSV or YAML list of students: one personalised report each\n"
    "                     ('-' reads it from standard input)\n"
    "  --out-dir DIR      where the reports and manifest.csv go\n"
    "  --name-pattern P   file names, default {student.name}-{career.id}.pdf\n"
    "  --column FIELD=HEADER  read a field (name, career, grade...) from this column\n"
    "  --columns FILE     the same mappings from a YAML file (FIELD: HEADER lines)\n"
    "  --roster-encoding CHARSET  the roster's encoding when not UTF-8 (windows-1252)\n"
    "  -j, --jobs N       worker processes (default: all cores)\n"
    "  --shard K/N        only the K-th of N slices of the roster\n"
    "  --merge FILE       one print file, each report starting on an odd page\n"
    "  --skip-existing    keep reports made from the same row and inputs (resume)\n"
    "  --password-column COL  per-student password from the roster\n"
    "\n"
    "Other:\n"
    "  --content DIR      career data and labels (default: the bundled content)\n"
    "  --layouts DIR      layout files (default: the bundled layouts)\n"
    "  --check [PATH...]  validate careers, layouts and labels; write nothing\n"
    "  --json             with --check: one JSON object per problem on standard output;\n"
    "                     with --list: see below\n"
    "  --list             id and title of every career, tab-separated\n"
    "  --force            overwrite existing output files in --out-dir\n"
    "\n"
    "Scripts and authors:\n"
    "  --json             with --list: JSON (id, title, role, lang, translations, skills\n"
    "                     and their rate: columns)\n"
    "  --summary FILE     with --roster: the run's counts, time and every row as JSON\n"
    "  --schema NAME      the schema of career, layout or strings files (YAML)\n"
    "  --json-schema      with --schema: as a JSON Schema (draft 2020-12) for editors\n"
    "  --watch            with --career: build again whenever an input changes\n"
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

/* A request that depends on the page count, refused before anything is written: --tile
 * splits one poster page onto sheets (a report's pages are already printable). */
static bool pages_fit_request(const cp_options *o, const dl_doc *doc)
{
    size_t n = dl_page_count(doc);
    if (o->tile && n > 1) {
        diag_error(NULL, NULL, "--tile splits a one-page poster onto sheets, but this "
                   "document has %zu pages (layout %s), expected --layout poster or no "
                   "--tile", n, o->layout ? o->layout : "report");
        return false;
    }
    return true;   /* several images for one stream: refused where files are opened */
}

/* One document; *pages and `written` (the output's name) tell --watch what was made. */
static int build(cp_session *s, const cp_options *o, size_t *pages, char *written,
                 size_t size)
{
    cp_arena *a = arena_new();
    /* The job's diagnostics are collected and judged as values: any error means
     * nothing is written, whatever a step returned. */
    cp_diag_list *found = diag_list_new(), *was = diag_collect(found);
    dl_doc *laid = app_lay_out(a, s, o, o->career, o->layout, NULL);
    dl_doc *doc = laid && pages_fit_request(o, laid) ? app_print_sheets(s, o, laid) : NULL;
    diag_collect(was);
    diag_list_print(found, NULL);
    if (diag_list_errors(found))
        doc = NULL;
    diag_list_free(found);
    int rc = EXIT_BAD;
    if (doc) {
        const char *path = o->output;
        if (!path) {   /* ./ID.pdf in the working folder */
            const char *base = strrchr(o->career, '/') ? strrchr(o->career, '/') + 1
                                                       : o->career;
            if (!strcmp(o->career, CAREER_STDIN))   /* the id inside the YAML */
                base = node_str(career_load(a, &s->lib, CAREER_STDIN), "id");
            path = arena_printf(a, "%.*s.%s", (int)strcspn(base, "."), base,
                                app_format(o, NULL));
        }
        rc = app_write(doc, o, path, NULL) ? EXIT_OK : EXIT_BAD;
        *pages = doc->pages.len;
        snprintf(written, size, "%s", path);
    }
    arena_free(a);
    return rc;
}

static int render(cp_session *s, const cp_options *o)
{
    size_t pages;
    char written[PATH_MAX];
    return build(s, o, &pages, written, sizeof written);
}

/* --- check and list --------------------------------------------------------------------- */

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* What --check lays careers out with: the layout of --layout, the layout files given as
 * paths, else every layout of the layouts folder (--layouts DIR). Each is loaded and
 * its theme read once first, so a broken layout is reported once, not once per career;
 * a broken one is left out of the career checks. */
typedef struct {
    const char **names;
    size_t n;
    int failed;
} layout_set;

static int cmp_name(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Every NAME.yaml of the layouts folder, sorted. */
static void folder_layouts(cp_arena *a, const char *dir, cp_vec *out)
{
    DIR *d = opendir(dir);
    size_t first = out->len;
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        const char *name = n > 5 ? arena_strndup(a, e->d_name, n - 5) : NULL;
        if (name && !strcmp(e->d_name + n - 5, ".yaml") && career_id_valid(name))
            vec_push(a, out, (void *)name);
    }
    if (d)
        closedir(d);
    if (out->len > first)
        qsort(out->items + first, out->len - first, sizeof *out->items, cmp_name);
}

static bool layout_usable(cp_session *s, cp_arena *a, const char *name)
{
    const char *dir = NULL;
    const cp_node *l = layout_load(a, &s->lib, name, &dir);
    cp_theme th;
    return l && theme_load(&th, l, NULL, false, dir, a);
}

static layout_set check_layout_set(cp_session *s, const cp_options *o, cp_arena *a,
                                   cp_vec *given)
{
    if (o->layout)
        vec_push(a, given, (void *)o->layout);
    if (given->len == 0)
        folder_layouts(a, s->lib.layouts_dir, given);
    layout_set set = {ARENA_ARRAY(a, const char *, given->len + 1), 0, 0};
    for (size_t i = 0; i < given->len; i++) {
        cp_diag_list *found = diag_list_new(), *was = diag_collect(found);
        bool ok = layout_usable(s, a, given->items[i]) && !diag_list_errors(found);
        diag_collect(was);
        diag_list_print(found, stdout);
        diag_list_free(found);
        if (ok)
            set.names[set.n++] = given->items[i];
        else
            set.failed++;
    }
    if (given->len == 0) {
        cp_loc loc = {s->lib.layouts_dir, 0, 0};
        diag_error(&loc, NULL, "no layout files here, expected NAME.yaml layouts");
        set.failed++;
    }
    return set;
}

/* What a school prints on: every layout is checked on both, unless --paper names one. */
static const char *const CHECK_PAPERS[] = {"A4", "Letter", NULL};

/* A career passes when it loads and lays out with every layout of the set on every
 * paper checked; a failure says which career, layout and paper, after the error. */
static bool check_layouts(cp_session *s, const cp_options *o, const char *ref,
                          const layout_set *set)
{
    bool ok = true;
    const char *const given[] = {o->paper, NULL};
    const char *const *papers = o->paper ? given : CHECK_PAPERS;
    cp_diag_list *job = diag_collect(NULL);   /* the career's list (check()), kept */
    diag_collect(job);
    for (size_t l = 0; l < set->n && ok; l++) {
        for (const char *const *p = papers; *p && ok; p++) {
            cp_options on = *o;
            on.paper = *p;
            cp_arena *a = arena_new();
            size_t before = job ? diag_list_errors(job) : 0;
            ok = app_lay_out(a, s, &on, ref, set->names[l], NULL) != NULL &&
                 (!job || diag_list_errors(job) == before);
            arena_free(a);
            s->lib.warn_fallbacks = false;   /* once per translation, not per layout */
            if (!ok && !o->quiet)
                fprintf(stderr, "careerpdf: %s%s%s: does not print with the %s layout on "
                        "%s\n", ref, o->lang ? " in " : "", o->lang ? o->lang : "",
                        set->names[l], *p);
        }
    }
    return ok;
}

/* ... and so does each of its translations (ID.LANG.yaml), in its own language. */
static bool check_career(cp_session *s, const cp_options *o, const char *ref,
                         const layout_set *set)
{
    bool ok = check_layouts(s, o, ref, set);
    if (!career_id_valid(ref))
        return ok;
    cp_arena *a = arena_new();
    for (const char **lang = career_translations(a, &s->lib, ref); *lang; lang++) {
        cp_options tr = *o;
        tr.lang = *lang;
        s->lib.warn_fallbacks = true;
        ok &= check_layouts(s, &tr, ref, set);
    }
    arena_free(a);
    return ok;
}

/* A file given to --check is a layout when it is a mapping with layout keys and no
 * career id (read quietly: a file that does not parse is reported as a career). */
static bool is_layout_file(const char *path)
{
    cp_arena *a = arena_new();
    diag_set_quiet(1);
    const cp_node *n = yaml_load_file(a, path, &CP_DEFAULT_LIMITS);
    diag_set_quiet(0);
    bool layout = node_is_map(n) && !node_get(n, "id") &&
                  (node_get(n, "blocks") || node_get(n, "extends") || node_get(n, "page") ||
                   node_get(n, "theme"));
    arena_free(a);
    return layout;
}

static int check(cp_session *s, const cp_options *o)
{
    int failed = 0, checked = 0;
    cp_arena *a = arena_new();
    cp_vec refs = {0}, layouts = {0};
    bool careers_given = false;
    for (int i = 0; i < o->n_check_paths; i++) {
        const char *p = o->check_paths[i];
        if (!is_dir(p)) {
            if (is_layout_file(p)) {
                vec_push(a, &layouts, (void *)p);
            } else {
                vec_push(a, &refs, (void *)p);
                careers_given = true;
            }
            continue;
        }
        careers_given = true;
        if (!is_dir(arena_printf(a, "%s/careers", p))) {
            cp_loc loc = {p, 0, 0};
            diag_error(&loc, NULL, "not a content folder, expected a folder with careers/ "
                       "inside, a career .yaml file or a layout .yaml file");
            failed++;
            continue;
        }
        s->lib.content_dir = p;
        for (const char **id = career_ids(a, &s->lib); *id; id++)
            vec_push(a, &refs, (void *)*id);
    }
    if (o->career) {   /* --check --career ID: that career */
        vec_push(a, &refs, (void *)o->career);
        careers_given = true;
    }
    if (!careers_given)   /* only layouts, or nothing: every career of the library */
        for (const char **id = career_ids(a, &s->lib); *id; id++)
            vec_push(a, &refs, (void *)*id);
    layout_set set = check_layout_set(s, o, a, &layouts);
    const char *names = "";   /* the failing careers, for the summary */
    /* Each career is a job: its diagnostics are collected, judged and printed together. */
    for (size_t i = 0; i < refs.len; i++, checked++) {
        cp_diag_list *found = diag_list_new(), *was = diag_collect(found);
        bool ok = check_career(s, o, refs.items[i], &set) && !diag_list_errors(found);
        diag_collect(was);
        diag_list_print(found, stdout);
        diag_list_free(found);
        if (!ok)
            names = arena_printf(a, "%s%s%s", names, failed ? ", " : "",
                                 (const char *)refs.items[i]);
        failed += !ok;
    }
    size_t n_layouts = set.n + (size_t)set.failed;
    if (!o->quiet)
        fprintf(stderr, "careerpdf: checked %d career%s with %zu layout%s: %d ok, %d with "
                "errors%s%s%s%s\n", checked, checked == 1 ? "" : "s", n_layouts,
                n_layouts == 1 ? "" : "s", checked - failed, failed, failed ? " (" : "",
                names, failed ? ")" : "",
                set.failed ? arena_printf(a, "; %d layout%s with errors, not used", set.failed,
                                          set.failed == 1 ? "" : "s") : "");
    arena_free(a);
    return failed || set.failed ? EXIT_BAD : EXIT_OK;
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
    OPT_ATTACH, OPT_FORCE, OPT_COLUMN, OPT_COLUMNS, OPT_ROSTER_ENC,
    /* scripts and authors */
    OPT_JSON, OPT_SUMMARY, OPT_SCHEMA, OPT_JSON_SCHEMA, OPT_WATCH, OPT_LAST,
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
    {"column", required_argument, 0, OPT_COLUMN},
    {"columns", required_argument, 0, OPT_COLUMNS},
    {"roster-encoding", required_argument, 0, OPT_ROSTER_ENC},
    /* scripts and authors */
    {"json", no_argument, 0, OPT_JSON},           {"summary", required_argument, 0, OPT_SUMMARY},
    {"schema", required_argument, 0, OPT_SCHEMA},
    {"json-schema", no_argument, 0, OPT_JSON_SCHEMA}, {"watch", no_argument, 0, OPT_WATCH},
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

/* A flag that takes one value, given twice ("--career nurse --career data-scientist"),
 * is refused rather than letting the last one win silently. */
static int given_twice(int c, const char *value)
{
    static const char *seen[OPT_LAST];
    if (c < 0 || c >= OPT_LAST || !value)
        return -1;
    if (seen[c]) {
        const char *flag = "";
        for (const struct option *lo = LONG_OPTS; lo->name; lo++)
            if (lo->val == c)
                flag = lo->name;
        fprintf(stderr, "careerpdf: error: --%s given twice ('%s', then '%s'), expected it "
                "once: run careerpdf once per document (or --all, --roster for many)\n"
                "Try 'careerpdf --help'.\n", flag, seen[c], value);
        return EXIT_BAD;
    }
    seen[c] = value;
    return -1;
}

/* Returns -1 to go on, or an exit code. */
static int parse(int argc, char **argv, cp_options *o)
{
    int c, n, rc;
    o->dpi = 150;
    /* --column may be given once per field: at most one per argument. */
    static const char **columns;
    columns = calloc((size_t)argc + 1, sizeof *columns);
    o->columns = columns;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:qj:", LONG_OPTS, NULL)) != -1) {
        if (c != ':' && c != '?' && c != OPT_COLUMN && (rc = given_twice(c, optarg)) >= 0)
            return rc;   /* --column is given once per field */
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
        case OPT_COLUMN: columns[o->n_columns++] = optarg; break;
        case OPT_COLUMNS: o->columns_file = optarg; break;
        case OPT_ROSTER_ENC: o->roster_encoding = optarg; break;
        case 'q': o->quiet = true; break;
        /* scripts and authors */
        case OPT_JSON: o->json = true; break;
        case OPT_SUMMARY: o->summary = optarg; break;
        case OPT_SCHEMA: o->schema = optarg; break;
        case OPT_JSON_SCHEMA: o->json_schema = true; break;
        case OPT_WATCH: o->watch = true; break;
        case OPT_VERSION: printf("careerpdf %s\n", CP_VERSION); return EXIT_OK;
        case OPT_HELP: fputs(USAGE, stdout); return EXIT_OK;
        case ':': return usage_error("%s needs a value", argv[optind - 1]);
        default: return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }

    if (o->check && (o->output || o->format || o->page || o->roster || o->all || o->list))
        return usage_error("%s", "--check writes nothing, expected no -o, --format, --page, "
                                 "--roster, --all or --list with it");
    if (o->json && o->check)
        diag_set_format(DIAG_JSON);
    if (o->check) {
        o->check_paths = argv + optind;
        o->n_check_paths = argc - optind;
    } else if (optind < argc) {
        return usage_error("unexpected argument '%s'", argv[optind]);
    }
    if (!o->check && !o->list && !o->career && !o->roster && !o->all && !o->schema)
        return usage_error("%s", "nothing to do: give --career ID, --roster FILE, --check, "
                                 "--list or --schema NAME");
    const char *roster_only = o->n_columns ? "--column" : o->columns_file ? "--columns"
                            : o->roster_encoding ? "--roster-encoding" : NULL;
    if (roster_only && !o->roster)
        return usage_error("%s reads a roster, expected --roster FILE", roster_only);
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

/* What went to standard output must have arrived: a full disk or a reader that went
 * away (`| head`) is a failed run with a message, not exit 0 or a silent SIGPIPE death. */
static int stdout_checked(int rc)
{
    errno = 0;
    if ((fflush(stdout) != 0 || ferror(stdout)) && rc != EXIT_BAD) {
        fprintf(stderr, "careerpdf: -: error: cannot write to standard output: %s\n",
                strerror(errno ? errno : EIO));
        return EXIT_BAD;
    }
    return rc;
}

/* --- scripts and authors: flags that only go with certain commands ---------------------- */

static int refuse_misplaced(const cp_options *o)
{
    if (o->json && !o->list && !o->check)
        return usage_error("%s", "--json goes with --list or --check, expected --list --json "
                                 "or --check --json (a batch run writes JSON with --summary "
                                 "FILE)");
    if (o->summary && !o->roster)
        return usage_error("%s", "--summary goes with --roster, expected --roster FILE "
                                 "--summary FILE.json");
    if (o->json_schema && !o->schema)
        return usage_error("%s", "--json-schema goes with --schema, expected --schema NAME "
                                 "--json-schema");
    if (o->schema && (o->list || o->check || o->career || o->roster || o->all))
        return usage_error("%s", "--schema prints a schema and nothing else, expected no "
                                 "--career, --roster, --all, --check or --list with it");
    bool career_stdin = o->career && !strcmp(o->career, CAREER_STDIN);
    if (o->watch && (!o->career || o->roster || o->all || o->check || o->list))
        return usage_error("%s", "--watch rebuilds one document, expected --career ID|PATH "
                                 "and no --roster, --all, --check or --list");
    if (o->watch && (career_stdin || (o->output && !strcmp(o->output, "-"))))
        return usage_error("%s", "--watch reads files and writes a file, expected a career "
                                 "file rather than '-' and -o FILE rather than -o -");
    if (career_stdin && o->roster && !strcmp(o->roster, "-"))
        return usage_error("%s", "--career - and --roster - both read standard input, "
                                 "expected one of them from a file");
    if (career_stdin && o->attach_source)
        return usage_error("%s", "--attach-source embeds the career's file, expected "
                                 "--career ID or PATH rather than '-'");
    return -1;
}

/* `--career -` (or `--check -`): the career's YAML, read once into the library. */
static bool wants_stdin_career(const cp_options *o)
{
    if (o->career && !strcmp(o->career, CAREER_STDIN))
        return true;
    for (int i = 0; i < o->n_check_paths; i++)
        if (!strcmp(o->check_paths[i], CAREER_STDIN))
            return true;
    return false;
}

static bool read_stdin_career(cp_library *lib, cp_arena *a)
{
    size_t len = 0;
    char *text = stdin_read_all(&len);
    if (!text) {
        cp_loc loc = {CAREER_STDIN_NAME, 0, 0};
        diag_error(&loc, NULL, "cannot read the career: %s", strerror(errno));
        return false;
    }
    lib->stdin_text = arena_strndup(a, text, len);
    lib->stdin_len = len;
    free(text);
    return true;
}

/* --page picks one image of PNG or SVG output; a PDF is always written whole. */
static int refuse_page(const cp_options *o)
{
    if (!o->page || o->check || o->list)
        return -1;
    if (o->roster || o->all)
        return usage_error("%s", "--page works with --career (one document), expected no "
                                 "--roster or --all");
    if (!strcmp(app_format(o, o->output), "pdf"))
        return usage_error("%s", "--page picks one page of PNG or SVG output, but the "
                                 "output is a PDF (written whole), expected --format png or "
                                 "svg, or no --page");
    return -1;
}

/* glibc maps a block of 128 KB or more afresh for each allocation and gives the heap's
 * top back to the system as soon as 128 KB of it are free; a report allocates and frees
 * the same large buffers over and over (page content, cairo's streams, deflate's
 * window), so the kernel zeroed and faulted the same pages in again and again: a sixth
 * of a report's CPU time. Up to 32 MB come from the heap and 64 MB free stay mapped
 * instead: a process's peak memory is the same, and it is not returned early. */
static void heap_init(void)
{
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);   /* write errors are reported, see stdout_checked */
    heap_init();
    cairo_out_init();           /* before any thread: see there */
    cp_options o = {0};
    int rc = parse(argc, argv, &o);
    if (rc >= 0 || (rc = refuse_unavailable(&o)) >= 0 || (rc = refuse_misplaced(&o)) >= 0 ||
        (rc = refuse_page(&o)) >= 0)
        return stdout_checked(rc);
    const char *why;
    if (!o.list && !o.check && !o.schema && !pdf_date_check_env(&why))   /* dates every PDF */
        return usage_error("%s", why);
    cp_arena *a = arena_new();
    cp_session s;
    if (!session_open(&s, &o, a)) {
        session_close(&s);
        arena_free(a);
        return EXIT_BAD;
    }
    if (wants_stdin_career(&o) && !read_stdin_career(&s.lib, a))
        rc = EXIT_BAD;
    else if (o.schema)
        rc = app_schema(&s, o.schema, o.json_schema);
    else if (o.list && o.json)
        rc = catalog_list_json(&s);
    else
        rc = o.list ? list(&s) : o.check ? check(&s, &o) : o.roster ? batch_run(&s, &o)
           : o.all ? app_handbook(&s, &o) : o.watch ? app_watch(&s, &o, build)
           : render(&s, &o);
    session_close(&s);
    arena_free(a);
    return stdout_checked(rc);
}
