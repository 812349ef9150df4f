import ipaddr from 'ipaddr.js';
import { AppError } from '../shared/app-error.js';
import { hostOf, rangeOf } from './address-guard.js';

/**
 * Checks an endpoint URL when it is registered: https (http only where private targets are allowed,
 * i.e. development), no credentials in it, and no literal non-public address. A host name is judged
 * at each delivery instead, where its current addresses are known.
 */
export function assertEndpointUrl(raw: string, allowPrivate: boolean): string {
  const url = new URL(raw);
  const refuse = (message: string): never => {
    throw AppError.validation([{ path: 'url', message }]);
  };
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) refuse('must use https');
  if (url.username || url.password) refuse('must not carry credentials (put a secret in the path, or verify our signature)');
  const host = hostOf(url);
  if (!allowPrivate && ipaddr.isValid(host)) {
    const range = rangeOf(host);
    if (range !== 'unicast') refuse(`must not point at a ${range} address`);
  }
  if (!allowPrivate && /^localhost$|\.localhost$|\.internal$|\.local$/i.test(host)) refuse('must not point at a local host name');
  url.hash = '';
  return url.toString();
}
