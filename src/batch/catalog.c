/* catalog.c - every career, as JSON for scripts (catalog.h). */
#include "catalog.h"

#include "../core/arena.h"
#include "../core/json.h"
#include "roster.h"

static void member_str(JsonBuilder *b, const char *key, const char *value)
{
    json_builder_set_member_name(b, key);
    json_builder_add_string_value(b, value ? value : "");
}

static void add_career(JsonBuilder *b, cp_arena *a, cp_session *s, const char *id,
                       const cp_node *c)
{
    json_builder_begin_object(b);
    member_str(b, "id", id);
    member_str(b, "title", node_str(c, "title"));
    member_str(b, "role", node_str(c, "role"));
    member_str(b, "lang", node_str(c, "lang"));
    json_builder_set_member_name(b, "translations");
    json_builder_begin_array(b);
    for (const char **lang = career_translations(a, &s->lib, id); *lang; lang++)
        json_builder_add_string_value(b, *lang);
    json_builder_end_array(b);
    json_builder_set_member_name(b, "skills");
    json_builder_begin_array(b);
    const cp_node *skills = node_get(c, "skills");
    for (size_t i = 0; node_is_seq(skills) && i < skills->len; i++) {
        const char *name = node_str(skills->items[i], "name");
        if (!name)
            continue;
        json_builder_begin_object(b);
        member_str(b, "name", name);
        member_str(b, "column", roster_skill_column(a, name));
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
}

int catalog_list_json(cp_session *s)
{
    cp_arena *a = arena_new();
    int rc = EXIT_OK;
    JsonBuilder *b = json_builder_new();
    json_builder_begin_array(b);
    for (const char **id = career_ids(a, &s->lib); *id; id++) {
        const cp_node *c = career_load(a, &s->lib, *id);
        if (c)
            add_career(b, a, s, *id, c);
        else
            rc = EXIT_SOME_FAILED;
    }
    json_builder_end_array(b);
    char *text = json_text(b, true);
    g_object_unref(b);
    fputs(text, stdout);
    g_free(text);
    arena_free(a);
    return rc;
}
