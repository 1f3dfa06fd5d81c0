/*
 * batch_name.c - the names of a batch's files: paths joined, names as
 * messages print them. The batch's bottom layer, used by the plan, the
 * manifest and the runs, and calling none of them.
 */
#include "tool.h"
#include "batch.h"

#include <stdlib.h>
#include <string.h>

char *batch_join(const char *dir, const char *rel)
{
	size_t a = strlen(dir), b = strlen(rel);
	int slash = a > 0 && dir[a - 1] != '/';
	char *p = malloc(a + slash + b + 1);
	if (!p)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	memcpy(p, dir, a);
	if (slash)
		p[a] = '/';
	memcpy(p + a + slash, rel, b + 1);
	return p;
}

const char *batch_shown(const char *name)
{
	/* a few at once: one message may name two files */
	static char ring[4][4096];
	static int next;
	char *buf = ring[next++ % 4];
	size_t i = 0;
	for (; name[i] && i < sizeof ring[0] - 1; i++)
		buf[i] = (unsigned char)name[i] < 0x20 || name[i] == 0x7f ? '?' : name[i];
	buf[i] = 0;
	return buf;
}
