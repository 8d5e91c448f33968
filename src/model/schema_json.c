/* schema_json.c - a schema (schema.h) as a JSON Schema, draft 2020-12 (schema_json.h).
 *
 * One place for each rule: the JSON Schema is derived from content/schema/NAME.yaml,
 * never written by hand. Each of our types becomes the JSON Schema that accepts the
 * same values as far as JSON Schema can say it (id and date as patterns, currency and
 * icon as enums, rating as a multiple of 0.5 from 0 to 10); `doc:` becomes
 * `description`, so editors show it on hover and in completion lists. What a JSON Schema
 * cannot say (min <= max, references to other careers, the id equal to the file name,
 * a real day of the month) stays with `careerpdf --check`. */
#include "schema_json.h"

#include <math.h>
#include <string.h>

#define DRAFT "https://json-schema.org/draft/2020-12/schema"

/* The same patterns schema.c checks by hand. */
#define ID_PATTERN "^[a-z0-9-]+$"
#define DATE_PATTERN "^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$"

/* A bound from the schema: whole numbers as integers ("10", not "10.0"). */
static void add_number(JsonBuilder *b, const char *key, const cp_node *v)
{
    double d;
    if (!node_number(v, &d))
        return;
    json_builder_set_member_name(b, key);
    if (d == floor(d) && fabs(d) < 9e15)
        json_builder_add_int_value(b, (gint64)d);
    else
        json_builder_add_double_value(b, d);
}

static void add_strings(JsonBuilder *b, const char *key, const char *const *names, size_t n)
{
    json_builder_set_member_name(b, key);
    json_builder_begin_array(b);
    for (size_t i = 0; i < n; i++)
        json_builder_add_string_value(b, names[i]);
    json_builder_end_array(b);
}

static void add_enum(JsonBuilder *b, const cp_node *e)
{
    if (!node_is_seq(e))
        return;
    json_builder_set_member_name(b, "enum");
    json_builder_begin_array(b);
    for (size_t i = 0; i < e->len; i++)
        if (node_is_scalar(e->items[i]))
            json_builder_add_string_value(b, e->items[i]->text);
    json_builder_end_array(b);
}

static void add_string_member(JsonBuilder *b, const char *key, const char *value)
{
    json_builder_set_member_name(b, key);
    json_builder_add_string_value(b, value);
}

static void convert(JsonBuilder *b, const cp_node *s, const cp_json_schema_env *env);

static void convert_map(JsonBuilder *b, const cp_node *s, const cp_json_schema_env *env)
{
    const cp_node *fields = node_get(s, "fields");
    const cp_node *values = node_get(s, "values");
    add_string_member(b, "type", "object");
    if (node_is_map(fields)) {
        json_builder_set_member_name(b, "properties");
        json_builder_begin_object(b);
        for (size_t i = 0; i < fields->len; i++) {
            json_builder_set_member_name(b, fields->keys[i]);
            convert(b, fields->items[i], env);
        }
        json_builder_end_object(b);
        bool any_required = false;
        for (size_t i = 0; i < fields->len; i++) {
            bool req = false;
            node_bool(node_get(fields->items[i], "required"), &req);
            if (!req)
                continue;
            if (!any_required) {
                json_builder_set_member_name(b, "required");
                json_builder_begin_array(b);
                any_required = true;
            }
            json_builder_add_string_value(b, fields->keys[i]);
        }
        if (any_required)
            json_builder_end_array(b);
    }
    /* Keys not listed are errors (unless `values:` gives free keys a schema). */
    json_builder_set_member_name(b, "additionalProperties");
    if (values)
        convert(b, values, env);
    else if (fields)
        json_builder_add_boolean_value(b, FALSE);
    else
        json_builder_add_boolean_value(b, TRUE);
}

/* The members of one schema object (the caller opens and closes it). */
static void convert_members(JsonBuilder *b, const cp_node *s, const cp_json_schema_env *env)
{
    const char *t = node_str(s, "type");
    const char *doc = node_str(s, "doc");
    if (doc)
        add_string_member(b, "description", doc);
    if (!t || !strcmp(t, "any")) {
        /* any value: no constraint */
    } else if (!strcmp(t, "string") || !strcmp(t, "text") || !strcmp(t, "id")) {
        add_string_member(b, "type", "string");
        if (!strcmp(t, "id"))
            add_string_member(b, "pattern", ID_PATTERN);
        add_number(b, "minLength", node_get(s, "min"));
        add_number(b, "maxLength", node_get(s, "max"));
        add_enum(b, node_get(s, "enum"));
    } else if (!strcmp(t, "number") || !strcmp(t, "integer")) {
        add_string_member(b, "type", t);
        add_number(b, "minimum", node_get(s, "min"));
        add_number(b, "maximum", node_get(s, "max"));
    } else if (!strcmp(t, "rating")) {
        add_string_member(b, "type", "number");
        json_builder_set_member_name(b, "minimum");
        json_builder_add_int_value(b, 0);
        json_builder_set_member_name(b, "maximum");
        json_builder_add_int_value(b, 10);
        json_builder_set_member_name(b, "multipleOf");
        json_builder_add_double_value(b, 0.5);
    } else if (!strcmp(t, "boolean")) {
        add_string_member(b, "type", "boolean");
    } else if (!strcmp(t, "date")) {
        add_string_member(b, "type", "string");
        add_string_member(b, "pattern", DATE_PATTERN);
    } else if (!strcmp(t, "currency")) {
        size_t n;
        const char *const *codes = schema_currencies(&n);
        add_string_member(b, "type", "string");
        add_strings(b, "enum", codes, n);
    } else if (!strcmp(t, "icon")) {
        add_string_member(b, "type", "string");
        if (env && env->n_icons)
            add_strings(b, "enum", env->icons, env->n_icons);
    } else if (!strcmp(t, "list")) {
        add_string_member(b, "type", "array");
        add_number(b, "minItems", node_get(s, "min"));
        add_number(b, "maxItems", node_get(s, "max"));
        const cp_node *items = node_get(s, "items");
        if (items) {
            json_builder_set_member_name(b, "items");
            convert(b, items, env);
        }
    } else if (!strcmp(t, "map")) {
        convert_map(b, s, env);
    }
}

static void convert(JsonBuilder *b, const cp_node *s, const cp_json_schema_env *env)
{
    json_builder_begin_object(b);
    convert_members(b, s, env);
    json_builder_end_object(b);
}

char *schema_json(const cp_node *schema, const cp_json_schema_env *env)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    add_string_member(b, "$schema", DRAFT);
    if (env && env->id)
        add_string_member(b, "$id", env->id);
    if (env && env->title)
        add_string_member(b, "title", env->title);
    convert_members(b, schema, env);
    json_builder_end_object(b);
    char *out = json_text(b, true);
    g_object_unref(b);
    return out;
}
