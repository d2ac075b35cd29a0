/* struct_sizes.c - the size of every public struct of mtasts.h, as the
 * Markdown table that README.md shows (ci/readme_sizes.sh compares them). */
#include <stdio.h>

#include "mtasts.h"

#define ROW(type) printf("| `%s` | %zu |\n", #type, sizeof(type))

int main(void) {
  printf("| struct | bytes |\n|---|---:|\n");
  ROW(mtasts_location);
  ROW(mtasts_span);
  ROW(mtasts_chunk);
  ROW(mtasts_rr);
  ROW(mtasts_diag);
  ROW(mtasts_diags);
  ROW(mtasts_options);
  ROW(mtasts_ext);
  ROW(mtasts_txt);
  ROW(mtasts_rrset_result);
  ROW(mtasts_rua);
  ROW(mtasts_tlsrpt);
  ROW(mtasts_mx);
  ROW(mtasts_policy);
  return 0;
}
