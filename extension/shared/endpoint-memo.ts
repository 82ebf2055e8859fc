/**
 * `describeEndpoint` remembered per URL (the last 256). Players repeat the same URLs — an API call every few
 * seconds, a playlist, a live stream — and each description parses and redacts the URL: the tap and the
 * background ask once per URL instead of once per request. The URLs stay in this context's memory only (where
 * they already are: the page, or webRequest's details), never in storage or a message.
 */
import { describeEndpoint } from '../../core/endpoints.js';
import type { Endpoint } from '../../core/types.js';

const LIMIT = 256;

export function createEndpointMemo(): (url: string) => Endpoint {
  const memo = new Map<string, Endpoint>();
  return (url) => {
    let endpoint = memo.get(url);
    if (endpoint) return endpoint;
    endpoint = Object.freeze(describeEndpoint(url));
    if (memo.size >= LIMIT) memo.delete(memo.keys().next().value!);
    memo.set(url, endpoint);
    return endpoint;
  };
}
