// @ts-check
/**
 * Keeps tests hermetic: any connection to a host that is not this machine fails at once, and is
 * recorded, so that code which swallows the failure (a fail-open path) still fails its test
 * (test/setup/network-guard-hooks.ts). Loaded with --import into the test workers and every Node
 * process they start (NODE_OPTIONS), so a spawned local server is guarded too.
 */
import dns from 'node:dns';
import net from 'node:net';

const LOOPBACK_NAMES = new Set(['localhost', 'ip6-localhost']);

/** @param {string | undefined} host */
export function isLoopback(host) {
  if (host === undefined || host === '') return true;
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return LOOPBACK_NAMES.has(bare) || bare.endsWith('.localhost') || bare === '::1' || /^127\./.test(bare) || bare === '::ffff:127.0.0.1' || bare === '0.0.0.0';
}

/** One guard per process, however often the module is evaluated (each test file re-imports it). */
const GUARD = Symbol.for('openim-hooks.network-guard');
const shared = /** @type {{ [GUARD]?: { refusedHosts: string[] } }} */ (globalThis);
const installed = shared[GUARD] !== undefined;
shared[GUARD] ??= { refusedHosts: [] };

/** Hosts refused since the last look (the test hooks empty it after each test). */
export const refusedHosts = shared[GUARD].refusedHosts;

/** @param {string} host */
function refuse(host) {
  refusedHosts.push(host);
  process.stderr.write(`network guard: refused a connection to ${host} (tests reach loopback only)\n`);
  const error = /** @type {NodeJS.ErrnoException} */ (new Error(`network guard: ${host} is outside this machine`));
  error.code = 'ENETUNREACH';
  return error;
}

if (!installed) install();

function install() {
  const lookup = dns.lookup;
  // @ts-expect-error the overloads of dns.lookup are kept by passing every argument through
  dns.lookup = function guardedLookup(hostname, ...rest) {
    if (isLoopback(hostname)) return lookup.call(this, hostname, ...rest);
    const callback = rest.at(-1);
    const error = refuse(hostname);
    process.nextTick(() => callback(error));
  };
  const promisedLookup = dns.promises.lookup;
  dns.promises.lookup = async function guardedPromisedLookup(hostname, ...rest) {
    if (isLoopback(hostname)) return promisedLookup.call(this, hostname, ...rest);
    throw refuse(hostname);
  };

  const connect = net.Socket.prototype.connect;
  /** @this {net.Socket} */
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const first = args[0];
    const options = Array.isArray(first) ? first[0] : first;
    const host = typeof options === 'object' && options !== null ? (/** @type {{ host?: string, path?: string }} */ (options).path ? undefined : /** @type {{ host?: string }} */ (options).host) : typeof args[1] === 'string' ? args[1] : undefined;
    if (host !== undefined && net.isIP(host) !== 0 && !isLoopback(host)) {
      const error = refuse(host);
      process.nextTick(() => this.destroy(error));
      return this;
    }
    // @ts-expect-error forwarding the overloads unchanged
    return connect.apply(this, args);
  };
}
