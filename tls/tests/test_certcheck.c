/*
 * test_certcheck.c - certificate identity by RFC 8461 3.3 (H3) and 4.2:
 * DNS-IDs only, a wildcard only as the whole left-most label. The
 * certificates are made here with the OpenSSL API (self-signed: only
 * identity is checked).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "mtasts_certcheck.h"

#define L(s) (sizeof(s) - 1)
#define S(s) (s), L(s)

static EVP_PKEY *key;

static int make_key(void **state) {
  (void)state;
  key = EVP_EC_gen("P-256");
  return key == NULL ? -1 : 0;
}

static int free_key(void **state) {
  (void)state;
  EVP_PKEY_free(key);
  return 0;
}

/* A self-signed certificate with subject CN `cn` (NULL: none) and the
 * subjectAltName `san` in openssl.cnf syntax (NULL: no extension). */
static X509 *make_cert(const char *cn, const char *san) {
  X509 *x = X509_new();
  assert_non_null(x);
  assert_int_equal(X509_set_version(x, 2), 1);
  assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), 1), 1);
  assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), 0));
  assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), 3600));
  X509_NAME *name = X509_get_subject_name(x);
  if (cn != NULL)
    assert_int_equal(
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0),
        1);
  assert_int_equal(X509_set_issuer_name(x, name), 1);
  assert_int_equal(X509_set_pubkey(x, key), 1);
  if (san != NULL) {
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, san);
    assert_non_null(ext);
    assert_int_equal(X509_add_ext(x, ext, -1), 1);
    X509_EXTENSION_free(ext);
  }
  assert_true(X509_sign(x, key, EVP_sha256()) > 0);
  return x;
}

typedef struct row {
  const char *name;
  const char *cn;
  const char *san;
  const char *host;
  size_t host_len;
  mtasts_certcheck want;
} row;

#define MATCH MTASTS_CERTCHECK_MATCH
#define NO MTASTS_CERTCHECK_NO_MATCH
#define ERR MTASTS_CERTCHECK_ERROR

static const row rows[] = {
    {"H2: valid for the mta-sts DNS-ID", NULL, "DNS:mta-sts.example.com", S("mta-sts.example.com"),
     MATCH},
    {"H12: a certificate for the provider's host is not valid for the Policy Host", NULL,
     "DNS:mta-sts.provider.example", S("mta-sts.user.example"), NO},
    {"exact name: the parent does not match", NULL, "DNS:mta-sts.example.com", S("example.com"),
     NO},
    {"exact name: a child does not match", NULL, "DNS:mta-sts.example.com",
     S("a.mta-sts.example.com"), NO},
    {"H3: wildcard as the complete left-most label", NULL, "DNS:*.example.com", S("a.example.com"),
     MATCH},
    {"4.1: the wildcard covers one label, not a.b.example.com", NULL, "DNS:*.example.com",
     S("a.b.example.com"), NO},
    {"4.1: the wildcard needs a label: not example.com", NULL, "DNS:*.example.com",
     S("example.com"), NO},
    {"H3: a partial wildcard f*.example.com matches nothing", NULL, "DNS:f*.example.com",
     S("foo.example.com"), NO},
    {"H3: a partial wildcard *o.example.com matches nothing", NULL, "DNS:*o.example.com",
     S("foo.example.com"), NO},
    {"H3: a wildcard not in the left-most label", NULL, "DNS:mail.*.example.com",
     S("mail.a.example.com"), NO},
    {"RFC 6125: no wildcard over a single-label suffix (*.com)", NULL, "DNS:*.com",
     S("example.com"), NO},
    {"H3/4.2: a CN-only certificate does not match (DNS-ID only)", "mta-sts.example.com", NULL,
     S("mta-sts.example.com"), NO},
    {"H3: the CN is ignored when the SAN names another host", "mta-sts.example.com",
     "DNS:other.example.com", S("mta-sts.example.com"), NO},
    {"H3: an IP SAN is not a DNS-ID", NULL, "IP:127.0.0.1", S("127.0.0.1"), NO},
    {"a URI SAN is not a DNS-ID", NULL, "URI:https://mta-sts.example.com/",
     S("mta-sts.example.com"), NO},
    {"RFC 6125: case-insensitive (host upper case)", NULL, "DNS:*.example.com", S("A.EXAMPLE.COM"),
     MATCH},
    {"RFC 6125: case-insensitive (certificate upper case)", NULL, "DNS:MTA-STS.Example.COM",
     S("mta-sts.example.com"), MATCH},
    {"R13: one trailing dot on the host is removed", NULL, "DNS:mta-sts.example.com",
     S("mta-sts.example.com."), MATCH},
    {"R13: two trailing dots are not a host name", NULL, "DNS:mta-sts.example.com",
     S("mta-sts.example.com.."), NO},
    {"a trailing dot on the wildcard host", NULL, "DNS:*.example.com", S("a.example.com."), MATCH},
    {"several DNS-IDs: the second matches", "x", "DNS:a.example.org,DNS:mx.example.net",
     S("mx.example.net"), MATCH},
    {"empty host", NULL, "DNS:a.example", "", 0, ERR},
    {"host is only the root dot", NULL, "DNS:a.example", S("."), ERR},
    {"host with a NUL byte", NULL, "DNS:a.example", S("a.example\0.evil"), ERR},
};

