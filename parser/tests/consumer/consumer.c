/* consumer.c - an outside program built against an installed mtasts. */
#include <mtasts.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  static const char record[] = "v=STSv1; id=20160831085700Z;"; /* RFC 8461 3.1 */
  static const char want[] = "20160831085700Z";
  mtasts_txt txt;
  mtasts_ext txt_ext[MTASTS_MAX_EXTENSIONS];
  mtasts_txt_init(&txt, txt_ext, MTASTS_MAX_EXTENSIONS);
  mtasts_code rc = mtasts_txt_parse(record, sizeof record - 1, NULL, &txt);
  if (rc != MTASTS_OK) {
    fprintf(stderr, "mtasts_txt_parse: %s at %zu\n", mtasts_errname(rc), txt.err_offset);
    return 1;
  }
  if (txt.id.len != sizeof want - 1 || memcmp(txt.id.ptr, want, txt.id.len) != 0) {
    fprintf(stderr, "id is \"%.*s\", want \"%s\"\n", (int)txt.id.len, txt.id.ptr, want);
    return 1;
  }
  /* A policy, its mx patterns and extensions in the caller's arrays. */
  static const char body[] = "version: STSv1\nmode: testing\nmx: *.example.net\nmax_age: 86400\n"
                             "x-note: hello\n";
  mtasts_policy policy;
  mtasts_mx mx[1];
  mtasts_ext policy_ext[1];
  mtasts_policy_init(&policy, mx, 1, policy_ext, 1);
  rc = mtasts_policy_parse(body, sizeof body - 1, NULL, &policy);
  if (rc != MTASTS_OK || policy.mx_count != 1 || policy.ext_count != 1) {
    fprintf(stderr, "mtasts_policy_parse: %s at %zu\n", mtasts_errname(rc), policy.err_offset);
    return 1;
  }
  printf("mtasts %s: id=%.*s, %zu mx, %zu extension\n", MTASTS_VERSION_STRING, (int)txt.id.len,
         txt.id.ptr, policy.mx_count, policy.ext_count);
  return 0;
}
