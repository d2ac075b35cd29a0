#!/usr/bin/env node
/*
 * Conformance adapter (protocol v1, conformance/ADAPTERS.md) for
 * email-domain-check, pinned in package-lock.json.
 *
 * It drives the library's own functions and only replaces its two sources of
 * bytes:
 *   txt-record, txt-strings, txt-rrset  DomainChecker.getStsRecord() with the
 *       checker's DNS resolver answering resolveTxt() with the vector's TXT RRs,
 *       shaped as Node's dns.resolveTxt returns them (an array of arrays of
 *       latin1 strings); record splitting, classification and field parsing
 *       are the library's (TXTRecord / TXTResult.getSTS);
 *   policy      getMtaStsPolicy() with the global fetch() answering 200,
 *       text/plain and the vector's body as a real WHATWG Response, so the body
 *       is decoded by Response.text() (UTF-8, a leading BOM dropped, invalid
 *       sequences replaced by U+FFFD) exactly as on the library's fetch path;
 *       the parser itself (parseMtaStsPolicy) is not exported;
 *   mx-match    isMxAllowed(host, {mx: [pattern]}).
 * The library has no TLSRPT record parser: the tlsrpt kinds are "unsupported".
 */
'use strict';

const { BadRequest, bytesFromHex, txtRrsetOf, errorName, serve } = require('../protocol-v1.js');
const path = require('node:path');
const dnsPromises = require('node:dns/promises');

const DOMAIN = 'example.com';

// The adapter must never reach the network. DomainChecker builds resolvers
// (and by default failover resolvers at public addresses) from
// dns.promises.Resolver, so every lookup method of that class is refused
// unless the adapter stubs it on an instance; fetch is always the stub.
function forbidRealNetwork() {
  const refuse = async () => {
    const err = new Error('real DNS is disabled in the conformance adapter');
    err.code = 'ECONNREFUSED';
    throw err;
  };
  for (const name of Object.getOwnPropertyNames(dnsPromises.Resolver.prototype)) {
    if (name.startsWith('resolve') || name === 'reverse') dnsPromises.Resolver.prototype[name] = refuse;
  }
  dnsPromises.resolve = refuse;
  globalThis.fetch = async () => {
    throw new Error('real HTTP is disabled in the conformance adapter');
  };
}

function loadLibrary(log) {
  try {
    return require(path.join(__dirname, 'node_modules', 'email-domain-check'));
  } catch (err) {
    log(`email-domain-check is not installed (${err.message}); run ci/setup.sh (npm ci in ` +
        `${__dirname}). Every request is answered "unsupported".`);
    return null;
  }
}

async function answerTxt(lib, req) {
  const rrset = txtRrsetOf(req);
  // No failover servers: the stub is the only resolver asked.
  const checker = new lib.DomainChecker({ failoverServers: [] });
  checker.resolver.resolveTxt = async () => rrset;
  let record;
  try {
    record = await checker.getStsRecord({ target: DOMAIN });
  } catch (err) {
    return { result: 'invalid', error: errorName(err) };
  }
  // getStsRecord: null when no record was classified as STSv1; otherwise the
  // last such record, with its own complaints (e.g. "Multiple MTA-STS
  // records.") in errors. The library's consumer (cleanMxRecord) treats a
  // record without an id as "no MTA-STS".
  if (!record) return { result: 'invalid', error: 'no STSv1 record' };
  if (record.errors && record.errors.length) return { result: 'invalid', error: String(record.errors[0]) };
  if (!record.id) return { result: 'invalid', error: 'no id' };
  return { result: 'valid', fields: { id: record.id } };
}

async function answerPolicy(lib, req) {
  const body = bytesFromHex(req.inputHex);
  const realFetch = globalThis.fetch;
  globalThis.fetch = async () =>
    new Response(body, { status: 200, headers: { 'Content-Type': 'text/plain' } });
  let policy;
  try {
    policy = await lib.getMtaStsPolicy(DOMAIN);
  } catch (err) {
    return { result: 'invalid', error: errorName(err) };
  } finally {
    globalThis.fetch = realFetch;
  }
  // getMtaStsPolicy returns null for any policy it rejects (it catches its
  // own exceptions), so there is no finer error to report.
  if (!policy) return { result: 'invalid', error: 'null policy' };
  return {
    result: 'valid',
    fields: { version: policy.version, mode: policy.mode, max_age: policy.max_age, mx: policy.mx }
  };
}

function answerMxMatch(lib, req) {
  if (typeof req.pattern !== 'string' || typeof req.host !== 'string') {
    throw new BadRequest('pattern and host must be strings');
  }
  let allowed;
  try {
    allowed = lib.isMxAllowed(req.host, { mx: [req.pattern] });
  } catch (err) {
    return { result: 'invalid', error: errorName(err) };
  }
  return allowed ? { result: 'valid', fields: {} } : { result: 'invalid', error: 'not allowed' };
}

serve({
  name: 'email-domain-check',
  forbidNetwork: forbidRealNetwork,
  load: loadLibrary,
  answerTxt,
  answerPolicy,
  answerMxMatch
});
