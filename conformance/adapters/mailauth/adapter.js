#!/usr/bin/env node
/*
 * Conformance adapter (protocol v1, conformance/ADAPTERS.md) for mailauth's
 * MTA-STS code (lib/mta-sts.js), pinned in package-lock.json.
 *
 * It drives mailauth's own functions and only translates:
 *   txt-record, txt-strings, txt-rrset  resolvePolicy(domain, {resolver}) with a
 *       stub resolver that returns the vector's TXT RRs in the shape Node's
 *       dns.resolveTxt returns them (an array of arrays of latin1 strings);
 *   policy      parsePolicy(Buffer): the body exactly as fetchPolicy hands it
 *       over (a Buffer, which parsePolicy decodes as UTF-8);
 *   mx-match    validateMx(host, {mode: 'enforce', mx: [pattern]}), the policy
 *       shape parsePolicy returns.
 * mailauth has no TLSRPT record parser: the tlsrpt kinds are "unsupported".
 */
'use strict';

const { BadRequest, bytesFromHex, txtRrsetOf, errorName, serve } = require('../protocol-v1.js');
const path = require('node:path');
const dnsPromises = require('node:dns/promises');

const DOMAIN = 'example.com';

// The adapter must never reach the network: any DNS lookup that bypasses the
// injected resolver fails instead of leaving the machine.
function forbidRealDns() {
  const refuse = async () => {
    const err = new Error('real DNS is disabled in the conformance adapter');
    err.code = 'ECONNREFUSED';
    throw err;
  };
  dnsPromises.resolve = refuse;
  for (const name of Object.getOwnPropertyNames(dnsPromises.Resolver.prototype)) {
    if (name.startsWith('resolve')) dnsPromises.Resolver.prototype[name] = refuse;
  }
}

function loadMailauth(log) {
  try {
    return require(path.join(__dirname, 'node_modules', 'mailauth', 'lib', 'mta-sts.js'));
  } catch (err) {
    log(`mailauth is not installed (${err.message}); run ci/setup.sh (npm ci in ${__dirname}). ` +
        'Every request is answered "unsupported".');
    return null;
  }
}

async function answerTxt(mtaSts, req) {
  const rrset = txtRrsetOf(req);
  const resolver = async (name, type) => {
    if (type !== 'TXT') throw Object.assign(new Error(`unexpected ${type} query`), { code: 'ENODATA' });
    return rrset;
  };
  let id;
  try {
    id = await mtaSts.resolvePolicy(DOMAIN, { resolver });
  } catch (err) {
    return { result: 'invalid', error: errorName(err) };
  }
  // resolvePolicy returns false when no usable STSv1 record was found.
  if (id === false) return { result: 'invalid', error: 'no_policy' };
  return { result: 'valid', fields: { id } };
}

function answerPolicy(mtaSts, req) {
  const body = bytesFromHex(req.inputHex);
  let policy;
  try {
    policy = mtaSts.parsePolicy(body);
  } catch (err) {
    return { result: 'invalid', error: errorName(err) };
  }
  return {
    result: 'valid',
    fields: {
      version: policy.version,
      mode: policy.mode,
      max_age: policy.maxAge,
      // parsePolicy leaves mx undefined when there is no mx line.
      mx: policy.mx || []
    }
  };
}

function answerMxMatch(mtaSts, req) {
  if (typeof req.pattern !== 'string' || typeof req.host !== 'string') {
    throw new BadRequest('pattern and host must be strings');
  }
  let verdict;
  try {
    verdict = mtaSts.validateMx(req.host, { mode: 'enforce', mx: [req.pattern] });
  } catch (err) {
    return { result: 'invalid', error: errorName(err) };
  }
  return verdict.valid ? { result: 'valid', fields: {} } : { result: 'invalid', error: 'no_match' };
}

serve({
  name: 'mailauth',
  forbidNetwork: forbidRealDns,
  load: loadMailauth,
  answerTxt,
  answerPolicy,
  answerMxMatch
});
