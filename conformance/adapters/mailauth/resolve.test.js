/*
 * Self-test of resolve.js without a world: the scenario clock, and the
 * getPolicy results the README's mapping and deviations rely on, produced by
 * mailauth's real getPolicy with a stub resolver (no lookup, no connection:
 * every policy host is without an address or fails its lookup).
 * Run: node --test conformance/adapters/mailauth/resolve.test.js
 */
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const RealDate = Date;
const { setScenarioClock, applyOf } = require('./resolve.js');
const { getPolicy } = require(path.join(__dirname, 'node_modules', 'mailauth', 'lib', 'mta-sts.js'));

const NOW = 1796083200;
const DOMAIN = 's01.world.test';
const HOUR = 3600;

function dnsError(code) {
  return Object.assign(new Error(`stub ${code}`), { code });
}

// The stub answers the TXT lookup from `txt` (an RRset or an error code) and
// fails the policy host's address lookup with `hostError`; `lookups` lists
// the queries (an A query is a fetch attempt).
function resolver(txt, hostError = 'ENOTFOUND', lookups = []) {
  return async (name, type) => {
    lookups.push(type);
    if (type === 'TXT') {
      if (typeof txt === 'string') throw dnsError(txt);
      return txt;
    }
    throw dnsError(hostError);
  };
}

// A policy as getPolicy returns it after a fetch, expiring `expiresIn` seconds after NOW.
function fetchedPolicy(id, expiresIn) {
  return {
    id,
    mode: 'enforce',
    version: 'STSv1',
    mx: ['mx1.s01.world.test'],
    maxAge: 86400,
    expires: new RealDate((NOW + expiresIn) * 1000).toISOString()
  };
}

async function decided(txt, knownPolicy, hostError) {
  setScenarioClock(NOW);
  const lookups = [];
  const { policy, status } = await getPolicy(DOMAIN, knownPolicy, { resolver: resolver(txt, hostError, lookups) });
  return { status, apply: applyOf(status, policy), mode: policy.mode, id: policy.id, fetched: lookups.includes('A') };
}

test('the clock mailauth sees is the scenario clock', () => {
  setScenarioClock(NOW);
  assert.equal(Date.now(), NOW * 1000);
  assert.equal(new Date().getTime(), NOW * 1000);
  assert.equal(new Date(0).getTime(), 0);
  assert.equal(new Date('2026-01-01T00:00:00Z').getTime(), 1767225600000);
  assert.ok(new Date() instanceof RealDate);
});

test('an expired known policy under the same id is renewed without a fetch', async () => {
  assert.deepEqual(await decided([['v=STSv1; id=1;']], fetchedPolicy('1', -1)),
    { status: 'renewed', apply: 'cached', mode: 'enforce', id: '1', fetched: false });
});

test('a valid known policy under the same id is fetched again', async () => {
  // The fetch reaches the policy host's address lookup, which finds nothing:
  // the valid known policy is dropped too.
  assert.deepEqual(await decided([['v=STSv1; id=1;']], fetchedPolicy('1', HOUR)),
    { status: 'not_found', apply: 'none', mode: 'none', id: false, fetched: true });
});

test('a removed TXT record drops a valid known policy', async () => {
  assert.deepEqual(await decided('ENODATA', fetchedPolicy('1', HOUR)),
    { status: 'not_found', apply: 'none', mode: 'none', id: false, fetched: false });
});

test('a DNS error drops a valid known policy', async () => {
  assert.deepEqual(await decided('ESERVFAIL', fetchedPolicy('1', HOUR)),
    { status: 'errored', apply: 'none', mode: 'none', id: false, fetched: false });
});

test('a failed fetch falls back to the known policy, expired or not', async () => {
  const rotated = [['v=STSv1; id=2;']];
  assert.deepEqual(await decided(rotated, fetchedPolicy('1', HOUR), 'ESERVFAIL'),
    { status: 'errored', apply: 'cached', mode: 'enforce', id: '1', fetched: true });
  assert.deepEqual(await decided(rotated, fetchedPolicy('1', -1), 'ESERVFAIL'),
    { status: 'errored', apply: 'cached', mode: 'enforce', id: '1', fetched: true });
});

test('a failed fetch without a known policy gives a one-hour placeholder', async () => {
  setScenarioClock(NOW);
  const { policy, status } = await getPolicy(DOMAIN, undefined, { resolver: resolver([['v=STSv1; id=1;']], 'ESERVFAIL') });
  assert.equal(status, 'errored');
  assert.equal(applyOf(status, policy), 'none');
  assert.equal(policy.id, '1');
  assert.equal(policy.expires, new RealDate((NOW + HOUR) * 1000).toISOString());
});

test('an expired placeholder under the same id is returned again, never refetched', async () => {
  const placeholder = {
    id: '1',
    mode: 'none',
    expires: new RealDate((NOW - 1) * 1000).toISOString(),
    error: dnsError('http_status_404')
  };
  const result = await decided([['v=STSv1; id=1;']], placeholder);
  assert.deepEqual(result, { status: 'errored', apply: 'none', mode: 'none', id: '1', fetched: false });
});
