/* testutil.c - guard pages, poisoning, printable bytes (see testutil.h). */
#define _DEFAULT_SOURCE 1 /* mmap MAP_ANONYMOUS, sysconf */
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Each slot is a few read-write pages followed by one PROT_NONE page. */
static struct {
  unsigned char *base;
  size_t usable;
} slots[GUARD_SLOTS];

const char *guard_copy_slot(int slot, const void *data, size_t len) {
  if (slot < 0 || slot >= GUARD_SLOTS)
    fail_msg("guard slot %d out of range", slot);
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t need = ((len + page - 1) / page) * page;
  if (need == 0)
    need = page;
  if (slots[slot].base == NULL || slots[slot].usable < need) {
    if (slots[slot].base != NULL)
      munmap(slots[slot].base, slots[slot].usable + page);
    void *m = mmap(NULL, need + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
      fail_msg("mmap failed");
    slots[slot].base = m;
    slots[slot].usable = need;
    if (mprotect(slots[slot].base + need, page, PROT_NONE) != 0)
      fail_msg("mprotect failed");
  }
  unsigned char *dst = slots[slot].base + slots[slot].usable - len;
  if (len > 0)
    memcpy(dst, data, len);
  return (const char *)dst;
}

void poison(void *obj, size_t size) {
  memset(obj, 0xA5, size);
}

const char *show(const char *data, size_t len) {
  static char buf[1024];
  size_t o = 0;
  for (size_t i = 0; i < len && o + 8 < sizeof buf; i++) {
    unsigned char c = (unsigned char)data[i];
    if (c == '\r')
      o += (size_t)snprintf(buf + o, sizeof buf - o, "\\r");
    else if (c == '\n')
      o += (size_t)snprintf(buf + o, sizeof buf - o, "\\n");
    else if (c == '\t')
      o += (size_t)snprintf(buf + o, sizeof buf - o, "\\t");
    else if (c < 0x20 || c >= 0x7f || c == '\\')
      o += (size_t)snprintf(buf + o, sizeof buf - o, "\\x%02x", c);
    else
      buf[o++] = (char)c;
  }
  buf[o] = '\0';
  return buf;
}
