/* fuzz_layout.c - the layout loader: a layout file (with `extends:` merged through
 * layout_load, so the merge runs too), the theme read from it, and the whole layout
 * engine laying out a fixed career with a fixed student for it: every block kind, its
 * options, pagination, page furniture, and the template and overlay a roster run makes
 * of it. Nothing is written (the writers draw what the
 * engine decided; they take no input of their own).
 *
 * layout_load reads files, so each input is written to a private temporary folder
 * first (set up once; removed at exit). */
#include "fuzz.h"

#include <string.h>
#include <unistd.h>

#include "layout/layout.h"
#include "layout/theme.h"
#include "model/docs.h"

static cp_library lib;
static cp_fonts *fonts;
static const cp_node *career, *strings, *student;
static char dir[4096], file[4200];

static void cleanup(void)
{
    unlink(file);
    rmdir(dir);
    fonts_free(fonts); /* as the program does: what is left at exit is the libraries' */
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static cp_arena *a; /* lives as long as the process (static: no leak report) */
    a = arena_new();
    const char *root = fuzz_root();
    lib.content_dir = arena_printf(a, "%s/content", root);
    lib.layouts_dir = arena_printf(a, "%s/layouts", root);
    lib.fonts_dir = arena_printf(a, "%s/fonts", root);
    fuzz_require(library_open(&lib, a), "content/schema and fonts/icons.yaml");
    fuzz_require((fonts = fonts_new(lib.fonts_dir)) != NULL, "fonts/");
    fuzz_require((career = career_load(a, &lib, "ai-engineer")) != NULL,
                 "content/careers/ai-engineer.yaml");
    fuzz_require((strings = strings_load(a, &lib, "en")) != NULL, "content/strings/en.yaml");
    static const char row[] =
        "{name: Ada Lovelace, school: Hill School, grade: '11', counselor: Ms Rao,\n"
        " note: Likes maths., lang: en, 'rate:1': '4', 'rate:2': '2', 'rate:3': '5'}\n";
    student = yaml_load_string(a, "student.yaml", row, sizeof row - 1, &CP_DEFAULT_LIMITS);
    fuzz_require(student != NULL, "the built-in student row");

    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/careerpdf-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    fuzz_require(mkdtemp(dir) != NULL, "a temporary folder");
    snprintf(file, sizeof file, "%s/layout.yaml", dir);
    atexit(cleanup);
    fuzz_quiet();
    return 0;
}

static bool put_file(const uint8_t *data, size_t size)
{
    FILE *f = fopen(file, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, size, f) == size;
    return (fclose(f) == 0) & ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!put_file(data, size))
        abort(); /* the temporary folder is gone: nothing more can be tested */
    cp_arena *a = arena_new();
    const char *layout_dir = NULL;
    const cp_node *layout = layout_load(a, &lib, file, &layout_dir);
    if (layout) {
        cp_theme th;
        if (theme_load(&th, layout, NULL, false, layout_dir, a)) {
            cp_job job = {.career = career, .strings = strings, .layout = layout,
                          .layout_dir = layout_dir, .student = student, .icons = lib.icons,
                          .fonts = fonts};
            layout_document(a, &job);
            /* The same layout as a template with the student's blocks drawn into its
             * frames (what a roster run does; src/layout/layout.h). */
            diag_reset();
            cp_parts *parts = layout_parts(a, &job);
            cp_template t;
            if (parts &&
                layout_template(a, &job, layout_parts_mask(parts), &t) == TEMPLATE_OK)
                layout_overlay(a, parts, &t);
        }
    }
    arena_free(a);
    diag_reset();
    return 0;
}
