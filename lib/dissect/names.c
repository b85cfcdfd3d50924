/* names.c - a field's values by name and names by value, from the table
 * of tshark's value strings (values.c) */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "socklab/dissect.h"
#include "values.h"

static const struct sl_value_name *names_of(int field)
{
	if (field < 0 || field >= SL_F_COUNT || !sl_fields[field].name)
		return NULL;
	for (const struct sl_field_values *f = sl_field_values; f->field; f++)
		if (!strcmp(f->field, sl_fields[field].name))
			return f->names;
	return NULL;
}

int sl_field_value_of(int field, const char *name, size_t n, int64_t *v)
{
	const struct sl_value_name *t = names_of(field);

	for (; t && t->name; t++)
		if (strlen(t->name) == n && !strncasecmp(t->name, name, n)) {
			*v = t->value;
			return 0;
		}
	return -1;
}

const char *sl_field_value_name(int field, int64_t v)
{
	const struct sl_value_name *t = names_of(field);

	for (; t && t->name; t++)
		if (t->value == v)
			return t->name;
	return NULL;
}

const char *sl_field_value_hint(int field)
{
	static _Thread_local char hint[160];
	const struct sl_value_name *t = names_of(field);

	if (!t || !t->name)
		return "";
	if (sl_fields[field].type == SL_FT_BOOL && t[1].name)
		snprintf(hint, sizeof(hint), ", \"%s\" or \"%s\"", t[0].name,
			 t[1].name);
	else
		snprintf(hint, sizeof(hint), ", or a name such as \"%s\"",
			 t[0].name);
	return hint;
}