static void test_certcheck_rows(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const row *r = &rows[i];
    X509 *x = make_cert(r->cn, r->san);
    mtasts_certcheck got = mtasts_certcheck_x509(x, r->host, r->host_len);
    X509_free(x);
    if (got != r->want)
      fail_msg("%s: got %d, want %d", r->name, (int)got, (int)r->want);
  }
}

/* The same identity decided from PEM and DER encodings. */
static void test_certcheck_encodings(void **state) {
  (void)state;
  X509 *x = make_cert(NULL, "DNS:*.example.com");
  BIO *bio = BIO_new(BIO_s_mem());
  assert_int_equal(PEM_write_bio_X509(bio, x), 1);
  char *pem = NULL;
  long pem_len = BIO_get_mem_data(bio, &pem);
  assert_true(pem_len > 0);
  assert_int_equal(mtasts_certcheck_pem(pem, (size_t)pem_len, S("a.example.com")), MATCH);
  assert_int_equal(mtasts_certcheck_pem(pem, (size_t)pem_len, S("f.a.example.com")), NO);
  assert_int_equal(mtasts_certcheck_pem(pem, 20, S("a.example.com")), ERR); /* truncated */

  unsigned char *der = NULL;
  int der_len = i2d_X509(x, &der);
  assert_true(der_len > 0);
  assert_int_equal(mtasts_certcheck_der(der, (size_t)der_len, S("a.example.com")), MATCH);
  assert_int_equal(mtasts_certcheck_der(der, (size_t)der_len, S("example.com")), NO);
  assert_int_equal(mtasts_certcheck_der(der, (size_t)der_len - 1, S("a.example.com")), ERR);
  unsigned char *longer = OPENSSL_malloc((size_t)der_len + 1);
  memcpy(longer, der, (size_t)der_len);
  longer[der_len] = 0;
  /* Trailing bytes: not one DER certificate. */
  assert_int_equal(mtasts_certcheck_der(longer, (size_t)der_len + 1, S("a.example.com")), ERR);
  OPENSSL_free(longer);
  OPENSSL_free(der);
  BIO_free(bio);
  X509_free(x);
}

static void test_certcheck_arguments(void **state) {
  (void)state;
  assert_int_equal(mtasts_certcheck_flags(),
                   X509_CHECK_FLAG_NEVER_CHECK_SUBJECT | X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  assert_int_equal(mtasts_certcheck_x509(NULL, S("a.example")), ERR);
  X509 *x = make_cert(NULL, "DNS:a.example");
  assert_int_equal(mtasts_certcheck_x509(x, NULL, 3), ERR);
  X509_free(x);
  assert_int_equal(mtasts_certcheck_pem(NULL, 0, S("a.example")), ERR);
  assert_int_equal(mtasts_certcheck_pem(S("not a certificate"), S("a.example")), ERR);
  assert_int_equal(mtasts_certcheck_der(NULL, 0, S("a.example")), ERR);
  static const unsigned char junk[] = {0x30, 0x03, 0x02, 0x01, 0x01};
  assert_int_equal(mtasts_certcheck_der(junk, sizeof junk, S("a.example")), ERR);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_certcheck_rows),
      cmocka_unit_test(test_certcheck_encodings),
      cmocka_unit_test(test_certcheck_arguments),
  };
  return cmocka_run_group_tests(tests, make_key, free_key);
}
