/* certcheck.c - see mtasts_certcheck.h. */
#include "mtasts_certcheck.h"

#include <limits.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

unsigned int mtasts_certcheck_flags(void) {
  /* NEVER_CHECK_SUBJECT: OpenSSL would otherwise fall back to the CN
   * when the certificate has no DNS SAN. NO_PARTIAL_WILDCARDS: "f*" and
   * "*f" labels are not wildcards. MULTI_LABEL_WILDCARDS stays off, so
   * "*" covers exactly one label. */
  return X509_CHECK_FLAG_NEVER_CHECK_SUBJECT | X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS;
}

mtasts_certcheck mtasts_certcheck_x509(X509 *cert, const char *host, size_t host_len) {
  if (cert == NULL || host == NULL || host_len == 0 || memchr(host, 0, host_len) != NULL)
    return MTASTS_CERTCHECK_ERROR;
  /* R13: one trailing dot is the root, not part of the name. */
  if (host[host_len - 1] == '.')
    host_len--;
  if (host_len == 0)
    return MTASTS_CERTCHECK_ERROR;
  int r = X509_check_host(cert, host, host_len, mtasts_certcheck_flags(), NULL);
  if (r == 1)
    return MTASTS_CERTCHECK_MATCH;
  return r == 0 ? MTASTS_CERTCHECK_NO_MATCH : MTASTS_CERTCHECK_ERROR;
}

mtasts_certcheck mtasts_certcheck_pem(const char *pem, size_t pem_len, const char *host,
                                      size_t host_len) {
  if (pem == NULL || pem_len == 0 || pem_len > INT_MAX)
    return MTASTS_CERTCHECK_ERROR;
  BIO *bio = BIO_new_mem_buf(pem, (int)pem_len);
  if (bio == NULL)
    return MTASTS_CERTCHECK_ERROR;
  X509 *cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
  BIO_free(bio);
  mtasts_certcheck r = mtasts_certcheck_x509(cert, host, host_len);
  X509_free(cert);
  return r;
}

mtasts_certcheck mtasts_certcheck_der(const unsigned char *der, size_t der_len, const char *host,
                                      size_t host_len) {
  if (der == NULL || der_len == 0 || der_len > LONG_MAX)
    return MTASTS_CERTCHECK_ERROR;
  const unsigned char *p = der;
  X509 *cert = d2i_X509(NULL, &p, (long)der_len);
  /* Trailing bytes after the certificate mean this was not one DER
   * certificate. */
  if (cert != NULL && p != der + der_len) {
    X509_free(cert);
    return MTASTS_CERTCHECK_ERROR;
  }
  mtasts_certcheck r = mtasts_certcheck_x509(cert, host, host_len);
  X509_free(cert);
  return r;
}
