/*
 * assign.c - maximum-weight assignment by the Hungarian method.
 *
 * Leaving a row or column unmatched is worth 0, so the best matching of
 * a weighted bipartite graph (weights >= 0) is the best perfect matching
 * of the square matrix padded with zeros, found as the minimum-cost
 * perfect assignment of the costs -w (Kuhn 1955, Munkres 1957; here the
 * O(n^3) shortest augmenting path form with row and column potentials,
 * Jonker & Volgenant 1987). Pairs matched at weight 0 are no matches.
 */
#include "assign.h"

#include <math.h>

/* Cost of row i, column j (1-based) of the padded square matrix. */
static double cost_at(const tfr_assign_work *ws, int nr, int nc, int i, int j)
{
	if (i > nr || j > nc)
		return 0;
	return ws->cost[(i - 1) * nc + (j - 1)];
}

/* Add row i to the assignment along a shortest augmenting path. */
static void augment(tfr_assign_work *ws, int n, int nr, int nc, int i)
{
	int j0 = 0;
	ws->p[0] = i;
	for (int j = 0; j <= n; j++) {
		ws->minv[j] = INFINITY;
		ws->used[j] = 0;
	}
	do {
		ws->used[j0] = 1;
		int i0 = ws->p[j0], j1 = 0;
		double delta = INFINITY;
		for (int j = 1; j <= n; j++) {
			if (ws->used[j])
				continue;
			double cur = cost_at(ws, nr, nc, i0, j) - ws->u[i0] - ws->v[j];
			if (cur < ws->minv[j]) {
				ws->minv[j] = cur;
				ws->way[j] = j0;
			}
			if (ws->minv[j] < delta) {
				delta = ws->minv[j];
				j1 = j;
			}
		}
		for (int j = 0; j <= n; j++) {
			if (ws->used[j]) {
				ws->u[ws->p[j]] += delta;
				ws->v[j] -= delta;
			} else {
				ws->minv[j] -= delta;
			}
		}
		j0 = j1;
	} while (ws->p[j0] != 0);
	do {
		int j1 = ws->way[j0];
		ws->p[j0] = ws->p[j1];
		j0 = j1;
	} while (j0);
}

void tfr_assign_max_weight(tfr_assign_work *ws, const double *w, int nr,
                           int nc, int *row_col)
{
	int n = nr > nc ? nr : nc;
	for (int k = 0; k < nr * nc; k++)
		ws->cost[k] = -w[k];
	for (int j = 0; j <= n; j++) {
		ws->u[j] = ws->v[j] = 0;
		ws->p[j] = ws->way[j] = 0;
	}
	for (int i = 1; i <= n; i++)
		augment(ws, n, nr, nc, i);
	for (int r = 0; r < nr; r++)
		row_col[r] = -1;
	for (int j = 1; j <= nc; j++) {
		int r = ws->p[j] - 1;
		if (r >= 0 && r < nr && w[r * nc + (j - 1)] > 0)
			row_col[r] = j - 1;
	}
}
